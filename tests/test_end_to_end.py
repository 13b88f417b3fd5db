"""The whole loop: a simulated call becomes a routed ticket, is worked and closed, and the
resident's callback says "not solved", which reopens it one escalation level up."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.tickets.models import Ticket
from ivr.simulator.call import NumberConfig, Script, SimulatedCall
from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, FIXTURES, LiveServer, run_jobs
from tests.hotline.surveys.arrange import call_round, script_residents
from worker.context import WorkerContext

pytestmark = [pytest.mark.slow, pytest.mark.vosk]
CALLER = "+8613800004444"


def test_call_to_ticket_to_closure_to_survey_to_reopen(
    live: LiveServer, survey_worker: WorkerContext, redis: Redis, session: Session
) -> None:
    recordings = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    try:
        call = SimulatedCall(
            config=NumberConfig.for_base(live.url),
            auth_token=AUTH_TOKEN,
            account_sid=ACCOUNT_SID,
            recordings=recordings,
            caller=CALLER,
        )
        # Korean; no agent is signed in, so roads and facilities, community 1101, description.
        result = call.run(Script(keys=["3", "1", "1101"], recordings=[FIXTURES / "ko_pothole.wav"]))
        assert not result.errors
        run_jobs(survey_worker, redis)  # transcription, triage, dispatch, SMS
    finally:
        recordings.stop()
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    assert ticket.status == "dispatched" and ticket.team is not None
    assert ticket.escalation_level == 0

    api = TestClient(live.app)
    auth = {"Authorization": f"Bearer {API_TOKEN}"}
    for action in ("accept", "resolve", "close"):
        answer = api.post(
            f"/api/v1/tickets/{ticket.reference}/actions", json={"action": action}, headers=auth
        )
        assert answer.status_code == 200, answer.text
    assert answer.json()["survey"]["status"] == "scheduled"

    script_residents(survey_worker.settings, {CALLER: [{"keys": ["2", "3"]}]})
    survey_worker.clock.advance(hours=1)  # type: ignore[attr-defined]
    assert len(call_round(survey_worker, redis)) == 1

    body = api.get(f"/api/v1/tickets/{ticket.reference}", headers=auth).json()
    assert body["status"] == "reopened"
    assert body["escalation_level"] == 1
    assert body["survey"] == {
        "status": "completed",
        "solved": "no",
        "score": 3,
        "attempts": 1,
        "round": 1,
        "reopened": True,
    }
    assert body["events"][-1]["rule"] == "survey-not-solved"

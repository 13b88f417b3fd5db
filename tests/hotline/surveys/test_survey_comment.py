"""A resident's recorded comment on the callback is transcribed and attached to the ticket."""

from __future__ import annotations

import pytest
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.surveys.models import Survey
from hotline.tickets.models import Ticket, TicketNote
from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, FIXTURES, LiveServer, run_jobs, signed_post
from tests.hotline.surveys.arrange import call_round, closed_ticket, script_residents
from transcription.engine import VoskEngine, use_engine
from worker.context import WorkerContext

pytestmark = [pytest.mark.slow, pytest.mark.vosk]
PHONE = "+8613700000555"


def test_the_comment_becomes_a_note_and_no_new_ticket(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    speech: VoskEngine,
    redis: Redis,
    session: Session,
) -> None:
    survey_worker.speech = speech
    use_engine(speech)
    settings = live.app.state.settings
    script_residents(settings, {PHONE: [{"keys": ["1", "4"]}]})
    closed_ticket(sessions, clock, settings, 1, PHONE)
    with sessions.begin() as s:  # a Korean-speaking resident: the packaged model can hear them
        s.scalars(select(Survey)).one().language = "ko"
    clock.advance(hours=1)
    call_round(survey_worker, redis)
    session.rollback()
    survey = session.scalars(select(Survey)).one()
    attempt = survey.calls[0]
    assert attempt.call_sid
    recordings = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    try:
        sid, url = recordings.add(FIXTURES / "ko_water.wav")
        hook = f"{live.url}/ivr/survey/comment?attempt={attempt.id}"
        params = {
            "CallSid": attempt.call_sid,
            "RecordingSid": sid,
            "RecordingUrl": url,
            "RecordingDuration": "4",
        }
        answer = signed_post(hook, params)
        assert answer.status_code == 200 and "<Hangup" in answer.text
        run_jobs(survey_worker, redis)
    finally:
        recordings.stop()
    session.rollback()
    survey = session.scalars(select(Survey)).one()
    assert survey.comment and survey.comment.strip()
    notes = session.scalars(select(TicketNote)).all()
    assert [n.author for n in notes] == ["survey"]
    assert survey.comment in notes[0].body
    assert len(session.scalars(select(Ticket)).all()) == 1  # a comment is not a new report

"""Redis stopped mid-call: the call completes, nothing is lost, transcription follows later."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.app import create_app
from hotline.core.valkey import EmbeddedValkey
from hotline.outbox.models import OutboxMessage
from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, FIXTURES, Twilio, free_port, run_jobs
from tests.twiml import parse, spoken
from tests.worker.helpers import outcome
from worker import context
from worker.context import WorkerContext
from worker.relay import relay_once

pytestmark = pytest.mark.vosk


def test_calls_complete_while_redis_is_down_and_are_transcribed_after(
    worker_context: WorkerContext, session: Session, tmp_path: Path, seeded: None
) -> None:
    valkey = EmbeddedValkey(tmp_path / "valkey", port=free_port())
    valkey.start()
    settings = worker_context.settings.model_copy(update={"redis_url": valkey.url})
    worker_context.settings = settings
    context.install(worker_context)
    redis = Redis.from_url(valkey.url, socket_connect_timeout=1)
    recordings = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    try:
        with TestClient(create_app(settings, clock=worker_context.clock)) as client:
            twilio = Twilio(client)
            parse(twilio.post("/ivr/voice"))
            parse(twilio.post("/ivr/voice/language?attempt=1", Digits="3"))
            valkey.stop()  # Redis dies in the middle of the call
            parse(twilio.post("/ivr/voice/menu?attempt=1", Digits="1"))
            parse(twilio.post("/ivr/voice/category?attempt=1", Digits="2"))
            parse(twilio.post("/ivr/voice/location?attempt=1", Digits="1101"))
            sid, url = recordings.add(FIXTURES / "ko_water.wav")
            root = parse(
                twilio.post(
                    "/ivr/voice/recorded", RecordingSid=sid, RecordingUrl=url, RecordingDuration="5"
                )
            )
            assert "2, 0, 2, 6, 0, 0, 0, 0, 0, 1" in spoken(root)[0]
            status = twilio.post(
                "/ivr/recording-status",
                RecordingSid=sid,
                RecordingUrl=url,
                RecordingStatus="completed",
                RecordingDuration="5",
            )
            assert status.status_code == 204

        sessions, clock = worker_context.sessions, worker_context.clock
        assert relay_once(sessions=sessions, redis=redis, clock=clock, settings=settings) == 0
        session.rollback()
        waiting = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert len(waiting) == 2  # transcription and the caller's intake SMS
        assert all(row.enqueued_at is None for row in waiting)
        assert waiting[0].last_error  # the relay stops at the first refusal and says why

        valkey.start()  # back on the same port
        assert run_jobs(worker_context, redis) == 3  # plus the SMS to the assignee
        ticket, transcript = outcome(session)
        assert ticket.status == "dispatched" and transcript.status == "ok"
        assert recordings.downloads[sid] == 1
    finally:
        recordings.stop()
        valkey.stop()

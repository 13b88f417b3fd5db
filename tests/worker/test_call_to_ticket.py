"""A simulated call, end to end: IVR → recording → outbox → RQ → Vosk → triaged ticket."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from fastapi.testclient import TestClient
from redis import Redis
from rq import Worker
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls.models import Recording
from hotline.notifications.models import Message
from hotline.tickets.models import TicketEvent
from ivr.catalog import catalog
from ivr.simulator.call import CallResult, NumberConfig, Script, SimulatedCall
from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, API_TOKEN, AUTH_TOKEN, FIXTURES, LiveServer, run_jobs
from tests.worker.helpers import outcome
from worker.context import WorkerContext
from worker.jobs import transcribe_recording
from worker.relay import relay_once

pytestmark = pytest.mark.vosk


def place_call(
    live: LiveServer,
    recordings: RecordingServer,
    keys: str,
    audio: Path,
    caller: str = "+8613800002222",
) -> CallResult:
    call = SimulatedCall(
        config=NumberConfig.for_base(live.url),
        auth_token=AUTH_TOKEN,
        account_sid=ACCOUNT_SID,
        recordings=recordings,
        caller=caller,
    )
    return call.run(Script(keys=[k or None for k in keys.split(",")], recordings=[audio]))


def test_korean_call_becomes_a_dispatched_ticket_with_a_vosk_transcript(
    live: LiveServer,
    recordings: RecordingServer,
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    audio = FIXTURES / "ko_pothole.wav"
    result = place_call(live, recordings, "3,1,1101", audio)
    assert not result.errors
    ko = catalog("ko")
    # No agent is signed in: the caller goes straight from the language key to the IVR intake.
    assert result.heard(ko.text("overflow_no_agent"))
    assert result.heard(ko.text("location_confirmed", community="동호 마을"))
    assert result.heard(ko.text("ticket_number", digits="2, 0, 2, 6, 0, 0, 0, 0, 0, 1"))

    # Transcription, then the SMS to the caller (intake) and to the assignee (dispatch).
    assert run_jobs(worker_context, redis) == 3
    ticket, transcript = outcome(session)
    assert (ticket.reference, ticket.status, ticket.category, ticket.location_code) == (
        "2026-000001",
        "dispatched",
        "roads_facilities",
        "1101",
    )
    # Community keyed, grid unknown, caller not a registered household: the town triage team.
    assert ticket.team is not None and ticket.team.code == "T01"
    assert ticket.assignee is not None and ticket.assignee.role == "triage_officer"
    assert ticket.due_at is not None and ticket.response_due_at is not None
    assert not ticket.needs_listening
    assert transcript.status == "ok" and transcript.text.strip()
    assert transcript.language == "ko"
    assert transcript.words and all(
        0 <= w["start"] <= w["end"] and 0 <= w["conf"] <= 1 for w in transcript.words
    )
    assert transcript.mean_confidence is not None
    assert transcript.audio_seconds == pytest.approx(soundfile.info(str(audio)).duration, abs=0.01)
    recording = session.scalars(select(Recording)).one()
    assert recording.sha256 == hashlib.sha256(audio.read_bytes()).hexdigest()
    assert recording.local_path and Path(recording.local_path).read_bytes() == audio.read_bytes()
    sent = {m.kind: m for m in session.scalars(select(Message))}
    assert set(sent) == {"intake", "dispatch"}
    assert all(m.status == "sent" and m.provider_sid for m in sent.values())
    assert sent["intake"].recipient == "+8613800002222"
    assert "2026-000001" in sent["intake"].body and "12345" in sent["intake"].body
    assert sent["dispatch"].recipient == ticket.assignee.phone
    assert "道路和公共设施" in sent["dispatch"].body  # the triage officer reads Chinese
    log = (worker_context.settings.data_dir / "simulator" / "sms.jsonl").read_text()
    assert sorted(json.loads(line)["to"] for line in log.splitlines()) == sorted(
        [sent["intake"].recipient, sent["dispatch"].recipient]
    )
    events = session.scalars(select(TicketEvent).order_by(TicketEvent.id))
    moves = [(e.from_status, e.to_status, e.rule) for e in events]
    assert moves == [
        (None, "received", None),
        ("received", "triaged", "auto-triage"),
        ("triaged", "dispatched", "town-triage"),
    ]

    with TestClient(live.app) as api:
        items = api.get(
            "/api/v1/tickets",
            params={"phone": "+8613800002222"},
            headers={"Authorization": f"Bearer {API_TOKEN}"},
        ).json()["items"]
    assert [i["reference"] for i in items] == ["2026-000001"]
    assert items[0]["transcript"] == {**items[0]["transcript"], "status": "ok"}
    assert items[0]["transcript"]["text"] == transcript.text
    assert ticket.assignee is not None
    assert {k: items[0][k] for k in ("grid", "team", "assignee", "level", "escalation_level")} == {
        "grid": None,
        "team": "T01",
        "assignee": ticket.assignee.code,
        "level": "general",
        "escalation_level": 0,
    }
    assert items[0]["needs_review"] is False and items[0]["due_at"]


def test_job_run_twice_changes_nothing(
    live: LiveServer,
    recordings: RecordingServer,
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    place_call(live, recordings, "3,2,1102", FIXTURES / "ko_water.wav")
    run_jobs(worker_context, redis)
    recording = session.scalars(select(Recording)).one()
    again = transcribe_recording(recording.id)
    assert again == {"recording_id": recording.id, "skipped": "already transcribed"}
    assert (
        relay_once(
            sessions=worker_context.sessions,
            redis=redis,
            clock=worker_context.clock,
            settings=worker_context.settings,
        )
        == 0
    )
    session.rollback()
    assert len(session.scalars(select(TicketEvent)).all()) == 3


def test_mp3_recordings_decode(
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
    recordings: RecordingServer,
    tmp_path: Path,
) -> None:
    from tests.worker.helpers import finished_call

    samples, rate = soundfile.read(FIXTURES / "ko_pothole.wav", dtype="int16")
    mp3 = tmp_path / "pothole.mp3"
    soundfile.write(mp3, samples.astype(np.int16), rate, format="MP3")
    _, url = recordings.add(mp3)
    finished_call(worker_context.sessions, worker_context.clock, recording_url=url)
    run_jobs(worker_context, redis)
    ticket, transcript = outcome(session)
    assert transcript.status == "ok" and transcript.text
    recording = session.scalars(select(Recording)).one()
    assert recording.local_path and recording.local_path.endswith(".mp3")


@pytest.mark.slow
def test_forking_worker_never_reloads_the_model(
    live: LiveServer,
    recordings: RecordingServer,
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    for keys in ("3,1,1101", "3,4,1202"):
        place_call(live, recordings, keys, FIXTURES / "ko_noise.wav")
    loads = worker_context.speech.load_count
    relay_once(
        sessions=worker_context.sessions,
        redis=redis,
        clock=worker_context.clock,
        settings=worker_context.settings,
    )
    worker = Worker(["transcription"], connection=redis)
    worker.work(burst=True)
    jobs = [j for j in worker.queues[0].finished_job_registry.get_job_ids()]
    assert len(jobs) == 2
    from rq.job import Job

    results = [Job.fetch(job_id, connection=redis).return_value() or {} for job_id in jobs]
    assert [r["model_loads_during_job"] for r in results] == [0, 0]
    assert worker_context.speech.load_count == loads


def test_registered_household_call_is_dispatched_to_its_member_with_both_sms(
    live: LiveServer,
    recordings: RecordingServer,
    worker_context: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    # Demo household H00001 (grid 1101-01) calls: Korean, water/power,
    # "1" = use the community on file, then describes the problem.
    result = place_call(
        live, recordings, "3,2,1", FIXTURES / "ko_water.wav", caller="+8613700000001"
    )
    assert not result.errors
    assert result.heard(catalog("ko").text("location_on_file", community="동호 마을"))
    assert run_jobs(worker_context, redis) == 3
    ticket, transcript = outcome(session)
    assert transcript.status == "ok"
    assert ticket.status == "dispatched"
    assert ticket.grid is not None and ticket.grid.code == "1101-01"
    assert ticket.assignee is not None and ticket.assignee.code == "1101-01-02"
    rule = session.scalars(
        select(TicketEvent.rule).where(TicketEvent.to_status == "dispatched")
    ).one()
    assert rule == "household-member"
    sent = {m.kind: m for m in session.scalars(select(Message))}
    assert sent["dispatch"].recipient == ticket.assignee.phone
    assert sent["intake"].recipient == "+8613700000001"
    assert all(m.status == "sent" for m in sent.values())

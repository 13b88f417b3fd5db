"""Recording retention with an injected clock: the audio goes here and at Twilio (the real
`twilio` client against `emulate@0.8.0`), the transcript and sha256 stay, a legal hold keeps
a ticket's audio, and a second sweep changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.models import Recording
from hotline.calls.store import LocalStore
from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.retention import service as retention
from hotline.retention.rules import Held, due
from hotline.telephony.port import TelephonyError, TwilioTelephony
from hotline.tickets.models import Ticket
from hotline.transcripts.models import Transcript
from tests.agent_console.arrange import intake
from tests.conftest import Backend
from tests.hotline.telephony.conftest import SID, TOKEN, Emulator

T0 = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("held", "now", "days", "expected"),
    [
        (Held(T0), T0 + timedelta(days=181), 180, True),
        (Held(T0), T0 + timedelta(days=179), 180, False),
        (Held(T0), T0 + timedelta(days=180), 180, False),  # on the day itself it is kept
        (Held(T0, on_hold=True), T0 + timedelta(days=999), 180, False),
        (Held(T0, deleted=True), T0 + timedelta(days=999), 180, False),
        (Held(T0), T0 + timedelta(days=9999), 0, False),  # 0 days: keep for ever
        (Held(T0), T0 + timedelta(days=2), 1, True),
    ],
)
def test_which_recordings_are_due(held: Held, now: datetime, days: int, expected: bool) -> None:
    assert due(held, now=now, days=days) is expected


class Relay:
    """Forwards to the emulator and remembers each request line, as Twilio's logs would."""

    def __init__(self, target: str) -> None:
        self.seen: list[tuple[str, str]] = []
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                relay.seen.append((self.command, self.path))
                length = int(self.headers.get("content-length") or 0)
                answer = httpx.request(
                    self.command,
                    target + self.path,
                    content=self.rfile.read(length) if length else None,
                    headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
                )
                self.send_response(answer.status_code)
                self.send_header("content-type", answer.headers.get("content-type", "text/plain"))
                self.send_header("content-length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_DELETE = _forward

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def relay(emulator: Emulator) -> Iterator[Relay]:
    found = Relay(emulator.url)
    yield found
    found.server.shutdown()


def _recorded(sessions: sessionmaker[Session], clock: FixedClock, audio: Path) -> list[str]:
    with sessions.begin() as s:
        refs = []
        for n in (1, 2):
            ticket = intake(s, clock, n, caller=f"+861370000000{n}", audio_dir=audio)
            recording = s.scalars(
                select(Recording).where(Recording.call_id == ticket.call_id)
            ).one()
            recording.sha256 = f"{n}" * 64
            refs.append(ticket.reference)
        held = s.scalars(select(Ticket).where(Ticket.reference == refs[1])).one()
        held.legal_hold = True
        return refs


def test_the_sweep_deletes_expired_audio_everywhere_but_keeps_the_record(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    settings: Settings,
    relay: Relay,
    tmp_path: Path,
) -> None:
    audio = tmp_path / "recordings"
    audio.mkdir()
    swept, kept = _recorded(sessions, clock, audio)
    (audio / f"RE{1:032d}.part").write_bytes(b"left over")  # a partial download beside it
    twilio = TwilioTelephony(
        settings.model_copy(
            update={
                "telephony": "twilio",
                "twilio_account_sid": SID,
                "twilio_auth_token": TOKEN,
                "twilio_api_base_url": relay.url,
            }
        )
    )

    def sweep() -> retention.SweepReport:
        with sessions.begin() as s:
            return retention.sweep(
                session=s,
                clock=clock,
                days=180,
                recordings_dir=audio,
                store=LocalStore(),
                delete_remote=twilio.delete_recording,
            )

    clock.advance(minutes=179 * 24 * 60)
    early = sweep()
    assert (early.deleted, relay.seen) == ([], [])
    clock.advance(minutes=2 * 24 * 60)
    report = sweep()
    assert report.deleted == [f"RE{1:032d}"] and report.held == 1 and not report.failed
    assert relay.seen == [
        ("DELETE", f"/2010-04-01/Accounts/{SID}/Recordings/RE{1:032d}.json"),
    ]
    assert sorted(p.name for p in audio.iterdir()) == [f"RE{2:032d}.wav"]  # the held one
    with sessions() as s:
        gone, held = (
            s.scalars(select(Recording).where(Recording.recording_sid == f"RE{n:032d}")).one()
            for n in (1, 2)
        )
        assert gone.local_path is None and gone.sha256 == "1" * 64
        assert gone.deleted_at == clock.now() and gone.remote_deleted_at == clock.now()
        assert held.deleted_at is None and held.local_path is not None
        assert s.scalars(select(Transcript).where(Transcript.recording_id == gone.id)).one().text
        ticket = s.scalars(select(Ticket).where(Ticket.reference == swept)).one()
        [event] = [e for e in ticket.events if e.action == "retention"]
        assert event.rule == "recording-retention" and "1" * 64 in (event.reason or "")
        events = s.query(Ticket).count(), sum(len(t.events) for t in s.scalars(select(Ticket)))

    again = sweep()
    assert (again.deleted, again.remote_deleted, again.failed) == ([], [], {})
    assert len(relay.seen) == 1  # Twilio is not asked twice
    with sessions() as s:
        assert (
            s.query(Ticket).count(),
            sum(len(t.events) for t in s.scalars(select(Ticket))),
        ) == events
    assert kept


def test_a_failed_twilio_delete_is_tried_again_next_time(
    sessions: sessionmaker[Session], clock: FixedClock, tmp_path: Path
) -> None:
    audio = tmp_path / "recordings"
    audio.mkdir()
    _recorded(sessions, clock, audio)
    calls: list[str] = []

    def flaky(sid: str) -> bool:
        calls.append(sid)
        if len(calls) == 1:
            raise TelephonyError("Twilio answered 503")
        return True

    clock.advance(minutes=200 * 24 * 60)

    def sweep() -> retention.SweepReport:
        with sessions.begin() as s:
            return retention.sweep(
                session=s,
                clock=clock,
                days=180,
                recordings_dir=audio,
                store=LocalStore(),
                delete_remote=flaky,
            )

    first = sweep()
    assert first.deleted == [f"RE{1:032d}"] and list(first.failed) == [f"RE{1:032d}"]
    second = sweep()
    assert (second.deleted, second.remote_deleted) == ([], [f"RE{1:032d}"])
    with sessions() as s:
        row = s.scalars(select(Recording).where(Recording.recording_sid == f"RE{1:032d}")).one()
        assert row.remote_deleted_at is not None and row.deletion_error is None


def test_the_retention_command_sweeps_now(
    backend: Backend, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    audio = tmp_path / "recordings"
    audio.mkdir()
    with sessions.begin() as s:
        intake(s, FixedClock(datetime(2025, 1, 1, tzinfo=UTC)), 1, audio_dir=audio)
    env = {
        **os.environ,
        "HOTLINE_DATABASE_URL": backend.database_url,
        "HOTLINE_RECORDING_RETENTION_DAYS": "30",
        "HOTLINE_RECORDINGS_DIR": str(audio),
        "HOTLINE_DATA_DIR": str(tmp_path / "data"),
    }
    run = [sys.executable, "-m", "hotline.cli", "retention"]
    done = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "deleted 1," in done.stdout and list(audio.iterdir()) == []
    again = subprocess.run(run, env=env, capture_output=True, text=True, timeout=60)
    assert "deleted 0," in again.stdout

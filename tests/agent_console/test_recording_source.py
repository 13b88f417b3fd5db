"""A web host without the audio (another machine fetched it) gets it from the carrier."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.audit.models import AuditEntry
from hotline.calls.models import Recording
from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.tickets.models import Ticket
from ivr.simulator.recordings import RecordingServer
from tests.agent_console.arrange import Cases, sign_in
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, FIXTURES

AUDIO = FIXTURES / "ko_water.wav"


@pytest.fixture
def carrier() -> Iterator[RecordingServer]:
    server = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    yield server
    server.stop()


def elsewhere(session: Session, cases: Cases, tmp_path: Path, source: str, audio: Path) -> str:
    """Leave the review case's audio only on 'the worker host' and at `source`; its URL."""
    ticket = session.scalars(select(Ticket).where(Ticket.reference == cases.review)).one()
    recording = session.scalars(select(Recording).where(Recording.call_id == ticket.call_id)).one()
    worker_host = tmp_path / "worker-host" / "recordings" / f"{recording.recording_sid}.wav"
    Path(recording.local_path or "").unlink()
    recording.local_path = str(worker_host)  # written on another machine: not here
    recording.source_url = source
    recording.sha256 = hashlib.sha256(audio.read_bytes()).hexdigest()
    session.commit()
    return f"/console/tickets/{cases.review}/recordings/{recording.id}"


def test_the_audio_comes_from_the_carrier_with_ranges_and_one_audited_listen(
    console: TestClient, cases: Cases, session: Session, carrier: RecordingServer, tmp_path: Path
) -> None:
    sid, url = carrier.add(AUDIO)
    src = elsewhere(session, cases, tmp_path, url, AUDIO)
    sign_in(console, "agent")
    whole = console.get(src)
    assert whole.status_code == 200, whole.text
    assert whole.content == AUDIO.read_bytes()
    part = console.get(src, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == AUDIO.read_bytes()[100:200]
    assert carrier.downloads[sid] == 2  # nothing is kept on this host
    listens = session.scalar(select(func.count()).where(AuditEntry.action == "listen"))
    assert listens == 1


def test_a_copy_here_under_this_hosts_folder_is_used_without_the_carrier(
    console: TestClient,
    cases: Cases,
    session: Session,
    carrier: RecordingServer,
    tmp_path: Path,
    settings: Settings,
) -> None:
    sid, url = carrier.add(AUDIO)
    src = elsewhere(session, cases, tmp_path, url, AUDIO)
    recording = session.scalars(select(Recording).where(Recording.source_url == url)).one()
    assert settings.recordings_dir is not None
    here = settings.recordings_dir / recording.call.call_sid / f"{recording.recording_sid}.wav"
    here.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(AUDIO, here)
    sign_in(console, "agent")
    assert console.get(src).content == AUDIO.read_bytes()
    assert carrier.downloads[sid] == 0


def test_other_bytes_from_the_carrier_are_refused(
    console: TestClient, cases: Cases, session: Session, carrier: RecordingServer, tmp_path: Path
) -> None:
    _, url = carrier.add(FIXTURES / "ko_pothole.wav")
    src = elsewhere(session, cases, tmp_path, url, AUDIO)
    sign_in(console, "agent")
    answer = console.get(src)
    assert answer.status_code == 502 and "differs" in answer.text


def test_a_host_off_the_allow_list_is_not_contacted(
    console: TestClient, cases: Cases, session: Session, carrier: RecordingServer, tmp_path: Path
) -> None:
    sid, url = carrier.add(AUDIO)
    src = elsewhere(session, cases, tmp_path, url.replace("127.0.0.1", "127.0.0.2"), AUDIO)
    sign_in(console, "agent")
    answer = console.get(src)
    assert answer.status_code == 502 and "HOTLINE_RECORDING_HOSTS" in answer.text
    assert carrier.downloads[sid] == 0


@pytest.mark.parametrize("gone", ["deleted_at", "remote_deleted_at"])
def test_audio_deleted_by_retention_is_never_fetched_again(
    console: TestClient,
    cases: Cases,
    session: Session,
    carrier: RecordingServer,
    tmp_path: Path,
    clock: FixedClock,
    gone: str,
) -> None:
    sid, url = carrier.add(AUDIO)
    src = elsewhere(session, cases, tmp_path, url, AUDIO)
    recording = session.scalars(select(Recording).where(Recording.source_url == url)).one()
    setattr(recording, gone, clock.now() - timedelta(days=1))
    session.commit()
    sign_in(console, "agent")
    answer = console.get(src)
    assert answer.status_code == 404
    assert carrier.downloads[sid] == 0
    assert session.scalar(select(func.count()).where(AuditEntry.action == "listen")) == 0

"""Twilio's fallback URL still takes the description, even with the database down."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.app import create_app
from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.tickets.models import Ticket
from ivr.catalog import catalog
from ivr.simulator.call import NumberConfig, Script, SimulatedCall
from ivr.simulator.recordings import RecordingServer
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, BASE_URL, FIXTURES, LiveServer, Twilio
from tests.twiml import parse, spoken, verbs

RECORDING = {
    "RecordingSid": "RE" + "f" * 32,
    "RecordingUrl": "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE" + "f" * 32,
    "RecordingDuration": "5",
}


def test_fallback_apologises_and_records(twilio: Twilio) -> None:
    root = parse(twilio.post("/ivr/fallback", ErrorCode="11200", ErrorUrl=BASE_URL + "/ivr/voice"))
    assert spoken(root)[0] == catalog("zh-CN").text("fallback_apology")
    assert verbs(root) == ["Say", "Record", "Say", "Hangup"]
    record = root.find("Record")
    assert record is not None
    assert record.get("action") == f"{BASE_URL}/ivr/fallback/recorded"
    assert record.get("recordingStatusCallback") == f"{BASE_URL}/ivr/recording-status?fallback=1"


def test_fallback_recording_becomes_a_flagged_ticket(twilio: Twilio, session: Session) -> None:
    parse(twilio.post("/ivr/fallback", ErrorCode="11200"))
    root = parse(twilio.post("/ivr/fallback/recorded", **RECORDING))
    ticket = session.scalar(select(Ticket))
    assert ticket is not None and ticket.fallback
    assert "2, 0, 2, 6" in spoken(root)[0]
    twilio.post("/ivr/recording-status?fallback=1", RecordingStatus="completed", **RECORDING)
    session.rollback()
    assert len(session.scalars(select(Ticket)).all()) == 1


def test_fallback_answers_even_when_the_database_is_down(
    settings: Settings, clock: FixedClock, tmp_path: object
) -> None:
    broken = settings.model_copy(
        update={"database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    )
    with TestClient(create_app(broken, clock=clock)) as client:
        twilio = Twilio(client)
        root = parse(twilio.post("/ivr/fallback", ErrorCode="11200"))
        assert "Record" in verbs(root)
        root = parse(twilio.post("/ivr/fallback/recorded", **RECORDING))
        assert spoken(root)[0] == catalog("zh-CN").text("fallback_thanks")
        assert verbs(root)[-1] == "Hangup"


class SlowHandler(BaseHTTPRequestHandler):
    """A voice URL that answers too late."""

    delay = 3.0

    def do_POST(self) -> None:  # noqa: N802
        time.sleep(self.delay)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<Response><Say>too late</Say></Response>")

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def slow_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/voice"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("failure", ["timeout", "http-error"])
def test_simulator_uses_fallback_when_voice_url_fails(
    live: LiveServer, session: Session, slow_server: str, failure: str
) -> None:
    voice_url = slow_server if failure == "timeout" else f"{live.url}/ivr/voice/no-such-step"
    config = NumberConfig(voice_url, f"{live.url}/ivr/status", f"{live.url}/ivr/fallback")
    recordings = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    try:
        call = SimulatedCall(
            config=config,
            auth_token=AUTH_TOKEN,
            account_sid=ACCOUNT_SID,
            recordings=recordings,
            timeout=1.5,  # stands in for Twilio's 15 s limit
        )
        result = call.run(Script(recordings=[FIXTURES / "ko_water.wav"]))
    finally:
        recordings.stop()
    assert result.used_fallback
    assert result.heard(catalog("zh-CN").text("fallback_apology"))
    ticket = session.scalar(select(Ticket))
    assert ticket is not None and ticket.fallback and ticket.status == "received"
    assert any("2, 0, 2, 6" in line for line in result.said)

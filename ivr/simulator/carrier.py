"""The simulated carrier: Twilio's REST API for voice in front of the simulated network.

The hotline's real `twilio` client talks to it (HOTLINE_TWILIO_API_BASE_URL, or the URL file
it writes in the data directory): `calls.create` rings a scripted phone, `calls(sid).update`
redirects or hangs up a leg, and conference participants are added and changed as Twilio does
(listen muted, whisper with coaching, barge, a third party). Loopback only.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from hotline.telephony.port import CARRIER_FILE
from ivr.simulator.call import NumberConfig, Script, SimulatedCall
from ivr.simulator.network import FINAL, CarrierError, Conference, Leg, Network, PhoneScript
from ivr.simulator.recordings import RecordingServer

PREFIX = "/2010-04-01/Accounts/"


class Carrier(Network):
    """The network plus its REST API on a loopback port."""

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        number: str,
        recordings: RecordingServer,
        realtime: bool = False,
        port: int = 0,
    ) -> None:
        super().__init__(account_sid=account_sid, auth_token=auth_token, number=number)
        self.auth_token = auth_token
        self.recordings = recordings
        self.realtime = realtime
        self.url_file: Path | None = None
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The REST base URL (what HOTLINE_TWILIO_API_BASE_URL would be)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self, data_dir: Path | None = None) -> Carrier:
        """Serve; with a data directory, tell the hotline's processes where to find us."""
        self._thread.start()
        if data_dir is not None:
            self.url_file = data_dir / "simulator" / CARRIER_FILE
            self.url_file.parent.mkdir(parents=True, exist_ok=True)
            self.url_file.write_text(self.url)
        return self

    def stop(self) -> None:
        """Stop serving and hang up every leg still on the network."""
        if self.url_file is not None:
            self.url_file.unlink(missing_ok=True)
        for leg in list(self.legs.values()):
            leg.hung_up.set()
        self._server.shutdown()
        self._server.server_close()

    def call(self, caller: str, base_url: str, **options: Any) -> SimulatedCall:
        """A resident's inbound call on this network (run it with `.run(Script(...))`)."""
        return SimulatedCall(
            config=NumberConfig.for_base(base_url),
            auth_token=self.auth_token,
            account_sid=self.account_sid,
            recordings=self.recordings,
            caller=caller,
            number=self.number,
            network=self,
            realtime=self.realtime,
            **options,
        )

    # -- REST resources ------------------------------------------------------------------

    def create_call(self, form: dict[str, list[str]]) -> Leg:
        """POST Calls.json: ring `To`; `Url` is fetched when it is picked up."""
        url = _one(form, "Url")
        if not url:
            raise CarrierError(400, 21205, "Url is required")
        leg = self._dial(form, timeout=60, url=url)
        self.spawn(self._ring_then_follow, leg)
        return leg

    def _dial(self, form: dict[str, list[str]], *, timeout: float, **details: Any) -> Leg:
        """A new outbound leg to the form's `To`, ringing by that phone's script."""
        to = _one(form, "To")
        if not to:
            raise CarrierError(400, 21201, "To is required")
        return self.add_leg(
            Leg(
                "CA" + secrets.token_hex(16),
                to,
                _one(form, "From") or self.number,
                "outbound-api",
                status_callback=_one(form, "StatusCallback"),
                status_events=tuple(form.get("StatusCallbackEvent", [])),
                timeout=float(_one(form, "Timeout") or timeout),
                script=self.script_for(to),
                **details,
            )
        )

    def update_call(self, sid: str, form: dict[str, list[str]]) -> Leg:
        """POST Calls/{sid}.json: a new Url, or Status canceled|completed."""
        if _one(form, "Url"):
            return self.redirect(sid, _one(form, "Url") or "")
        if _one(form, "Status"):
            return self.hang_up(sid, _one(form, "Status") or "")
        return self.leg(sid)

    def add_participant(self, key: str, form: dict[str, list[str]]) -> Leg:
        """POST Conferences/{sid or name}/Participants.json: dial someone into it."""
        conference = self.conference(key)
        leg = self._dial(
            form,
            timeout=30,
            label=_one(form, "Label"),
            muted=_one(form, "Muted") == "true",
            coaching=_one(form, "Coaching") == "true",
            coach_sid=_one(form, "CallSidToCoach"),
        )
        self.spawn(self._ring_then_join, leg, conference)
        return leg

    def update_participant(self, key: str, sid: str, form: dict[str, list[str]]) -> Leg:
        """POST Conferences/{sid}/Participants/{CallSid}.json: muted, coaching, whom to coach."""
        conference = self.conference(key)
        leg = conference.legs.get(sid)
        if leg is None:
            raise CarrierError(404, 20404, f"Participant {sid} is not in {key}")
        if "Muted" in form:
            leg.muted = _one(form, "Muted") == "true"
        if "Coaching" in form:
            leg.coaching = _one(form, "Coaching") == "true"
            leg.coach_sid = _one(form, "CallSidToCoach") if leg.coaching else None
        return leg

    # -- legs ringing --------------------------------------------------------------------

    def _rings(self, leg: Leg) -> bool:
        """Ring per the phone's script; True once picked up (final status posted otherwise)."""
        script = leg.script or PhoneScript(answer="miss")
        self.leg_status(leg, "initiated")
        self.leg_status(leg, "ringing")
        if script.answer in ("busy", "fail"):
            self.leg_status(leg, "busy" if script.answer == "busy" else "failed")
            return False
        picks_up = script.answer == "answer" and script.after < leg.timeout
        if leg.hung_up.wait(script.after if picks_up else leg.timeout):
            self.leg_status(leg, "canceled")
            return False
        if not picks_up:
            self.leg_status(leg, "no-answer")
            return False
        leg.voice = self.voice_of(script)
        leg.started = time.monotonic()
        self.leg_status(leg, "in-progress")
        return True

    def _ring_then_follow(self, leg: Leg) -> None:
        if not self._rings(leg):
            return
        call = SimulatedCall(
            config=NumberConfig(voice_url=leg.url or ""),
            auth_token=self.auth_token,
            account_sid=self.account_sid,
            recordings=self.recordings,
            caller=leg.from_,
            number=leg.to,
            direction="outbound-api",
            network=self,
            leg=leg,
            realtime=self.realtime,
        )
        call.run(Script())
        self._completed(leg)

    def _ring_then_join(self, leg: Leg, conference: Conference) -> None:
        if not self._rings(leg):
            return
        if not conference.ended.is_set():
            self.join(leg, conference.name)
            self.wait_in(leg, leg.script.talk if leg.script else None)
        self._completed(leg)

    def _completed(self, leg: Leg) -> None:
        if leg.status not in FINAL:
            duration = str(int(time.monotonic() - leg.started))
            self.leg_status(leg, "completed", CallDuration=duration)


def _one(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    return values[-1] if values else None


def _handler(carrier: Carrier) -> type[BaseHTTPRequestHandler]:
    expected = (
        "Basic " + base64.b64encode(f"{carrier.account_sid}:{carrier.auth_token}".encode()).decode()
    )

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _route(self, method: str) -> None:
            if not hmac.compare_digest(self.headers.get("Authorization", ""), expected):
                self._answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
                return
            path = urlsplit(self.path).path
            parts = path.removeprefix(PREFIX).removesuffix(".json").split("/")
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode()) if length else {}
            try:
                if not path.startswith(PREFIX) or parts[0] != carrier.account_sid:
                    raise CarrierError(404, 20404, f"The requested resource {path} was not found")
                status, body = self._dispatch(method, parts[1:], form)
            except CarrierError as error:
                status = error.status
                body = {"code": error.code, "message": str(error), "status": error.status}
            self._answer(status, body)

        def _dispatch(
            self, method: str, parts: list[str], form: dict[str, list[str]]
        ) -> tuple[int, dict[str, object]]:
            sid = carrier.account_sid
            match method, parts:
                case "POST", ["Calls"]:
                    return 201, carrier.create_call(form).as_json(sid)
                case "POST", ["Calls", call]:
                    return 200, carrier.update_call(call, form).as_json(sid)
                case "GET", ["Calls", call]:
                    return 200, carrier.leg(call).as_json(sid)
                case "POST", ["Conferences", key, "Participants"]:
                    return 201, carrier.add_participant(key, form).participant_json(sid)
                case "POST", ["Conferences", key, "Participants", call]:
                    return 200, carrier.update_participant(key, call, form).participant_json(sid)
                case "GET", ["Conferences", key, "Participants"]:
                    legs = list(carrier.conference(key).legs.values())
                    return 200, {"participants": [leg.participant_json(sid) for leg in legs]}
            raise CarrierError(
                404, 20404, f"The requested resource {'/'.join(parts)} was not found"
            )

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._route("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._route("POST")

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler

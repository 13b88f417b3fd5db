"""A department system's webhook endpoint: a real HTTP server that checks signatures itself."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    """One POST as it arrived."""

    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def event(self) -> dict[str, Any]:
        """The JSON body."""
        return dict(json.loads(self.body))


@dataclass
class Receiver:
    """Answers each POST with the next planned status ("sleep" holds the answer for 3 s)."""

    secret: str
    plan: list[int | str] = field(default_factory=list)
    otherwise: int = 200
    received: list[Received] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expected(self, timestamp: str, body: bytes) -> str:
        """The signature, computed here from the documented recipe, not with the app's code."""
        digest = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
        return "v1=" + digest.hexdigest()

    def next_answer(self) -> int | str:
        with self.lock:
            return self.plan.pop(0) if self.plan else self.otherwise

    def ok(self) -> list[Received]:
        """Deliveries this receiver accepted (answered 2xx)."""
        return [r for r in self.received if r.headers.get("x-answered") == "200"]


@contextmanager
def receiving(secret: str, plan: list[int | str] | None = None) -> Iterator[Receiver]:
    """Run a receiver on a loopback port for the block."""
    receiver = Receiver(secret=secret, plan=list(plan or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            stamp = headers.get("x-hotline-timestamp", "")
            fresh = stamp.isdigit() and abs(time.time() - int(stamp)) < 300
            good = fresh and hmac.compare_digest(
                receiver.expected(stamp, body), headers.get("x-hotline-signature", "")
            )
            with receiver.lock:  # noted on arrival, even if the sender stops waiting
                receiver.received.append(Received(headers, body, good))
            answer = receiver.next_answer()
            if answer == "sleep":
                time.sleep(3)
                answer = 200
            status = int(answer) if good else 401
            headers["x-answered"] = str(status)
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/hotline"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()

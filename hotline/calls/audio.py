"""A recording's audio on this host: its local copy, else a copy fetched from the carrier."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hotline.calls.models import Recording
from hotline.core.errors import NotFound
from hotline.telephony.download import RecordingRejected, RecordingUnavailable
from hotline.telephony.port import Telephony


class AudioUnavailable(RuntimeError):
    """The carrier could not give the audio right now (network, refusal, a changed file)."""


@dataclass(frozen=True)
class Audio:
    """Where to read the audio; a temporary copy is removed once it has been sent."""

    path: Path
    temporary: bool

    def discard(self) -> None:
        """Remove a temporary copy (and its folder)."""
        if self.temporary:
            shutil.rmtree(self.path.parent, ignore_errors=True)


def local_copy(recording: Recording, recordings_dir: Path | None) -> Path | None:
    """The copy the fetching worker wrote, here or under this host's recordings folder."""
    if not recording.local_path:
        return None
    written = Path(recording.local_path)
    candidates = [written]
    if recordings_dir is not None:
        candidates.append(recordings_dir / recording.call.call_sid / written.name)
    return next((path for path in candidates if path.is_file()), None)


def locate(recording: Recording, *, recordings_dir: Path | None, telephony: Telephony) -> Audio:
    """This host's copy, else a temporary one from the carrier checked against the stored sha256.

    Raises NotFound when retention deleted the audio (it is never fetched again) or no copy
    exists anywhere, AudioUnavailable when the carrier fails or sends other bytes.
    """
    if recording.deleted_at is not None:
        raise NotFound("the recording was deleted under the retention policy")
    found = local_copy(recording, recordings_dir)
    if found is not None:
        return Audio(found, temporary=False)
    if not recording.local_path or recording.remote_deleted_at is not None:
        raise NotFound("the recording's audio is not on this server and the carrier has no copy")
    folder = Path(tempfile.mkdtemp(prefix="hotline-audio-"))
    try:
        fetched = telephony.fetch_recording(recording.source_url, folder / recording.recording_sid)
    except (RecordingRejected, RecordingUnavailable) as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise AudioUnavailable(f"could not fetch the recording from the carrier: {error}") from None
    if recording.sha256 and _sha256(fetched.path) != recording.sha256:
        shutil.rmtree(folder, ignore_errors=True)
        raise AudioUnavailable("the carrier's copy differs from the recording that was transcribed")
    return Audio(fetched.path, temporary=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()

"""The retention sweep: delete expired audio here and at Twilio, keeping transcript, sha256
and a deletion event; tickets on legal hold keep theirs; running it twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from hotline.calls.models import Recording
from hotline.calls.store import RecordingStore, StoreError
from hotline.core.clock import Clock
from hotline.reasons.codes import reason
from hotline.retention.rules import Held, cutoff, due
from hotline.telephony.port import TelephonyError
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket

BATCH = 500
RemoteDelete = Callable[[str], bool]  # recording SID → True deleted, False already gone


@dataclass
class SweepReport:
    """What one sweep did."""

    deleted: list[str] = field(default_factory=list)  # SIDs whose local audio went
    remote_deleted: list[str] = field(default_factory=list)  # SIDs gone at Twilio now
    held: int = 0  # expired but kept: the ticket is on legal hold
    failed: dict[str, str] = field(default_factory=dict)  # SID → why a delete failed (retried)


def _expired(limit: datetime) -> ColumnElement[bool]:
    return and_(Recording.deleted_at.is_(None), Recording.created_at < limit)


def _candidates(
    session: Session, limit: datetime, remote: bool
) -> Sequence[tuple[Recording, Ticket | None]]:
    """Expired audio not on hold, and (when Twilio can be reached) audio whose Twilio copy is
    still to delete."""
    not_held = or_(Ticket.id.is_(None), Ticket.legal_hold.is_(False))
    wanted = and_(_expired(limit), not_held)
    if remote:
        left = and_(Recording.deleted_at.is_not(None), Recording.remote_deleted_at.is_(None))
        wanted = or_(wanted, left)
    query = (
        select(Recording, Ticket)
        .outerjoin(Ticket, Ticket.call_id == Recording.call_id)
        .where(wanted)
        .order_by(Recording.id)
        .limit(BATCH)
    )
    return [(row[0], row[1]) for row in session.execute(query)]


def held_count(*, session: Session, clock: Clock, days: int) -> int:
    """Expired recordings kept because their ticket is on legal hold."""
    limit = cutoff(clock.now(), days)
    if limit is None:
        return 0
    query = (
        select(func.count())
        .select_from(Recording)
        .join(Ticket, Ticket.call_id == Recording.call_id)
        .where(_expired(limit), Ticket.legal_hold.is_(True))
    )
    return int(session.scalar(query) or 0)


def _remove_files(recording: Recording, recordings_dir: Path | None) -> None:
    """The local copy and any partial or other rendition kept beside it."""
    paths = {Path(recording.local_path)} if recording.local_path else set()
    if recordings_dir is not None and recordings_dir.is_dir():
        paths.update(recordings_dir.glob(f"{recording.recording_sid}.*"))
    for path in paths:
        path.unlink(missing_ok=True)


def _delete_local(
    session: Session,
    clock: Clock,
    recording: Recording,
    ticket: Ticket | None,
    recordings_dir: Path | None,
    store: RecordingStore,
) -> None:
    if recording.store_uri:
        store.delete(recording.store_uri)
        recording.store_uri = None
    _remove_files(recording, recordings_dir)
    recording.local_path = None
    recording.deleted_at = clock.now()
    if ticket is not None:
        tickets.record(
            session=session,
            clock=clock,
            ticket=ticket,
            action="retention",
            actor="retention",
            reason=reason(
                "retention.deleted", recording=recording.recording_sid, sha256=recording.sha256
            ),
            rule="recording-retention",
        )


def sweep(
    *,
    session: Session,
    clock: Clock,
    days: int,
    recordings_dir: Path | None,
    store: RecordingStore,
    delete_remote: RemoteDelete | None,
) -> SweepReport:
    """Delete the audio of recordings older than `days` (the shared and local copies first, then
    Twilio's); a store that fails leaves the recording for the next sweep."""
    report = SweepReport(held=held_count(session=session, clock=clock, days=days))
    now = clock.now()
    limit = cutoff(now, days)
    if limit is None:
        return report
    for recording, ticket in _candidates(session, limit, remote=delete_remote is not None):
        if recording.deleted_at is None:
            held = Held(recording.created_at, on_hold=ticket is not None and ticket.legal_hold)
            if not due(held, now=now, days=days):
                continue
            try:
                _delete_local(session, clock, recording, ticket, recordings_dir, store)
            except StoreError as error:
                recording.deletion_error = str(error)[:2000]
                report.failed[recording.recording_sid] = str(error)
                continue
            report.deleted.append(recording.recording_sid)
        if delete_remote is None:
            continue
        try:
            if delete_remote(recording.recording_sid):
                report.remote_deleted.append(recording.recording_sid)
        except TelephonyError as error:  # the next sweep tries again
            recording.deletion_error = str(error)[:2000]
            report.failed[recording.recording_sid] = str(error)
            continue
        recording.remote_deleted_at = clock.now()
        recording.deletion_error = None
    session.flush()
    return report

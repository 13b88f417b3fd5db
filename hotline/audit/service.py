"""Write and read the audit log."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.audit.models import AuditEntry
from hotline.core.clock import Clock


def record(
    *,
    session: Session,
    clock: Clock,
    username: str,
    action: str,
    ticket_id: int | None = None,
    detail: str | None = None,
    client: str | None = None,
) -> AuditEntry:
    """Note that someone saw personal data or did something security-relevant."""
    entry = AuditEntry(
        username=username,
        action=action,
        ticket_id=ticket_id,
        detail=detail,
        client=(client or "")[:64] or None,
        created_at=clock.now(),
    )
    session.add(entry)
    return entry


def recent(*, session: Session, limit: int = 200) -> Sequence[AuditEntry]:
    """The newest entries first."""
    return session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)).all()

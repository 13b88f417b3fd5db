"""Row counts across the tables a webhook may write."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.calls.models import Call, Recording
from hotline.notifications.models import Message
from hotline.outbox.models import OutboxMessage
from hotline.tickets.models import Ticket, TicketEvent
from hotline.transcripts.models import Transcript

TABLES = {
    "calls": Call,
    "recordings": Recording,
    "tickets": Ticket,
    "ticket_events": TicketEvent,
    "outbox": OutboxMessage,
    "transcripts": Transcript,
    "messages": Message,
}


def counts(session: Session) -> dict[str, int]:
    """How many rows each intake table holds."""
    session.rollback()  # a fresh snapshot
    return {
        name: int(session.scalar(select(func.count()).select_from(model)) or 0)
        for name, model in TABLES.items()
    }


def nothing_written(session: Session) -> bool:
    """True when no intake table has a row."""
    return not any(counts(session).values())

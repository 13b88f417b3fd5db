"""Bring the index up to date in bulk: tickets written before the index existed."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.database import unit_of_work
from hotline.search import documents


def index_missing(*, sessions: sessionmaker[Session]) -> int:
    """Index every ticket that has no document yet, a batch per transaction."""
    total = 0
    while True:
        with unit_of_work(sessions) as session:
            ids = documents.unindexed_tickets(session=session)
            if not ids:
                return total
            documents.index_tickets(session=session, ticket_ids=ids)
            total += len(ids)

"""Attach checked photos to a ticket, list them, and find a photo's file for a viewer."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import NotFound
from hotline.photos.models import PhotoKind, TicketPhoto
from hotline.photos.rules import CheckedPhoto, check_count
from hotline.tickets.models import Ticket, TicketEvent
from hotline.users.access import require
from hotline.users.permissions import Actor, Verb


def _write(store: Path, relative: str, data: bytes) -> None:
    """Write once, atomically: a half-written photo never appears under its final name."""
    target = store / relative
    if target.is_file():
        return  # content-addressed: the same bytes are already there
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".part")
    partial.write_bytes(data)
    os.replace(partial, target)


def attach(
    *,
    session: Session,
    clock: Clock,
    store: Path,
    actor: Actor,
    ticket: Ticket,
    event: TicketEvent | None,
    photos: Sequence[tuple[PhotoKind, CheckedPhoto]],
) -> list[TicketPhoto]:
    """Keep the photos under the ticket's reference and record who added them."""
    require(actor, Verb.RESOLVE)
    for kind in PhotoKind:
        check_count(kind.value, sum(1 for k, _ in photos if k is kind))
    added = []
    for kind, photo in photos:
        digest = hashlib.sha256(photo.data).hexdigest()
        relative = f"{ticket.reference}/{digest}.{photo.extension}"
        _write(store, relative, photo.data)
        row = TicketPhoto(
            ticket_id=ticket.id,
            event_id=event.id if event is not None else None,
            kind=kind.value,
            content_type=photo.content_type,
            size_bytes=len(photo.data),
            width=photo.width,
            height=photo.height,
            sha256=digest,
            path=relative,
            uploaded_by=actor.name,
            created_at=clock.now(),
        )
        session.add(row)
        added.append(row)
    session.flush()
    return added


def list_for(*, session: Session, ticket: Ticket) -> Sequence[TicketPhoto]:
    """The ticket's photos, before ones first, in the order they were added."""
    rows = session.scalars(
        select(TicketPhoto).where(TicketPhoto.ticket_id == ticket.id).order_by(TicketPhoto.id)
    ).all()
    return sorted(rows, key=lambda p: (p.kind != PhotoKind.BEFORE, p.id))


def file_or_raise(*, session: Session, store: Path, ticket: Ticket, photo_id: int) -> TicketPhoto:
    """The photo if it belongs to this ticket and its file is here; otherwise NotFound."""
    photo = session.get(TicketPhoto, photo_id)
    if photo is None or photo.ticket_id != ticket.id:
        raise NotFound(f"no photo {photo_id} on ticket {ticket.reference}")
    path = (store / photo.path).resolve()
    if not path.is_relative_to(store.resolve()) or not path.is_file():
        raise NotFound(f"the file of photo {photo_id} is missing on this server")
    return photo

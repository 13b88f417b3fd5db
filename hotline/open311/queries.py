"""GET requests: tickets as GeoReport v2 service requests, without who reported them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.grids.models import OrgUnit
from hotline.open311 import catalog, formats
from hotline.open311.models import Open311Request
from hotline.open311.rules import CLOSED, Query, open311_status
from hotline.tickets.models import Ticket, TicketNote

SERVICE_NOTICE = {
    "zh-CN": "已受理，将按接诉即办时限办理",
    "en": "Received; it will be handled within the hotline's time limits",
    "ko": "접수되었으며 처리 기한 내에 처리됩니다",
}


def _loaded(query: Any) -> Any:
    return query.options(
        selectinload(Ticket.grid).selectinload(OrgUnit.parent),
        selectinload(Ticket.team),
        selectinload(Ticket.responsible_unit),
    )


def find(*, session: Session, query: Query) -> list[Ticket]:
    """Tickets matching the filters, newest first, one page; confidential ones never."""
    statement = select(Ticket).where(Ticket.confidential.is_(False))
    if query.ids:
        statement = statement.where(Ticket.reference.in_(query.ids))
    else:
        assert query.start is not None and query.end is not None
        statement = statement.where(
            Ticket.created_at >= query.start, Ticket.created_at <= query.end
        )
        if query.service_codes:
            statement = statement.where(Ticket.category.in_(query.service_codes))
        if query.statuses == {"open"}:
            statement = statement.where(Ticket.status.not_in(list(CLOSED)))
        elif query.statuses == {"closed"}:
            statement = statement.where(Ticket.status.in_(list(CLOSED)))
    statement = (
        _loaded(statement)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .offset((query.page - 1) * query.page_size)
        .limit(query.page_size)
    )
    return list(session.scalars(statement))


def get(*, session: Session, reference: str) -> Ticket | None:
    """One ticket by its reference, unless it is confidential."""
    return session.scalar(
        _loaded(select(Ticket)).where(Ticket.reference == reference, Ticket.confidential.is_(False))
    )


def _notes(session: Session, ticket_ids: list[int]) -> dict[int, str]:
    latest: dict[int, str] = {}
    if not ticket_ids:
        return latest
    rows = session.execute(
        select(TicketNote.ticket_id, TicketNote.body)
        .where(TicketNote.ticket_id.in_(ticket_ids), TicketNote.visibility == "resident")
        .order_by(TicketNote.id)
    )
    for ticket_id, body in rows:
        latest[ticket_id] = body
    return latest


def _posted(session: Session, ticket_ids: list[int]) -> dict[int, Open311Request]:
    if not ticket_ids:
        return {}
    rows = session.scalars(select(Open311Request).where(Open311Request.ticket_id.in_(ticket_ids)))
    return {row.ticket_id: row for row in rows}


def views(
    *,
    session: Session,
    found: Sequence[Ticket],
    language: str,
    communities: dict[str, OrgUnit],
) -> list[dict[str, Any]]:
    """Each ticket as an Open311 service request in the reader's language."""
    ids = [ticket.id for ticket in found]
    notes, posted = _notes(session, ids), _posted(session, ids)
    out = []
    for ticket in found:
        sent = posted.get(ticket.id)
        place = ticket.grid or communities.get(ticket.location_code or "")
        handling = ticket.team or ticket.responsible_unit
        lat = (
            sent.latitude
            if sent and sent.latitude is not None
            else (place.latitude if place else None)
        )
        long = (
            sent.longitude
            if sent and sent.longitude is not None
            else (place.longitude if place else None)
        )
        code = ticket.category or "other"
        out.append(
            {
                "service_request_id": ticket.reference,
                "status": open311_status(ticket.status),
                "status_notes": notes.get(ticket.id),
                "service_name": catalog.service_name(code, language),
                "service_code": code,
                # Only what a resident wrote for publication; agents' notes of calls stay inside.
                "description": ticket.summary if sent is not None else None,
                "agency_responsible": handling.name_in(language) if handling else None,
                "service_notice": SERVICE_NOTICE.get(language),
                "requested_datetime": formats.iso(ticket.created_at),
                "updated_datetime": formats.iso(ticket.updated_at),
                "expected_datetime": formats.iso(ticket.due_at),
                "address": (sent.address_string if sent and sent.address_string else None)
                or (place.name_in(language) if place else None),
                "zipcode": None,
                "lat": lat,
                "long": long,
                "media_url": sent.media_url if sent else None,
            }
        )
    return out

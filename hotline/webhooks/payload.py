"""What a subscriber is told: the event and the ticket as it stands, never who called."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline.grids.models import OrgUnit
from hotline.open311.formats import iso
from hotline.open311.rules import open311_status
from hotline.tickets.models import Ticket, TicketEvent


def _unit(unit: OrgUnit | None) -> dict[str, str] | None:
    return {"code": unit.code, "name": unit.name_zh, "name_en": unit.name_en} if unit else None


def ticket_payload(
    *, ticket: Ticket, event: TicketEvent, kind: str, uid: str, at: datetime
) -> dict[str, Any]:
    """The JSON body of one event; `sequence` orders a ticket's events."""
    handling = ticket.team or ticket.responsible_unit
    return {
        "id": uid,
        "type": f"ticket.{kind}",
        "occurred_at": iso(at),
        "sequence": event.id,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "reason": event.reason,
        "ticket": {
            "reference": ticket.reference,
            "service_request_id": ticket.reference,
            "status": ticket.status,
            "open311_status": open311_status(ticket.status),
            "channel": ticket.channel,
            "category": ticket.category,
            "intake_type": ticket.intake_type,
            "urgency": ticket.urgency,
            "community": ticket.location_code,
            "grid": _unit(ticket.grid),
            "team": _unit(ticket.team),
            "agency_responsible": _unit(handling),
            "escalation_level": ticket.escalation_level,
            "response_due_at": iso(ticket.response_due_at),
            "due_at": iso(ticket.due_at),
            "created_at": iso(ticket.created_at),
            "updated_at": iso(ticket.updated_at),
        },
    }

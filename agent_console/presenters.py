"""Shape domain objects for templates: masked numbers, the merged timeline, allowed buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from hotline.reasons import service as reasons
from hotline.reasons.render import Names
from hotline.tickets.desk import ACTION_VERBS
from hotline.tickets.models import Ticket, TicketEvent, TicketNote
from hotline.tickets.transitions import TicketStatus, allowed_actions
from hotline.users.permissions import CONFIDENTIAL_MASK, Actor, mask_phone


@dataclass(frozen=True)
class TimelineItem:
    """One line in a ticket's history."""

    at: datetime
    actor: str
    title: str
    body: str | None


def phone_for(actor: Actor, ticket: Ticket) -> tuple[str, bool]:
    """The caller's number as this actor may see it, and whether it is unmasked."""
    if not ticket.caller:
        return "—", False
    if ticket.confidential:
        return CONFIDENTIAL_MASK, False
    if actor.sees_phone(assignee_id=ticket.assignee_id):
        return ticket.caller, True
    return mask_phone(ticket.caller), False


def phones(actor: Actor, tickets: Sequence[Ticket]) -> tuple[dict[int, str], list[str]]:
    """Numbers for a list, and the references whose numbers were shown unmasked."""
    shown: dict[int, str] = {}
    unmasked: list[str] = []
    for ticket in tickets:
        shown[ticket.id], visible = phone_for(actor, ticket)
        if visible and ticket.caller:
            unmasked.append(ticket.reference)
    return shown, unmasked


def buttons(actor: Actor, ticket: Ticket) -> list[str]:
    """Lifecycle actions this actor may take on the ticket now (none for an assisting unit)."""
    if not leads(actor, ticket):
        return []
    possible = allowed_actions(TicketStatus(ticket.status))
    return [a.value for a in possible if a in ACTION_VERBS and actor.may(ACTION_VERBS[a])]


def leads(actor: Actor, ticket: Ticket) -> bool:
    """Whether the actor sees the ticket as its lead (not only through an assisting task)."""
    return actor.sees(
        team_id=ticket.team_id, grid_id=ticket.grid_id, location_code=ticket.location_code
    )


IN_PLACE = frozenset(  # events that move no status
    {"urgency", "intake_type", "extension", "hand_over", "assist"}
    | {"confidential", "reveal", "hold", "retention"}
)


def _action_name(translate: Callable[..., str], action: str) -> str:
    name = translate("action." + action)
    return action if name == "action." + action else name


def timeline(
    events: Sequence[TicketEvent],
    notes: Sequence[TicketNote],
    t: object,
    *,
    language: str = "zh-CN",
    names: Names | None = None,
) -> list[TimelineItem]:
    """Events and notes, oldest first, reasons in the reader's language."""
    translate = t if callable(t) else (lambda key, **_: key)
    items = [
        TimelineItem(
            at=e.created_at,
            actor=e.actor,
            title=_action_name(translate, e.action)
            if e.action in IN_PLACE
            else f"{_action_name(translate, e.action)} → {translate('status.' + e.to_status)}",
            body=reasons.describe(
                reasons_json=e.reason_codes,
                fallback=e.reason,
                language=language,
                names=names or Names(),
            ),
        )
        for e in events
    ]
    items += [
        TimelineItem(
            at=n.created_at,
            actor=n.author,
            title=translate("ticket." + n.visibility),
            body=n.body,
        )
        for n in notes
    ]
    return sorted(items, key=lambda item: item.at)

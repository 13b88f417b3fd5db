"""Pure extension rules: when a request may be made, and how a request moves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hotline.tickets.transitions import TicketStatus

MAX_DAYS = 30
MAX_APPROVED = 2  # a case gets at most two extensions; beyond that it is escalated
WORKING_STATUSES = (TicketStatus.DISPATCHED, TicketStatus.ACCEPTED)


class ExtensionStatus(StrEnum):
    """Where a request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ExtensionMove(StrEnum):
    """What is done to a request."""

    APPROVE = "approve"
    REFUSE = "refuse"


MOVES: dict[tuple[ExtensionStatus, ExtensionMove], ExtensionStatus] = {
    (ExtensionStatus.PENDING, ExtensionMove.APPROVE): ExtensionStatus.APPROVED,
    (ExtensionStatus.PENDING, ExtensionMove.REFUSE): ExtensionStatus.REFUSED,
}


@dataclass(frozen=True)
class RequestCheck:
    """What a new request is judged on."""

    ticket_status: TicketStatus
    has_deadline: bool
    pending: bool
    approved: int
    days: int
    note: str


def refusal(check: RequestCheck) -> str | None:
    """Why a request cannot be made now, or None when it may."""
    if check.ticket_status not in WORKING_STATUSES:
        return f"only a ticket being worked on can be extended; this one is {check.ticket_status}"
    if not check.has_deadline:
        return "the ticket has no deadline to extend"
    if check.pending:
        return "an extension request is already waiting for a decision"
    if check.approved >= MAX_APPROVED:
        return f"the ticket has had {check.approved} extensions already; escalate it instead"
    if not 1 <= check.days <= MAX_DAYS:
        return f"ask for 1 to {MAX_DAYS} days"
    if not check.note.strip():
        return "say why more time is needed"
    return None


def decide(current: ExtensionStatus | None, move: ExtensionMove) -> ExtensionStatus:
    """The request's next status; ValueError (with the reason) when nothing waits."""
    if current is None:
        raise ValueError("no extension request is waiting for a decision")
    try:
        return MOVES[(current, move)]
    except KeyError:
        raise ValueError(f"the extension request was already {current.value}") from None

"""Pure ticket state machine: the only place status moves are defined."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    """Where a ticket stands in its lifecycle."""

    RECEIVED = "received"
    TRIAGED = "triaged"
    ANSWERED = "answered"
    DISPATCHED = "dispatched"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"
    MERGED = "merged"


class TicketAction(StrEnum):
    """What someone (or a job) does to a ticket."""

    TRIAGE = "triage"
    ANSWER = "answer"
    DISPATCH = "dispatch"
    ACCEPT = "accept"
    RETURN = "return"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    MERGE = "merge"
    ESCALATE = "escalate"


class InvalidTransition(ValueError):
    """The action is not allowed from the ticket's current status."""

    def __init__(self, current: TicketStatus, action: TicketAction) -> None:
        super().__init__(f"cannot {action.value} a ticket that is {current.value}")
        self.current = current
        self.action = action


S, A = TicketStatus, TicketAction
_OPEN = (S.RECEIVED, S.TRIAGED, S.DISPATCHED, S.ACCEPTED, S.RETURNED, S.REOPENED)

TRANSITIONS: dict[tuple[TicketStatus, TicketAction], TicketStatus] = {
    (S.RECEIVED, A.TRIAGE): S.TRIAGED,
    (S.RECEIVED, A.ANSWER): S.ANSWERED,
    (S.TRIAGED, A.TRIAGE): S.TRIAGED,
    (S.TRIAGED, A.ANSWER): S.ANSWERED,
    (S.TRIAGED, A.DISPATCH): S.DISPATCHED,
    (S.RETURNED, A.TRIAGE): S.TRIAGED,
    (S.RETURNED, A.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, A.DISPATCH): S.DISPATCHED,
    (S.DISPATCHED, A.ACCEPT): S.ACCEPTED,
    (S.DISPATCHED, A.RETURN): S.RETURNED,
    (S.ACCEPTED, A.RETURN): S.RETURNED,
    (S.ACCEPTED, A.RESOLVE): S.RESOLVED,
    (S.RESOLVED, A.CLOSE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.REOPENED,
    (S.ANSWERED, A.REOPEN): S.REOPENED,
    (S.CLOSED, A.REOPEN): S.REOPENED,
    (S.REOPENED, A.DISPATCH): S.DISPATCHED,
    (S.REOPENED, A.TRIAGE): S.TRIAGED,
    # Overdue: the next level up takes the ticket and must accept it afresh.
    (S.DISPATCHED, A.ESCALATE): S.DISPATCHED,
    (S.ACCEPTED, A.ESCALATE): S.DISPATCHED,
    **{(status, A.MERGE): S.MERGED for status in _OPEN},
}


def next_status(current: TicketStatus, action: TicketAction) -> TicketStatus:
    """Look up the allowed move or raise InvalidTransition."""
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise InvalidTransition(current, action) from None


def allowed_actions(current: TicketStatus) -> list[TicketAction]:
    """Actions that may be taken from a status, in declaration order."""
    return [action for (status, action) in TRANSITIONS if status == current]


PUBLIC_STATUS = {
    S.RECEIVED: "received",
    S.TRIAGED: "received",
    S.DISPATCHED: "in_progress",
    S.ACCEPTED: "in_progress",
    S.RETURNED: "in_progress",
    S.REOPENED: "in_progress",
    S.RESOLVED: "in_progress",
    S.CLOSED: "closed",
    S.ANSWERED: "closed",
    S.MERGED: "in_progress",
}


def public_status(status: TicketStatus) -> str:
    """What anyone may be told about a ticket: received, in_progress or closed."""
    return PUBLIC_STATUS[status]

"""Pure webhook rules: which ticket moves are events, and when a failed delivery retries."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from hotline.tickets.transitions import TicketAction

EVENTS = ("created", "dispatched", "resolved", "closed", "reopened")
_KINDS = {
    "create": "created",
    TicketAction.DISPATCH.value: "dispatched",
    TicketAction.ESCALATE.value: "dispatched",  # a new unit takes the case
    TicketAction.RESOLVE.value: "resolved",
    TicketAction.CLOSE.value: "closed",
    TicketAction.ANSWER.value: "closed",  # settled on the call
    TicketAction.MERGE.value: "closed",  # continues as another ticket
    TicketAction.REOPEN.value: "reopened",
}


def kind_of(action: str) -> str | None:
    """The event a ticket action is, or None for moves subscribers are not told about."""
    return _KINDS.get(action)


def parse_events(text: str) -> list[str]:
    """`created,dispatched` to a list; ValueError names what is unknown."""
    wanted = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [event for event in wanted if event not in EVENTS]
    if unknown or not wanted:
        raise ValueError(f"events: choose from {', '.join(EVENTS)} (not {', '.join(unknown)})")
    return list(dict.fromkeys(wanted))


def check_url(url: str) -> str:
    """An http(s) URL with a host; ValueError otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("url: an http:// or https:// address with a host")
    return url.strip()


def retry_delay(attempts: int, schedule: Sequence[int]) -> int | None:
    """Seconds before the next try after `attempts` failed tries; None once they are spent."""
    return schedule[attempts - 1] if 1 <= attempts <= len(schedule) else None


def succeeded(status_code: int | None) -> bool:
    """Any 2xx answer counts as received."""
    return status_code is not None and 200 <= status_code < 300

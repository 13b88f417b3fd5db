"""Pure jurisdiction rules: when "not ours" returns send a case to the unit of last resort."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.reasons.codes import Reason, reason
from hotline.routing.rules import Candidate, least_loaded

FALLBACK_ROLES = ("triage_officer", "supervisor")


@dataclass(frozen=True)
class Fallback:
    """Where a returned ticket goes: the review queue (unit None) or the district (兜底)."""

    unit: str | None
    assignee: str | None
    rule: str
    reason: Reason


def after_return(
    *, returns: int, max_returns: int, district: str | None, staff: tuple[Candidate, ...]
) -> Fallback:
    """A returned ticket goes back to triage until it has been returned `max_returns` times;
    then the district takes it (兜底), given to its least-loaded triage officer or supervisor."""
    if max_returns <= 0 or returns < max_returns:
        return Fallback(None, None, "returned-by-team", reason("review.returns", returns=returns))
    if district is None:
        return Fallback(
            None, None, "fallback-no-district", reason("review.no_fallback", returns=returns)
        )
    ready = [m for m in staff if m.active and m.role in FALLBACK_ROLES]
    chosen = least_loaded(ready) if ready else None
    return Fallback(
        district,
        chosen.code if chosen else None,
        "jurisdiction-fallback",
        reason("route.fallback", returns=returns, unit=district),
    )


def return_refusal(*, returns: int, max_returns: int, at_district: bool) -> str | None:
    """The unit of last resort cannot hand a case back once the returns are used up."""
    if at_district and max_returns > 0 and returns >= max_returns:
        return (
            f"returned {returns} times already: the district is the unit of last resort (兜底) "
            "and must handle it"
        )
    return None

"""Suggestions for the agent while the caller speaks, from the same rules that triage tickets."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.grids import service as grids
from hotline.triage import service as triage
from hotline.triage.config import TriageLevel
from hotline.triage.policy import TriagePolicy
from hotline.triage.rules import TriageInput, find_places
from hotline.triage.rules import triage as decide


@dataclass(frozen=True)
class Suggestion:
    """What the rules make of the conversation so far."""

    category: str | None = None
    confidence: float = 0.0
    community: str | None = None
    grid: str | None = None
    urgent: bool = False
    places: list[str] = field(default_factory=list)  # registry names heard
    duplicates: list[str] = field(default_factory=list)  # references of similar open tickets
    household: str | None = None  # the caller's household on file


def suggest(
    *, session: Session, clock: Clock, policy: TriagePolicy, caller: str, language: str, text: str
) -> Suggestion:
    """Category, place, urgency and possible duplicates for what the caller has said."""
    household = triage.household_for(session=session, phone=caller)
    known = triage.places(session=session)
    grid_code = household.grid.code if household else None
    community = household.grid.parent.code if household and household.grid.parent else None
    decision = decide(
        policy.config,
        TriageInput(
            language=language,
            transcript=text,
            transcript_ok=bool(text.strip()),
            household_grid=grid_code,
            household_community=community,
            places=known,
        ),
    )
    if not text.strip():
        return Suggestion(
            community=decision.community,
            grid=decision.grid,
            household=household.code if household else None,
        )
    grid = grids.get_unit_by_code(session=session, code=decision.grid) if decision.grid else None
    similar = triage.similar_open_tickets(
        session=session,
        since=clock.now() - policy.duplicate_window,
        category=decision.category,
        grid_id=grid.id if grid else None,
        location_code=decision.community,
        text=text,
    )
    return Suggestion(
        category=decision.category,
        confidence=decision.confidence,
        community=decision.community,
        grid=decision.grid,
        urgent=decision.level is TriageLevel.URGENT,
        places=[place.text for place in find_places(text, known)],
        duplicates=[ticket.reference for _, ticket in similar[:5]],
        household=household.code if household else None,
    )

"""Pure, table-driven routing: (grid, category) → team → member, with the rule that fired."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hotline.reasons.codes import Reason, reason

# Among members who handle the category, ties on open load go to the role earlier here.
ROLE_PREFERENCE = (
    "full_time_worker",
    "part_time_worker",
    "mediator",
    "community_police",
    "doctor",
    "building_head",
    "volunteer",
    "community_staff",
    "triage_officer",
)


@dataclass(frozen=True)
class Candidate:
    """A team member as routing sees them."""

    code: str
    role: str
    categories: tuple[str, ...]
    active: bool = True
    open_tickets: int = 0

    def handles(self, category: str) -> bool:
        """Does this member take this kind of problem?"""
        return self.active and category in self.categories


@dataclass(frozen=True)
class RoutingInput:
    """A triaged ticket and the teams that might take it."""

    category: str
    grid: str | None
    town: str | None
    grid_team: tuple[Candidate, ...] = ()
    town_triage_team: tuple[Candidate, ...] = ()
    household_member: str | None = None


@dataclass(frozen=True)
class Route:
    """Where the ticket goes and which rule decided it."""

    unit: str | None
    assignee: str | None
    rule: str
    reason: Reason


def least_loaded(members: list[Candidate]) -> Candidate:
    """Fewest open tickets; ties by ROLE_PREFERENCE, then code."""

    def rank(member: Candidate) -> tuple[int, int, str]:
        preference = (
            ROLE_PREFERENCE.index(member.role)
            if member.role in ROLE_PREFERENCE
            else len(ROLE_PREFERENCE)
        )
        return (member.open_tickets, preference, member.code)

    return min(members, key=rank)


def _household_member(data: RoutingInput) -> Route | None:
    if not data.grid or not data.household_member:
        return None
    member = next((m for m in data.grid_team if m.code == data.household_member), None)
    if member is None or not member.active:
        return None
    return Route(
        data.grid,
        member.code,
        "household-member",
        reason("route.household_member", member=member.code),
    )


def _least_loaded_handler(data: RoutingInput) -> Route | None:
    if not data.grid:
        return None
    # The grid leader coordinates; members who do the work are tried first.
    handlers = [m for m in data.grid_team if m.handles(data.category) and m.role != "grid_leader"]
    if not handlers:
        return None
    chosen = least_loaded(handlers)
    return Route(
        data.grid,
        chosen.code,
        "least-loaded-handler",
        reason(
            "route.least_loaded",
            member=chosen.code,
            role=chosen.role,
            category=data.category,
            open=chosen.open_tickets,
            grid=data.grid,
        ),
    )


def _grid_leader(data: RoutingInput) -> Route | None:
    if not data.grid:
        return None
    leaders = [m for m in data.grid_team if m.active and m.role == "grid_leader"]
    if not leaders:
        return None
    chosen = least_loaded(leaders)
    return Route(
        data.grid,
        chosen.code,
        "grid-leader",
        reason("route.grid_leader", grid=data.grid, category=data.category),
    )


def _town_triage(data: RoutingInput) -> Route | None:
    if not data.town:
        return None
    active = [m for m in data.town_triage_team if m.active]
    chosen = least_loaded(active) if active else None
    why = (
        reason("route.town_triage", town=data.town)
        if not data.grid
        else reason("route.town_triage_inactive", grid=data.grid, town=data.town)
    )
    return Route(data.town, chosen.code if chosen else None, "town-triage", why)


RULES: tuple[tuple[str, Callable[[RoutingInput], Route | None]], ...] = (
    ("household-member", _household_member),
    ("least-loaded-handler", _least_loaded_handler),
    ("grid-leader", _grid_leader),
    ("town-triage", _town_triage),
)


def route(data: RoutingInput) -> Route:
    """The first rule in RULES that applies; with none, the ticket waits for a person."""
    for _, rule in RULES:
        decided = rule(data)
        if decided is not None:
            return decided
    return Route(None, None, "unroutable", reason("route.unroutable"))

"""Routing rules, table-driven."""

from __future__ import annotations

import pytest

from hotline.reasons.codes import reason
from hotline.reasons.render import render
from hotline.routing.rules import Candidate, RoutingInput, route

LEADER = Candidate("G-01", "grid_leader", ("utilities", "noise_disputes", "other"), open_tickets=0)
FULL = Candidate("G-02", "full_time_worker", ("utilities", "roads_facilities"), open_tickets=3)
PART = Candidate("G-03", "part_time_worker", ("utilities",), open_tickets=1)
MEDIATOR = Candidate("G-05", "mediator", ("noise_disputes",), open_tickets=0)
POLICE = Candidate("G-06", "community_police", ("noise_disputes",), open_tickets=0)
AWAY = Candidate("G-09", "full_time_worker", ("social_assistance",), active=False)
TEAM = (LEADER, FULL, PART, MEDIATOR, POLICE, AWAY)
TRIAGE = (
    Candidate("T-TR1", "triage_officer", ("other",), open_tickets=5),
    Candidate("T-TR2", "triage_officer", ("other",), open_tickets=2),
)


@pytest.mark.parametrize(
    ("fields", "unit", "assignee", "rule"),
    [
        # the household's responsible member comes first
        ({"category": "utilities", "household_member": "G-02"}, "G", "G-02", "household-member"),
        # ... unless they are inactive
        (
            {"category": "social_assistance", "household_member": "G-09"},
            "G",
            "G-01",
            "grid-leader",
        ),
        # least loaded of those who handle the category
        ({"category": "utilities"}, "G", "G-03", "least-loaded-handler"),
        # equal load: the role earlier in the preference list wins
        ({"category": "noise_disputes"}, "G", "G-05", "least-loaded-handler"),
        # nobody lists the category: the grid leader
        ({"category": "social_assistance"}, "G", "G-01", "grid-leader"),
        # grid unknown: the town's triage team, least loaded
        ({"category": "utilities", "grid": None}, "T", "T-TR2", "town-triage"),
        # nothing known: a person routes it
        ({"category": "utilities", "grid": None, "town": None}, None, None, "unroutable"),
    ],
)
def test_routing_table(
    fields: dict[str, object], unit: str | None, assignee: str | None, rule: str
) -> None:
    data = RoutingInput(
        **{  # type: ignore[arg-type]
            "grid": "G",
            "town": "T",
            "grid_team": TEAM,
            "town_triage_team": TRIAGE,
            **fields,
        }
    )
    decided = route(data)
    assert (decided.unit, decided.assignee, decided.rule) == (unit, assignee, rule)
    assert decided.reason


def test_grid_without_active_members_falls_to_the_town() -> None:
    data = RoutingInput(
        category="utilities", grid="G", town="T", grid_team=(AWAY,), town_triage_team=TRIAGE
    )
    decided = route(data)
    assert (decided.unit, decided.rule) == ("T", "town-triage")
    assert decided.reason == reason("route.town_triage_inactive", grid="G", town="T")
    assert render(decided.reason, "en") == (
        "grid G has no active member; the triage team of T takes it"
    )

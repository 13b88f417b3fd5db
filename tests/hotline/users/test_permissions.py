"""Pure role rules: verbs, scopes and masked numbers."""

from __future__ import annotations

import pytest

from hotline.users.models import UserRole
from hotline.users.permissions import PERMISSIONS, Actor, Verb, mask_phone


def test_only_supervisors_close_and_reopen() -> None:
    for role, verbs in PERMISSIONS.items():
        if role in (UserRole.SUPERVISOR, "system"):
            assert {Verb.CLOSE, Verb.REOPEN} <= verbs
        else:
            assert not {Verb.CLOSE, Verb.REOPEN} & verbs


def test_grid_workers_see_only_their_team_not_their_grid() -> None:
    worker = Actor("w", UserRole.GRID_WORKER, scope=frozenset({7}), member_id=3)
    assert worker.sees(team_id=7, grid_id=None)
    assert not worker.sees(team_id=None, grid_id=7)  # routed to the town, not to them
    assert not worker.sees(team_id=8, grid_id=7)


def test_supervisors_see_their_town_by_team_grid_or_keyed_place() -> None:
    supervisor = Actor(
        "s", UserRole.SUPERVISOR, scope=frozenset({1, 2, 3}), places=frozenset({"1101"})
    )
    assert supervisor.sees(team_id=1, grid_id=None)
    assert supervisor.sees(team_id=None, grid_id=3)
    assert supervisor.sees(team_id=None, grid_id=None, location_code="1101")
    assert supervisor.sees(team_id=9, grid_id=None, location_code="1101")  # placed here, sent away
    assert not supervisor.sees(team_id=None, grid_id=None, location_code="1201")
    assert not supervisor.sees(team_id=None, grid_id=None)  # no place yet: not a town's ticket


def test_only_the_top_supervisors_see_tickets_with_no_place_yet() -> None:
    top = Actor(
        "d", UserRole.SUPERVISOR, scope=frozenset({1, 2}), places=frozenset({"D01"}), unplaced=True
    )
    assert top.sees(team_id=None, grid_id=None, location_code=None)
    assert not top.sees(team_id=None, grid_id=None, location_code="9999")
    worker = Actor("w", UserRole.GRID_WORKER, scope=frozenset({7}), unplaced=True)
    assert not worker.sees(team_id=None, grid_id=None)


def test_numbers_show_to_grid_workers_only_on_their_own_tickets() -> None:
    worker = Actor("w", UserRole.GRID_WORKER, scope=frozenset({7}), member_id=3)
    assert worker.sees_phone(assignee_id=3)
    assert not worker.sees_phone(assignee_id=4)
    assert not Actor("x", UserRole.GRID_WORKER, scope=frozenset({7})).sees_phone(assignee_id=None)
    assert Actor("a", UserRole.AGENT).sees_phone(assignee_id=None)


@pytest.mark.parametrize(
    ("number", "masked"),
    [("+8613712345678", "+86137****5678"), ("+15551234567", "+155****4567"), ("12345", "*****")],
)
def test_masking_keeps_the_prefix_and_last_four(number: str, masked: str) -> None:
    assert mask_phone(number) == masked

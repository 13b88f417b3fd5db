"""Rates and the grid-team ranking, worked out by hand."""

from __future__ import annotations

from hotline.metrics.rules import TeamFigures, rank_key, ranking, rate


def team(
    code: str, in_time: int, decided: int, overdue: int = 0, dispatched: int = 10
) -> TeamFigures:
    return TeamFigures(code, code, dispatched, in_time, decided, overdue)


def test_rate_is_none_when_nothing_was_counted() -> None:
    assert rate(0, 0) is None
    assert rate(3, 4) == 0.75


def test_ranking_orders_by_response_rate_then_fewer_overdue() -> None:
    teams = [
        team("A", 9, 10),  # 0.9
        team("B", 10, 10, overdue=2),  # 1.0 but two overdue
        team("C", 10, 10),  # 1.0
        team("D", 5, 10),  # 0.5
        team("E", 0, 0, dispatched=0),  # no work: not ranked
    ]
    best, worst = ranking(teams, size=2)
    assert [t.code for t in best] == ["C", "B"]
    assert [t.code for t in worst] == ["D", "A"]


def test_a_team_with_no_decided_deadline_ranks_below_any_known_rate() -> None:
    assert rank_key(team("X", 0, 0)) < rank_key(team("Y", 0, 5))


def test_small_lists_are_not_counted_twice() -> None:
    best, worst = ranking([team("A", 1, 1), team("B", 0, 1)], size=5)
    assert [t.code for t in best] == ["A", "B"]
    assert worst == []

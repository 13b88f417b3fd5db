"""Pure rate arithmetic and the grid-team ranking (红黑榜)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

NO_GROUP = "-"  # tickets not yet dispatched, or handled above the grouping level
NO_GROUP_NAME = "未派单或不属于此级 (no team at this level)"


def rate(numerator: int, denominator: int) -> float | None:
    """A share between 0 and 1, or None when nothing was counted."""
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class TeamFigures:
    """One group's counts over a period (a grid team, community, town or category)."""

    code: str
    name: str
    dispatched: int
    responded_in_time: int
    response_decided: int
    overdue: int
    solved_answers: int = 0  # surveys that answered "was it solved?"
    solved: int = 0
    scored: int = 0  # surveys that gave a 1-5 score
    satisfied: int = 0
    volume: int = 0
    completion_decided: int = 0  # dispatched in the period, completion deadline decided
    completed_on_time: int = 0  # of those, resolved by the (extended) deadline
    extensions: int = 0  # extension requests the unit made in the period
    returns: int = 0  # "not ours" returns by the unit in the period

    def __add__(self, other: TeamFigures) -> TeamFigures:
        return TeamFigures(
            self.code,
            self.name,
            *(getattr(self, f) + getattr(other, f) for f in COUNTS),
        )

    @property
    def response_rate(self) -> float | None:
        """Accepted within the response deadline, of those whose deadline is decided."""
        return rate(self.responded_in_time, self.response_decided)

    @property
    def on_time_rate(self) -> float | None:
        """Resolved by the deadline (按期办结率), of those whose deadline is decided."""
        return rate(self.completed_on_time, self.completion_decided)

    @property
    def resolution_rate(self) -> float | None:
        """Answered "solved", of surveyed tickets that answered the question."""
        return rate(self.solved, self.solved_answers)

    @property
    def satisfaction_rate(self) -> float | None:
        """Scored 4 or 5, of surveyed tickets that gave a score."""
        return rate(self.satisfied, self.scored)


COUNTS = (
    "dispatched",
    "responded_in_time",
    "response_decided",
    "overdue",
    "solved_answers",
    "solved",
    "scored",
    "satisfied",
    "volume",
    "completion_decided",
    "completed_on_time",
    "extensions",
    "returns",
)


def rank_key(team: TeamFigures) -> tuple[float, float, float, int]:
    """Higher is better: the three rates (unknown lowest), then fewer overdue."""

    def known(value: float | None) -> float:
        return -1.0 if value is None else value

    return (
        known(team.response_rate),
        known(team.resolution_rate),
        known(team.satisfaction_rate),
        -team.overdue,
    )


def ranking(
    teams: Sequence[TeamFigures], size: int = 5
) -> tuple[list[TeamFigures], list[TeamFigures]]:
    """Best and worst teams (红榜, 黑榜) among those with work in the period."""
    active = [t for t in teams if (t.dispatched or t.overdue) and t.code != NO_GROUP]
    ordered = sorted(active, key=lambda t: (rank_key(t), t.code), reverse=True)
    best = ordered[:size]
    worst = [t for t in reversed(ordered) if t not in best][:size]
    return best, worst

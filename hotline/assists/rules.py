"""Pure rules for assisting tasks: how a task moves, and when the lead may resolve."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class TaskStatus(StrEnum):
    """Where an assisting unit's task stands."""

    ASKED = "asked"  # the unit was asked to help and has not taken the task yet
    ACCEPTED = "accepted"
    REPORTED = "reported"  # the unit did its part and said what it did
    RELEASED = "released"  # a supervisor let the unit go without a report


class TaskMove(StrEnum):
    """What is done to a task."""

    ACCEPT = "accept"
    REPORT = "report"
    RELEASE = "release"


MOVES: dict[tuple[TaskStatus, TaskMove], TaskStatus] = {
    (TaskStatus.ASKED, TaskMove.ACCEPT): TaskStatus.ACCEPTED,
    (TaskStatus.ACCEPTED, TaskMove.REPORT): TaskStatus.REPORTED,
    (TaskStatus.ASKED, TaskMove.RELEASE): TaskStatus.RELEASED,
    (TaskStatus.ACCEPTED, TaskMove.RELEASE): TaskStatus.RELEASED,
}
DONE = frozenset({TaskStatus.REPORTED, TaskStatus.RELEASED})
OPEN = frozenset(TaskStatus) - DONE


def move(current: TaskStatus, task_move: TaskMove) -> TaskStatus:
    """The task's next status; ValueError with the reason when the move does not apply."""
    try:
        return MOVES[(current, task_move)]
    except KeyError:
        if task_move is TaskMove.REPORT and current is TaskStatus.ASKED:
            raise ValueError("accept the task before reporting on it") from None
        raise ValueError(f"the task is already {current.value}") from None


def resolve_refusal(open_units: Iterable[str]) -> str | None:
    """Why the lead may not resolve yet (assisting units still working), or None."""
    waiting = sorted(open_units)
    if not waiting:
        return None
    return f"assisting units have not reported yet: {', '.join(waiting)}"


def add_refusal(*, unit: str, lead: str | None, current: Iterable[str]) -> str | None:
    """Why a unit cannot be asked to assist on the ticket, or None when it can."""
    if lead is None:
        return "dispatch the ticket to a lead unit first"
    if unit == lead:
        return f"{unit} leads the ticket; it cannot also assist"
    if unit in set(current):
        return f"{unit} is already assisting on the ticket"
    return None

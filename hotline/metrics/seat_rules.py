"""Pure seat arithmetic (GB/T 33358 and call-centre practice), one call at a time.

Definitions (docs/seat-metrics.md recounts them with SQL):
- offered: inbound calls to the hotline (callbacks the hotline placed are not offered);
- queued: offered calls that asked for a person while agents were on duty (agent hours);
- answered: calls a person picked up; within 15 s: waited at most 15 s in the queue;
- abandoned: the caller hung up while waiting (within 15 s: after at most 15 s);
- connected (接通): answered by a person, or the IVR intake completed with a ticket;
- speed of answer: queue wait of an answered call; handle time: talk plus after-call work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ANSWER_TARGET_SECONDS = 15


@dataclass(frozen=True)
class CallFacts:
    """What the metrics need to know about one offered call."""

    hour: int  # local hour the call arrived
    queued: bool
    answered: bool
    abandoned: bool
    wait_seconds: float | None
    intake_ticket: bool  # the IVR intake ended with a ticket
    agent: str | None = None
    talk_seconds: float | None = None
    wrap_up_seconds: float | None = None


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 2) if count else None


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class SeatFigures:
    """Counts and sums over a set of calls, with the rates derived from them."""

    offered: int = 0
    queued: int = 0
    answered: int = 0
    answered_within_15s: int = 0
    abandoned: int = 0
    abandoned_within_15s: int = 0
    connected: int = 0
    wait_total: float = 0.0
    handled: int = 0  # answered calls whose talk and after-call work are both over
    handle_total: float = 0.0
    wrapped: int = 0
    wrap_total: float = 0.0
    talked: int = 0
    talk_total: float = 0.0

    def add(self, call: CallFacts) -> None:
        """Count one call."""
        self.offered += 1
        self.queued += call.queued
        wait = call.wait_seconds or 0.0
        quick = call.wait_seconds is not None and wait <= ANSWER_TARGET_SECONDS
        if call.answered:
            self.answered += 1
            self.answered_within_15s += quick
            self.wait_total += wait
        if call.abandoned:
            self.abandoned += 1
            self.abandoned_within_15s += quick
        self.connected += call.answered or call.intake_ticket
        if call.talk_seconds is not None:
            self.talked += 1
            self.talk_total += call.talk_seconds
        if call.wrap_up_seconds is not None:
            self.wrapped += 1
            self.wrap_total += call.wrap_up_seconds
            if call.talk_seconds is not None:
                self.handled += 1
                self.handle_total += call.talk_seconds + call.wrap_up_seconds

    def as_json(self) -> dict[str, int | float | None]:
        """Counts, then the rates and averages."""
        return {
            "offered": self.offered,
            "queued": self.queued,
            "answered": self.answered,
            "answered_within_15s": self.answered_within_15s,
            "answered_within_15s_rate": _rate(self.answered_within_15s, self.queued),
            "connected": self.connected,
            "connection_rate": _rate(self.connected, self.offered),
            "abandoned": self.abandoned,
            "abandoned_within_15s": self.abandoned_within_15s,
            "abandon_rate": _rate(self.abandoned, self.queued),
            "average_speed_of_answer_seconds": _mean(self.wait_total, self.answered),
            "average_talk_seconds": _mean(self.talk_total, self.talked),
            "average_wrap_up_seconds": _mean(self.wrap_total, self.wrapped),
            "average_handle_seconds": _mean(self.handle_total, self.handled),
        }


def tally(
    calls: Iterable[CallFacts],
) -> tuple[SeatFigures, dict[str, SeatFigures], list[SeatFigures]]:
    """Totals, per agent (the calls each answered), and per local hour (0-23)."""
    totals = SeatFigures()
    agents: dict[str, SeatFigures] = {}
    hours = [SeatFigures() for _ in range(24)]
    for call in calls:
        totals.add(call)
        hours[call.hour].add(call)
        if call.agent:
            agents.setdefault(call.agent, SeatFigures()).add(call)
    return totals, dict(sorted(agents.items())), hours

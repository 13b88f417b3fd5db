"""`hotline report --seats`: the seat figures as Markdown or CSV."""

from __future__ import annotations

import csv
from typing import TextIO

from hotline.metrics.periods import local_span
from hotline.metrics.seat_rules import SeatFigures
from hotline.metrics.seats import SeatReport

COLUMNS = (
    "offered",
    "queued",
    "answered",
    "answered_within_15s",
    "answered_within_15s_rate",
    "connected",
    "connection_rate",
    "abandoned",
    "abandoned_within_15s",
    "abandon_rate",
    "average_speed_of_answer_seconds",
    "average_talk_seconds",
    "average_wrap_up_seconds",
    "average_handle_seconds",
)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _pct(value: object) -> str:
    return "—" if value is None else f"{float(str(value)) * 100:.1f}%"


def _secs(value: object) -> str:
    return "—" if value is None else f"{float(str(value)):.1f} s"


def write_seats(out: TextIO, style: str, report: SeatReport, timezone: str) -> None:
    """Totals, then per agent, then per local hour."""
    rows: list[tuple[str, str, SeatFigures]] = [("all", "", report.totals)]
    rows += [("agent", name, figures) for name, figures in report.agents.items()]
    rows += [("hour", f"{hour:02d}", f) for hour, f in enumerate(report.hours) if f.offered]
    if style == "csv":
        writer = csv.writer(out)
        writer.writerow(("group", "key", "rung", "missed", *COLUMNS))
        for group, key, figures in rows:
            data = figures.as_json()
            rung, missed = report.rings.get(key, (0, 0)) if group == "agent" else ("", "")
            writer.writerow((group, key, rung, missed, *(_cell(data[c]) for c in COLUMNS)))
        return
    totals = report.totals.as_json()
    out.write(
        f"# Seats {local_span(report.since, report.until, timezone)}\n\n"
        f"- offered: {totals['offered']}; asked for a person: {totals['queued']}\n"
        f"- answered by a person: {totals['answered']}; within 15 s: "
        f"{totals['answered_within_15s']} ({_pct(totals['answered_within_15s_rate'])})\n"
        f"- connection rate (接通率): {_pct(totals['connection_rate'])} "
        f"({totals['connected']}/{totals['offered']})\n"
        f"- abandoned: {totals['abandoned']} ({_pct(totals['abandon_rate'])}), "
        f"of which within 15 s: {totals['abandoned_within_15s']}\n"
        f"- average speed of answer: {_secs(totals['average_speed_of_answer_seconds'])}; "
        f"handle time: {_secs(totals['average_handle_seconds'])}; "
        f"wrap-up: {_secs(totals['average_wrap_up_seconds'])}\n\n"
    )
    out.write("| agent | rung | missed | answered | ≤15 s | speed of answer | handle | wrap-up |\n")
    out.write("|---|---:|---:|---:|---:|---:|---:|---:|\n")
    for name, figures in report.agents.items():
        data = figures.as_json()
        rung, missed = report.rings.get(name, (0, 0))
        out.write(
            f"| {name} | {rung} | {missed} | {data['answered']} | {data['answered_within_15s']} | "
            f"{_secs(data['average_speed_of_answer_seconds'])} | "
            f"{_secs(data['average_handle_seconds'])} | "
            f"{_secs(data['average_wrap_up_seconds'])} |\n"
        )
    out.write("\n| hour | offered | answered | ≤15 s rate | abandoned | connection |\n")
    out.write("|---|---:|---:|---:|---:|---:|\n")
    for hour, figures in enumerate(report.hours):
        if figures.offered:
            data = figures.as_json()
            out.write(
                f"| {hour:02d} | {data['offered']} | {data['answered']} | "
                f"{_pct(data['answered_within_15s_rate'])} | {data['abandoned']} | "
                f"{_pct(data['connection_rate'])} |\n"
            )

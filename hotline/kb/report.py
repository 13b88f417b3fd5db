"""`hotline report --kb`: the knowledge-base figures as Markdown or CSV."""

from __future__ import annotations

import csv
from typing import TextIO

from hotline.kb.figures import KbFigures
from hotline.metrics.periods import local_span


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def write_kb(out: TextIO, style: str, figures: KbFigures, timezone: str) -> None:
    """Totals, the articles that helped, the questions nothing answered."""
    if style == "csv":
        writer = csv.writer(out)
        writer.writerow(("section", "key", "title", "answered", "opened", "searches", "value"))
        for name in (
            "answered_by_person",
            "answered_on_call",
            "answered_from_kb",
            "searches",
            "searches_without_hits",
        ):
            writer.writerow(("total", name, "", "", "", "", getattr(figures, name)))
        for name in ("answered_at_seat_rate", "kb_answer_rate"):
            value = getattr(figures, name)
            writer.writerow(("total", name, "", "", "", "", "" if value is None else value))
        for use in figures.top_articles:
            writer.writerow(("article", use.code, use.title, use.answered, use.opened, "", ""))
        for missed in figures.missing:
            writer.writerow(("missing", missed.query, "", "", "", missed.searches, ""))
        return
    out.write(
        f"# Knowledge base {local_span(figures.since, figures.until, timezone)}\n\n"
        f"- calls answered by a person: {figures.answered_by_person}\n"
        f"- answered on the call (consultations settled at the seat): "
        f"{figures.answered_on_call} ({_pct(figures.answered_at_seat_rate)} of the calls a person "
        f"answered)\n"
        f"- of those, answered from an article: {figures.answered_from_kb} "
        f"({_pct(figures.kb_answer_rate)})\n"
        f"- searches: {figures.searches}, {figures.searches_without_hits} found nothing\n\n"
        "## Top articles\n\n| article | title | answered from | opened |\n|---|---|---:|---:|\n"
    )
    for use in figures.top_articles:
        out.write(f"| {use.code} | {use.title} | {use.answered} | {use.opened} |\n")
    out.write("\n## Searches that found nothing (what the knowledge base is missing)\n\n")
    out.write("| question | times | last |\n|---|---:|---|\n")
    for missed in figures.missing:
        out.write(f"| {missed.query} | {missed.searches} | {missed.last_at:%Y-%m-%d %H:%M} |\n")

"""`hotline report --hotspots`: tickets by place and category against the period before."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import TextIO

from hotline.hotspots.service import HotspotReport
from hotline.metrics.periods import local_span

COLUMNS = ("level", "place", "name", "category", "count", "previous", "change", "change_rate")


def write_hotspots(out: TextIO, fmt: str, reports: Sequence[HotspotReport], timezone: str) -> None:
    """CSV (one row per place and category) or Markdown (a table per level)."""
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for report in reports:
            for h in report.rows:
                rate = "" if h.change_rate is None else f"{h.change_rate:.4f}"
                row = [h.level.value, h.place, h.name, h.category, h.count, h.previous]
                writer.writerow([*row, h.change, rate])
        return
    for report in reports:
        span = local_span(report.since, report.until, timezone)
        out.write(f"# Hotspots by {report.level.value}: {span}\n\n")
        out.write(f"Compared with the period from {report.previous_since:%Y-%m-%d}.\n\n")
        out.write("| place | category | count | previous | change |\n|---|---|---:|---:|---:|\n")
        for h in report.rows:
            sign = "+" if h.change > 0 else ""
            out.write(
                f"| {h.place} {h.name if h.name != h.place else ''} | {h.category} | {h.count} "
                f"| {h.previous} | {sign}{h.change} |\n"
            )
        out.write("\n")

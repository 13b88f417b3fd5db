"""Job functions for recovery tests (importable by a forked work horse)."""

from __future__ import annotations

from pathlib import Path

from worker.failure_points import reach


def count_run(tally: str) -> int:
    """Append one line per run, then pass the `count:after` failure point; returns the runs."""
    path = Path(tally)
    with path.open("a") as handle:
        handle.write("run\n")
    reach("count:after")
    return len(path.read_text().splitlines())

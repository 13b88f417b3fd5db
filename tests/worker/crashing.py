"""Job functions for recovery tests (importable by a forked work horse)."""

from __future__ import annotations

import time
from pathlib import Path

from worker.failure_points import reach


def count_run(tally: str) -> int:
    """Append one line per run, then pass the `count:after` failure point; returns the runs."""
    path = Path(tally)
    with path.open("a") as handle:
        handle.write("run\n")
    reach("count:after")
    return len(path.read_text().splitlines())


def slow_run(tally: str, seconds: float) -> int:
    """Note the start, sleep `seconds`, note the end; returns the lines written."""
    path = Path(tally)
    with path.open("a") as handle:
        handle.write("start\n")
    time.sleep(seconds)
    with path.open("a") as handle:
        handle.write("end\n")
    return len(path.read_text().splitlines())

"""The README's demo command runs the whole call → ticket path on embedded defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import free_port


@pytest.mark.slow
@pytest.mark.vosk
def test_demo_places_calls_and_prints_the_table(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "demo", "--exit", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("reference"))
    rows = [line.split() for line in lines[header + 1 : header + 7]]
    year = datetime.now(UTC).year
    assert [row[0] for row in rows] == [f"{year}-{n:06d}" for n in range(1, 7)]
    assert {row[1] for row in rows} == {"ko", "zh-CN", "en"}
    # Keyed community: dispatched to the town triage team; no location: waits for a person.
    assert [row[4] for row in rows] == [
        "dispatched",
        "dispatched",
        "triaged",
        "dispatched",
        "dispatched",
        "triaged",
    ]
    assert [row[7] for row in rows] == ["T01", "T02", "-", "T01", "T02", "-"]
    stt: dict[str, set[str]] = {}
    for row in rows:
        stt.setdefault(row[1], set()).add(row[6])
    assert stt == {"ko": {"ok"}, "zh-CN": {"failed"}, "en": {"failed"}}
    assert all(len(row) > 9 for row in rows)  # text, or the reason there is none
    # A person answers: the agent is rung, the caller speaks, lines arrive, the ticket is filed.
    seat = lines[lines.index("2. A person answers: an agent signs in and takes a Korean call") :]
    events = [line.split()[1:3] for line in seat if line[:7].strip().replace(".", "").isdigit()]
    assert ["demo-agent", "ringing"] in events and ["demo-agent", "on_call"] in events
    assert ["caller", "final"] in events and ["agent", "final"] in events
    filed = next(line for line in seat if line.startswith("ticket "))
    assert filed.split()[1] == f"{year}-000007"
    assert "dispatched to team 1101-01" in filed and filed.endswith("transcribed offline: ok")
    asked = next(line for line in seat if line.startswith("knowledge base: "))
    assert asked.endswith("→ water-outage (停水：什么时候来水)")  # the demo knowledge base answers
    apps = lines[
        lines.index("4. A city app files through Open311; a department system gets signed events") :
    ]
    assert apps[1].startswith("POST /open311/v2/requests.json → 201")
    assert apps[2].endswith("→ 200, the same request")
    got = [line.split() for line in apps if line.startswith("department system got")]
    assert [g[3] for g in got] == ["ticket.created", "ticket.dispatched"]
    assert all(line[-1] == "valid" for line in got)
    assert "team 1102-02" in " ".join(apps)  # 西关小学 is a landmark of grid 1102-02
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path)], capture_output=True, text=True
    ).stdout.split()
    assert leftovers == []

"""The dashboard's hotspot chart and the proactive case a supervisor opens from it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.agent_console.arrange import Cases, csrf, sign_in


def test_a_supervisor_reads_the_hotspots_and_opens_a_proactive_case(
    console: TestClient, cases: Cases
) -> None:
    sign_in(console, "supervisor")
    page = console.get("/console/dashboard").text
    section = page[page.index('id="hotspots"') :]
    assert '<svg class="chart hotspots"' in section
    row = re.search(r'<tr data-place="1101" data-category="utilities">(.*?)</tr>', section, re.S)
    assert row, section[:2000]
    assert re.findall(r"<td>(\d+)</td>", row.group(1))[:2] == ["2", "0"]  # review + mine
    opened = console.post(
        "/console/hotspots/case",
        data={
            "level": "community",
            "place": "1101",
            "category": "utilities",
            "csrf_token": csrf(console),
        },
        follow_redirects=False,
    )
    assert opened.status_code == 303
    case = console.get(opened.headers["location"]).text
    linked = case[case.index('id="linked"') :]
    assert cases.review in linked and cases.mine in linked and cases.other not in linked
    by_grid = console.get("/console/dashboard", params={"hotspots": "grid"}).text
    assert 'aria-current="true">按网格' in by_grid
    nothing = console.post(
        "/console/hotspots/case",
        data={
            "level": "grid",
            "place": "9999-99",
            "category": "other",
            "csrf_token": csrf(console),
        },
    )
    assert nothing.status_code == 409

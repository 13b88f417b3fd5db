"""Server-rendered SVG bars."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from agent_console.charts import bar_chart


def test_bars_scale_to_the_largest_value_and_escape_labels() -> None:
    svg = ET.fromstring(str(bar_chart([("a<b", 2), ("c", 4), ("d", 0)], title="T&T", height=100)))
    bars = svg.findall("{http://www.w3.org/2000/svg}rect") or svg.findall("rect")
    heights = [float(bar.get("height", "0")) for bar in bars]
    assert heights[1] == 100 - 16 - 28 and heights[0] == heights[1] / 2 and heights[2] == 0
    assert svg.get("aria-label") == "T&T"
    assert any("a<b" in (t.text or "") for t in svg.iter() if t.tag.endswith("text"))


def test_an_empty_chart_renders() -> None:
    assert str(bar_chart([], title="none")).startswith("<svg")

"""Small server-rendered SVG bar charts, readable without JavaScript."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape


def bar_chart(
    bars: Sequence[tuple[str, int]], *, title: str, width: int = 640, height: int = 180
) -> Markup:
    """Vertical bars with their labels and values; the title is the accessible name."""
    top, bottom, left = 16, 28, 8
    plot = height - top - bottom
    peak = max((value for _, value in bars), default=0) or 1
    step = min((width - left * 2) / max(len(bars), 1), 90.0)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(bars):
        bar_height = plot * value / peak
        x = left + index * step
        y = top + plot - bar_height
        parts.append(
            f'<rect class="bar" x="{x + step * 0.15:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar_height:.1f}"><title>{escape(label)}: {value}</title></rect>'
        )
        if value:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{value}</text>'
            )
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{height - 10}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))

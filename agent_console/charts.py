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


def change_chart(
    bars: Sequence[tuple[str, int, int]], *, title: str, width: int = 640, row: int = 26
) -> Markup:
    """Horizontal bars (this period) with a tick for the period before and the change written
    beside each bar, so a rise reads at a glance; the title is the accessible name."""
    label_width, value_width, top = 230, 90, 8
    plot = width - label_width - value_width
    peak = max((max(now, before) for _, now, before in bars), default=0) or 1
    height = top * 2 + row * max(len(bars), 1)
    parts = [
        f'<svg class="chart hotspots" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, now, before) in enumerate(bars):
        y = top + index * row
        length = plot * now / peak
        tick = label_width + plot * before / peak
        change = now - before
        kind = "up" if change > 0 else "down" if change < 0 else "same"
        sign = "▲" if change > 0 else "▼" if change < 0 else "＝"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row * 0.65:.1f}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="bar {kind}" x="{label_width}" y="{y + 4}" width="{length:.1f}" '
            f'height="{row - 8}"><title>{escape(label)}: {now} ({before})</title></rect>'
            f'<line class="previous" x1="{tick:.1f}" x2="{tick:.1f}" y1="{y + 2}" '
            f'y2="{y + row - 2}"/>'
            f'<text class="change {kind}" x="{label_width + length + 6:.1f}" '
            f'y="{y + row * 0.65:.1f}">{now} {sign}{abs(change)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))

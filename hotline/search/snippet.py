"""A short, highlighted excerpt around the words a query found (pure, HTML-escaped)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

WIDTH = 80
LEAD = 16  # characters kept before the first match


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        for match in re.finditer(re.escape(term), text, flags=re.IGNORECASE):
            span = match.span()
            if not any(s < span[1] and span[0] < e for s, e in found):
                found.append(span)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):  # 暖气 + 不热 side by side: one mark
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, terms: Sequence[str], width: int = WIDTH) -> str:
    """Up to `width` characters of `text` around its first match, matches in <mark>."""
    flat = " ".join(text.split())
    spans = _spans(flat, terms)
    start = max(0, spans[0][0] - LEAD) if spans else 0
    end = min(len(flat), start + width)
    out = ["…" if start > 0 else ""]
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        out.append(escape(flat[cursor:s]))
        out.append(f"<mark>{escape(flat[s:e])}</mark>")
        cursor = e
    out.append(escape(flat[cursor:end]))
    out.append("…" if end < len(flat) else "")
    return "".join(out)

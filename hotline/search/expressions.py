"""Full-text query strings for FTS5 and tsquery, built from segmented terms (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

_SAFE = re.compile(r"^\w+$")


_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")


def _prefix(term: str) -> bool:
    """A single Chinese or Korean character is searched as the start of a word (井 → 井盖)."""
    return len(term) == 1 and not term.isascii()


def _pairs(term: str, *, grams: bool) -> list[str]:
    """A Chinese word of three or more characters against a pair index: its pairs, in order."""
    if grams and len(term) > 2 and _HAN.match(term):
        return [term[i : i + 2] for i in range(len(term) - 1)]
    return [term]


def _expression(
    terms: Sequence[str], *, grams: bool, prefix: str, phrase: Callable[[list[str]], str]
) -> list[str]:
    parts = []
    for term in (t for t in terms if _SAFE.match(t)):
        parts.append(prefix.format(term) if _prefix(term) else phrase(_pairs(term, grams=grams)))
    return parts


def _ts_phrase(pairs: list[str]) -> str:
    joined = " <-> ".join(f"'{p}'" for p in pairs)
    return f"({joined})" if len(pairs) > 1 else joined


def fts5(terms: Sequence[str], *, any_term: bool, grams: bool = False) -> str:
    """An FTS5 MATCH expression: every term quoted (a phrase of pairs with `grams`)."""
    parts = _expression(
        terms, grams=grams, prefix='"{}"*', phrase=lambda pairs: '"' + " ".join(pairs) + '"'
    )
    return (" OR " if any_term else " AND ").join(parts)


def tsquery(terms: Sequence[str], *, any_term: bool, grams: bool = False) -> str:
    """A tsquery literal: every lexeme quoted as is (no parser); pairs follow each other."""
    parts = _expression(terms, grams=grams, prefix="'{}':*", phrase=_ts_phrase)
    return (" | " if any_term else " & ").join(parts)

"""Pure: a reason in a reader's language, with categories, units and members named."""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from hotline.reasons.codes import Param, Reason

CATALOG = Path(__file__).with_name("catalog.yaml")
FALLBACK_LANGUAGE = "en"
NAMED = {
    "category": "category",
    "keyed": "category",
    "rival": "category",
    "role": "role",
    "level": "level",
    "unit_level": "unit_level",
    "solved": "solved",
    "intake_type": "intake_type",
    "from_type": "intake_type",
    "to_type": "intake_type",
    "urgency": "urgency",
    "from_class": "urgency",
    "to_class": "urgency",
}
UNIT_KEYS = frozenset({"unit", "grid", "community", "town", "from_unit", "to_unit"})
MEMBER_KEYS = frozenset({"member", "from_member", "to_member"})
SHARE_KEYS = frozenset({"confidence", "threshold"})
SEPARATORS = {"zh-CN": "；", "ko": "; ", "en": "; "}


@dataclass(frozen=True)
class Catalog:
    """Messages by code and language, and names of the fixed vocabularies."""

    messages: Mapping[str, Mapping[str, str]]
    names: Mapping[str, Mapping[str, Mapping[str, str]]]


@dataclass(frozen=True)
class Names:
    """Registry names the reasons refer to: units (by code and language) and members."""

    units: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    members: Mapping[str, str] = field(default_factory=dict)


@cache
def catalog() -> Catalog:
    """The shipped catalog, read once."""
    data: dict[str, Any] = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))
    return Catalog(messages=data["messages"], names=data["names"])


def _in(texts: Mapping[str, str], language: str) -> str | None:
    return texts.get(language) or texts.get(FALLBACK_LANGUAGE)


def _value(key: str, value: Param, language: str, names: Names, book: Catalog) -> str:
    text = str(value)
    if key in NAMED:
        found = book.names.get(NAMED[key], {}).get(text)
        return (_in(found, language) or text) if found else text
    if key in UNIT_KEYS:
        unit = names.units.get(text)
        name = _in(unit, language) if unit else None
        return f"{name} ({text})" if name else text
    if key in MEMBER_KEYS:
        person = names.members.get(text)
        return f"{person} ({text})" if person else text
    if key in SHARE_KEYS and isinstance(value, int | float):
        return f"{value * 100:.0f}%"
    return text


def render(
    reason: Reason, language: str, names: Names | None = None, book: Catalog | None = None
) -> str:
    """The reason as a sentence in the language (English where the catalog lacks it)."""
    book = book or catalog()
    names = names or Names()
    texts = book.messages.get(reason.code) or {}
    # A message missing in the language falls back to English, names and all.
    language = language if language in texts else FALLBACK_LANGUAGE
    template = texts.get(language)
    values = {k: _value(k, v, language, names, book) for k, v in reason.params.items()}
    if template is None:
        details = ", ".join(f"{k}={v}" for k, v in values.items())
        return f"{reason.code} ({details})" if details else reason.code
    wanted = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    return template.format(**{f: values.get(f, "—") for f in wanted})


def render_all(
    reasons: Iterable[Reason],
    language: str,
    names: Names | None = None,
    book: Catalog | None = None,
) -> str:
    """Several reasons as one line."""
    separator = SEPARATORS.get(language, "; ")
    return separator.join(render(r, language, names, book) for r in reasons)


def referenced(reasons: Iterable[Reason]) -> tuple[set[str], set[str]]:
    """Unit codes and member codes the reasons name, so callers load only those."""
    units: set[str] = set()
    members: set[str] = set()
    for r in reasons:
        for key, value in r.params.items():
            if key in UNIT_KEYS:
                units.add(str(value))
            elif key in MEMBER_KEYS:
                members.add(str(value))
    return units, members

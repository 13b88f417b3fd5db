"""Why a decision was taken, as a code with parameters: rendered in each reader's language."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Param = str | int | float
NOTE = "note"  # a person's own words, shown as written


@dataclass(frozen=True)
class Reason:
    """One reason: a catalog code and the values its message needs."""

    code: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The stored form."""
        return {"code": self.code, "params": dict(self.params)}

    @property
    def is_review(self) -> bool:
        """Whether this reason sends the ticket to a person."""
        return self.code.startswith("review.")


def reason(code: str, **params: Param | None) -> Reason:
    """A reason; parameters given as None are left out."""
    return Reason(code, {k: v for k, v in params.items() if v is not None})


def note(text: str) -> Reason:
    """A person's words (a return, a merge, a reopen), never translated."""
    return Reason(NOTE, {"text": text})


def as_reasons(value: str | Reason | Sequence[Reason] | None) -> list[Reason]:
    """Normalise what a caller passes: free text is a person's note."""
    if value is None:
        return []
    if isinstance(value, str):
        return [note(value)] if value.strip() else []
    if isinstance(value, Reason):
        return [value]
    return list(value)


def to_json(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    """The stored form of several reasons."""
    return [r.as_json() for r in reasons]


def from_json(data: Any) -> list[Reason]:
    """Reasons read back from a JSON column; anything malformed is skipped."""
    found = []
    for item in data if isinstance(data, list) else []:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            params = item.get("params")
            found.append(Reason(item["code"], params if isinstance(params, dict) else {}))
    return found

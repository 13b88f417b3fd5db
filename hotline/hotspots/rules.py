"""Pure hotspot rules: count changes between two periods, ranked; landmarks named in text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class PlaceLevel(StrEnum):
    """How finely tickets are grouped by place."""

    GRID = "grid"
    COMMUNITY = "community"
    LANDMARK = "landmark"


Key = tuple[str, str]  # (place, category)


@dataclass(frozen=True)
class Hotspot:
    """One place and category: tickets this period and the one before."""

    level: PlaceLevel
    place: str
    name: str
    category: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        """More (positive) or fewer (negative) tickets than the period before."""
        return self.count - self.previous

    @property
    def change_rate(self) -> float | None:
        """The change as a share of the period before; None when it had none."""
        return self.change / self.previous if self.previous else None


def compare(
    *,
    level: PlaceLevel,
    current: Mapping[Key, int],
    previous: Mapping[Key, int],
    names: Mapping[str, str],
    min_count: int = 1,
) -> list[Hotspot]:
    """Every place and category seen in either period with at least `min_count` tickets now
    (or before), most tickets first, then the biggest rise, then by place."""
    found = [
        Hotspot(
            level,
            place,
            names.get(place, place),
            category,
            current.get((place, category), 0),
            previous.get((place, category), 0),
        )
        for place, category in set(current) | set(previous)
    ]
    kept = [h for h in found if max(h.count, h.previous) >= min_count]
    return sorted(kept, key=lambda h: (-h.count, -h.change, h.place, h.category))


def landmark_in(text: str, landmarks: Iterable[str]) -> str | None:
    """The longest of the landmarks the text names, or None."""
    named = [name for name in landmarks if name and name in text]
    return max(named, key=lambda name: (len(name), name)) if named else None

"""Pure map rules: is a point inside a unit's boundary, and how far is it from a unit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

EARTH_RADIUS_M = 6_371_000.0
NEAREST_WITHIN_M = 500.0  # a point outside every boundary goes to a unit centre this close


@dataclass(frozen=True)
class MappedUnit:
    """A community or grid with whatever map data the registry has for it."""

    code: str
    community: str  # the unit's own code for a community, its parent's for a grid
    is_grid: bool
    point: tuple[float, float] | None
    boundary: Sequence[Sequence[float]] | None


def inside(lat: float, long: float, ring: Sequence[Sequence[float]]) -> bool:
    """Ray casting on [lat, long] corners; a point on an edge may fall either way."""
    found = False
    count = len(ring)
    for index in range(count):
        lat1, long1 = ring[index][0], ring[index][1]
        lat2, long2 = ring[(index + 1) % count][0], ring[(index + 1) % count][1]
        if (lat1 > lat) != (lat2 > lat):
            crossing = long1 + (lat - lat1) * (long2 - long1) / (lat2 - lat1)
            if long < crossing:
                found = not found
    return found


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, long1, lat2, long2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((long2 - long1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def locate(lat: float, long: float, units: Sequence[MappedUnit]) -> MappedUnit | None:
    """The grid whose boundary holds the point, else such a community, else the nearest
    centre within NEAREST_WITHIN_M (grids before communities at equal distance)."""
    holding = [u for u in units if u.boundary and inside(lat, long, u.boundary)]
    if holding:
        return sorted(holding, key=lambda u: (not u.is_grid, u.code))[0]
    near = [
        (distance_m((lat, long), u.point), not u.is_grid, u.code, u)
        for u in units
        if u.point is not None
    ]
    near = [item for item in near if item[0] <= NEAREST_WITHIN_M]
    return min(near, key=lambda item: item[:3])[3] if near else None

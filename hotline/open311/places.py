"""Where a request is: a household id, a point on the map, or words naming a place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.grids import geo
from hotline.grids import service as grids
from hotline.grids.models import Household, OrgUnit, UnitLevel
from hotline.triage import rules as triage_rules
from hotline.triage import service as triage


@dataclass(frozen=True)
class Placed:
    """The community and grid a request falls in, and how that was found."""

    community: str | None
    grid: str | None
    how: str  # address_id, lat/long, address_string, or none


NOWHERE = Placed(None, None, "none")


def _mapped(session: Session) -> list[geo.MappedUnit]:
    units = grids.list_units(session=session)
    by_id = {unit.id: unit for unit in units}
    mapped = []
    for unit in units:
        if unit.latitude is None and not unit.boundary:
            continue
        point = (
            (unit.latitude, unit.longitude)
            if unit.latitude is not None and unit.longitude is not None
            else None
        )
        if unit.level == UnitLevel.COMMUNITY:
            mapped.append(geo.MappedUnit(unit.code, unit.code, False, point, unit.boundary))
        elif unit.level == UnitLevel.GRID and unit.parent_id in by_id:
            parent = by_id[unit.parent_id]
            mapped.append(geo.MappedUnit(unit.code, parent.code, True, point, unit.boundary))
    return mapped


def _grid_placed(grid: OrgUnit, how: str) -> Placed:
    community = grid.parent.code if grid.parent is not None else None
    return Placed(community, grid.code, how)


def by_household(*, session: Session, code: str) -> Placed | None:
    """A household code from the registry (what an address lookup service hands out)."""
    household = session.scalar(select(Household).where(Household.code == code))
    return _grid_placed(household.grid, "address_id") if household is not None else None


def by_point(*, session: Session, lat: float, long: float) -> Placed | None:
    """The grid or community whose boundary (or centre, within 500 m) holds the point."""
    found = geo.locate(lat, long, _mapped(session))
    if found is None:
        return None
    return Placed(found.community, found.code if found.is_grid else None, "lat/long")


def by_words(*, session: Session, text: str) -> Placed | None:
    """A community or grid code, a unit or landmark name, or a household's exact address."""
    words = text.strip()
    if not words:
        return None
    unit = grids.get_unit_by_code(session=session, code=words)
    if unit is not None and unit.level == UnitLevel.COMMUNITY:
        return Placed(unit.code, None, "address_string")
    if unit is not None and unit.level == UnitLevel.GRID:
        return _grid_placed(unit, "address_string")
    named = triage_rules.find_places(words, triage.places(session=session))
    if named:
        best = named[0]
        return Placed(best.community, best.grid, "address_string")
    household = session.scalar(
        select(Household).where(func.lower(Household.address) == words.lower()).limit(1)
    )
    return _grid_placed(household.grid, "address_string") if household is not None else None

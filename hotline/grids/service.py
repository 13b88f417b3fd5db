"""Grid registry look-ups: units, teams and households."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.core.errors import Conflict, NotFound
from hotline.core.phones import is_e164
from hotline.grids.models import Household, HouseholdPhone, Member, OrgUnit, Role, UnitLevel


def get_unit_by_code(*, session: Session, code: str) -> OrgUnit | None:
    """Any unit by its code."""
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def get_community_by_code(*, session: Session, code: str) -> OrgUnit | None:
    """The community residents reach by keying this 4-digit code."""
    return session.scalar(
        select(OrgUnit).where(OrgUnit.code == code, OrgUnit.level == UnitLevel.COMMUNITY)
    )


def list_units(*, session: Session, level: UnitLevel | None = None) -> Sequence[OrgUnit]:
    """Units by code, optionally of one level."""
    query = select(OrgUnit).order_by(OrgUnit.code)
    if level is not None:
        query = query.where(OrgUnit.level == level)
    return session.scalars(query).all()


def ancestor(*, session: Session, unit: OrgUnit, level: UnitLevel) -> OrgUnit | None:
    """The unit itself or the first parent at `level`."""
    current: OrgUnit | None = unit
    while current is not None and current.level != level:
        current = current.parent
    return current


def list_members(*, session: Session, unit_id: int, active_only: bool = True) -> Sequence[Member]:
    """A unit's team."""
    query = select(Member).where(Member.unit_id == unit_id).order_by(Member.code)
    if active_only:
        query = query.where(Member.active.is_(True))
    return session.scalars(query).all()


def households_by_phone(*, session: Session, phone: str) -> Sequence[Household]:
    """Households that list this phone number."""
    query = (
        select(Household)
        .join(HouseholdPhone, HouseholdPhone.household_id == Household.id)
        .where(HouseholdPhone.phone == phone)
        .options(selectinload(Household.grid).selectinload(OrgUnit.parent))
        .order_by(Household.id)
    )
    return session.scalars(query).unique().all()


def get_member_by_code(*, session: Session, code: str) -> Member | None:
    """A member by registry code, such as 1101-01-02."""
    return session.scalar(select(Member).where(Member.code == code))


def update_member(*, session: Session, code: str, phone: str, active: bool) -> Member:
    """Change a member's phone or take them off duty (an admin's edit in the console)."""
    member = get_member_by_code(session=session, code=code)
    if member is None:
        raise NotFound(f"no member {code}")
    if not is_e164(phone):
        raise Conflict("phone: an E.164 number such as +8613800000000")
    member.phone = phone
    member.active = active
    return member


def supervisors_over(*, session: Session, unit: OrgUnit) -> list[Member]:
    """The supervisors of the town a unit belongs to (or of the unit itself above town level)."""
    town = ancestor(session=session, unit=unit, level=UnitLevel.TOWN) or unit
    return [m for m in list_members(session=session, unit_id=town.id) if m.role == Role.SUPERVISOR]

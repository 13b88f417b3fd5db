"""The registry as plain data, in the same shape `hotline grids import` reads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.grids.models import Household, HouseholdPhone, Member, OrgUnit
from hotline.grids.schemas import PARENT_FIELD, SECTIONS


def export_registry(*, session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every unit, member and household; households carry their phones and grid code."""
    units = session.scalars(select(OrgUnit).order_by(OrgUnit.code)).all()
    code_of = {unit.id: unit.code for unit in units}
    out: dict[str, list[dict[str, Any]]] = {section: [] for section in SECTIONS}
    section_of = {level: section for section, level in SECTIONS.items() if level}
    for unit in units:
        section = section_of[unit.level]  # type: ignore[index]
        item: dict[str, Any] = {"code": unit.code}
        if section in PARENT_FIELD:
            item[PARENT_FIELD[section]] = code_of.get(unit.parent_id or 0)
        item.update(name_zh=unit.name_zh, name_en=unit.name_en)
        if unit.name_ko:
            item["name_ko"] = unit.name_ko
        if unit.landmarks:
            item["landmarks"] = list(unit.landmarks)
        if unit.latitude is not None and unit.longitude is not None:
            item.update(lat=unit.latitude, long=unit.longitude)
        if unit.boundary:
            item["boundary"] = [list(corner) for corner in unit.boundary]
        out[section].append(item)
    members = session.scalars(select(Member).order_by(Member.code)).all()
    member_code = {member.id: member.code for member in members}
    for member in members:
        out["members"].append(
            {
                "code": member.code,
                "unit": code_of[member.unit_id],
                "name": member.name,
                "role": member.role,
                "phone": member.phone,
                "language": member.language,
                "active": member.active,
                "categories": list(member.categories),
            }
        )
    phones: dict[int, list[str]] = {}
    for household_id, phone in session.execute(
        select(HouseholdPhone.household_id, HouseholdPhone.phone).order_by(HouseholdPhone.id)
    ):
        phones.setdefault(household_id, []).append(phone)
    for household in session.scalars(select(Household).order_by(Household.code)):
        item = {
            "code": household.code,
            "address": household.address,
            "phones": phones.get(household.id, []),
            "grid": code_of[household.grid_id],
        }
        if household.member_id:
            item["member"] = member_code[household.member_id]
        out["households"].append(item)
    return out

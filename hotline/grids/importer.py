"""Idempotent upsert of registry records; any error leaves the database untouched."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from hotline.grids.files import Record, RegistryFileError
from hotline.grids.models import Household, HouseholdPhone, Member, OrgUnit, UnitLevel
from hotline.grids.schemas import (
    PARENT_LEVEL,
    SECTIONS,
    CommunityIn,
    HouseholdIn,
    MemberIn,
    UnitIn,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "districts": UnitIn,
    "towns": UnitIn,
    "communities": CommunityIn,
    "grids": UnitIn,
    "members": MemberIn,
    "households": HouseholdIn,
}
BATCH = 5000


@dataclass
class ImportReport:
    """What an import did (or, with --dry-run, would do), per section."""

    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        """One summary line per section touched."""
        sections = [s for s in SECTIONS if self.created[s] or self.updated[s] or self.unchanged[s]]
        return [
            f"{s}: {self.created[s]} created, {self.updated[s]} updated, "
            f"{self.unchanged[s]} unchanged"
            for s in sections
        ]


def _validate(records: list[Record]) -> list[tuple[Record, Any]]:
    problems: list[str] = []
    valid: list[tuple[Record, Any]] = []
    seen: dict[tuple[str, str], Record] = {}
    for record in records:
        schema = SCHEMAS[record.section]
        try:
            model = schema.model_validate(record.fields)
        except ValidationError as error:
            for issue in error.errors():
                name = str(issue["loc"][0]) if issue["loc"] else None
                problems.append(f"{record.where(name)}: {issue['msg']}")
            continue
        key = ("units" if SECTIONS[record.section] else record.section, model.code)  # type: ignore[attr-defined]
        if key in seen:
            problems.append(f"{record.where('code')}: duplicate code (also {seen[key].where()})")
            continue
        seen[key] = record
        valid.append((record, model))
    if problems:
        raise RegistryFileError(problems)
    return valid


def import_records(*, session: Session, records: list[Record]) -> ImportReport:
    """Validate, resolve references and upsert; raise RegistryFileError listing every problem."""
    valid = _validate(records)
    report = ImportReport()
    problems: list[str] = []
    units = {unit.code: unit for unit in session.scalars(select(OrgUnit))}
    ordered = sorted(valid, key=lambda pair: list(SECTIONS).index(pair[0].section))
    for record, model in ordered:
        level = SECTIONS[record.section]
        if level is not None:
            _upsert_unit(record, model, level, units, session, report, problems)
    members = {member.code: member for member in session.scalars(select(Member))}
    for record, model in ordered:
        if record.section == "members":
            _upsert_member(record, model, units, members, session, report, problems)
    households = [(r, m) for r, m in ordered if r.section == "households"]
    if households:
        _upsert_households(households, units, members, session, report, problems)
    if problems:
        raise RegistryFileError(problems)
    session.flush()
    return report


def _count(report: ImportReport, section: str, created: bool, changed: bool) -> None:
    target = report.created if created else report.updated if changed else report.unchanged
    target[section] += 1


def _apply(row: object, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def _upsert_unit(
    record: Record,
    model: UnitIn,
    level: UnitLevel,
    units: dict[str, OrgUnit],
    session: Session,
    report: ImportReport,
    problems: list[str],
) -> None:
    parent_id = None
    if level in PARENT_LEVEL:
        parent = units.get(model.parent or "")
        if parent is None or parent.level != PARENT_LEVEL[level]:
            wanted = PARENT_LEVEL[level].value
            problems.append(f"{record.where('parent')}: no {wanted} with code {model.parent!r}")
            return
        parent_id = parent.id
    elif model.parent:
        problems.append(f"{record.where('parent')}: a district has no parent")
        return
    values = {
        "level": level.value,
        "parent_id": parent_id,
        "name_zh": model.name_zh,
        "name_en": model.name_en,
        "name_ko": model.name_ko,
        "landmarks": model.landmarks,
        "latitude": model.lat,
        "longitude": model.long,
        "boundary": [list(corner) for corner in model.boundary] if model.boundary else None,
    }
    unit = units.get(model.code)
    if unit is not None and unit.level != level:
        problems.append(f"{record.where('code')}: {model.code} is already a {unit.level}")
        return
    if unit is None:
        unit = OrgUnit(code=model.code, **values)
        session.add(unit)
        session.flush()
        units[model.code] = unit
        _count(report, record.section, True, False)
    else:
        _count(report, record.section, False, _apply(unit, values))


def _upsert_member(
    record: Record,
    model: MemberIn,
    units: dict[str, OrgUnit],
    members: dict[str, Member],
    session: Session,
    report: ImportReport,
    problems: list[str],
) -> None:
    unit = units.get(model.unit)
    if unit is None:
        problems.append(f"{record.where('unit')}: no unit with code {model.unit!r}")
        return
    values = {
        "unit_id": unit.id,
        "name": model.name,
        "role": model.role.value,
        "phone": model.phone,
        "language": model.language,
        "active": model.active,
        "categories": [c.value for c in model.categories],
    }
    member = members.get(model.code)
    if member is None:
        member = Member(code=model.code, **values)
        session.add(member)
        session.flush()
        members[model.code] = member
        _count(report, "members", True, False)
    else:
        _count(report, "members", False, _apply(member, values))


def _upsert_households(
    rows: list[tuple[Record, HouseholdIn]],
    units: dict[str, OrgUnit],
    members: dict[str, Member],
    session: Session,
    report: ImportReport,
    problems: list[str],
) -> None:
    """Set-based path: 100,000 households in a few statements rather than row by row."""
    existing = {
        code: (hid, address, grid_id, member_id)
        for hid, code, address, grid_id, member_id in session.execute(
            select(
                Household.id,
                Household.code,
                Household.address,
                Household.grid_id,
                Household.member_id,
            )
        )
    }
    phones: dict[int, list[str]] = {}
    for household_id, phone in session.execute(
        select(HouseholdPhone.household_id, HouseholdPhone.phone).order_by(HouseholdPhone.id)
    ):
        phones.setdefault(household_id, []).append(phone)
    inserts: list[dict[str, Any]] = []
    new_phones: dict[str, list[str]] = {}
    updates: list[dict[str, Any]] = []
    replace_phones: dict[int, list[str]] = {}
    for record, model in rows:
        grid = units.get(model.grid)
        if grid is None or grid.level != UnitLevel.GRID:
            problems.append(f"{record.where('grid')}: no grid with code {model.grid!r}")
            continue
        member_id = None
        if model.member:
            member = members.get(model.member)
            if member is None:
                problems.append(f"{record.where('member')}: no member with code {model.member!r}")
                continue
            member_id = member.id
        values = {"address": model.address, "grid_id": grid.id, "member_id": member_id}
        found = existing.get(model.code)
        if found is None:
            inserts.append({"code": model.code, **values})
            new_phones[model.code] = model.phones
            report.created["households"] += 1
            continue
        household_id = found[0]
        changed = found[1:] != (model.address, grid.id, member_id)
        if changed:
            updates.append({"id": household_id, **values})
        if phones.get(household_id, []) != model.phones:
            replace_phones[household_id] = model.phones
            changed = True
        _count(report, "households", False, changed)
    if problems:
        return
    for start in range(0, len(inserts), BATCH):
        chunk = inserts[start : start + BATCH]
        created = session.execute(
            insert(Household).returning(Household.id, Household.code), chunk
        ).all()
        for household_id, code in created:
            replace_phones[household_id] = new_phones[code]
    for start in range(0, len(updates), BATCH):
        session.execute(update(Household), updates[start : start + BATCH])
    ids = list(replace_phones)
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        session.execute(delete(HouseholdPhone).where(HouseholdPhone.household_id.in_(batch)))
    phone_rows = [
        {"household_id": household_id, "phone": phone}
        for household_id, numbers in replace_phones.items()
        for phone in numbers
    ]
    for start in range(0, len(phone_rows), BATCH):
        session.execute(insert(HouseholdPhone), phone_rows[start : start + BATCH])

"""Registry import: idempotent upsert, dry run, errors that name file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.database import unit_of_work
from hotline.grids import demo
from hotline.grids import service as grids
from hotline.grids.export import export_registry
from hotline.grids.files import RegistryFileError, read_registry
from hotline.grids.importer import import_records
from hotline.grids.models import Household, HouseholdPhone, Member, OrgUnit

SMALL = """\
districts:
  - {code: D9, name_zh: 测试区, name_en: Test District}
towns:
  - {code: T9, district: D9, name_zh: 测试镇, name_en: Test Town}
communities:
  - {code: "9901", town: T9, name_zh: 一社区, name_en: One Community, name_ko: 일 마을}
grids:
  - {code: 9901-01, community: "9901", name_zh: 一网格, name_en: Grid One, landmarks: [老槐树]}
members:
  - code: M1
    unit: 9901-01
    name: 王伟
    role: grid_leader
    phone: "+8613900000001"
    categories: [roads_facilities, utilities]
households:
  - {code: H1, address: 一号楼, phones: ["+8613700000001"], grid: 9901-01, member: M1}
"""


def write(tmp_path: Path, text: str, name: str = "registry.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load(sessions: sessionmaker[Session], path: Path, section: str | None = None) -> list[str]:
    with unit_of_work(sessions) as session:
        return import_records(session=session, records=read_registry(path, section)).lines()


def count(session: Session, model: type) -> int:
    session.rollback()
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_import_then_reimport_changes_nothing(
    sessions: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    path = write(tmp_path, SMALL)
    assert load(sessions, path)[-1] == "households: 1 created, 0 updated, 0 unchanged"
    assert load(sessions, path)[-1] == "households: 0 created, 0 updated, 1 unchanged"
    assert (count(session, OrgUnit), count(session, Member), count(session, Household)) == (4, 1, 1)
    community = grids.get_community_by_code(session=session, code="9901")
    assert community is not None and community.name_in("ko") == "일 마을"
    grid = grids.get_unit_by_code(session=session, code="9901-01")
    assert grid is not None and grid.parent_id == community.id and grid.landmarks == ["老槐树"]


def test_changed_fields_are_updated(
    sessions: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    load(sessions, write(tmp_path, SMALL))
    changed = SMALL.replace("一号楼", "二号楼").replace('"+8613700000001"]', '"+8613700000002"]')
    assert load(sessions, write(tmp_path, changed))[-1] == (
        "households: 0 created, 1 updated, 0 unchanged"
    )
    session.rollback()
    household = session.scalars(select(Household)).one()
    assert household.address == "二号楼"
    assert [p.phone for p in household.phones] == ["+8613700000002"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("role: grid_leader", "role: chief", "registry.yaml:13: role: Input should be"),
        ('phone: "+8613900000001"', "phone: 12345", "registry.yaml:14: phone: String should"),
        ("unit: 9901-01", "unit: 9999-01", "registry.yaml:11: unit: no unit with code '9999-01'"),
        ('community: "9901"', "community: T9", "registry.yaml:8: parent: no community"),
        ('code: "9901"', 'code: "99011"', "registry.yaml:6: code: String should match"),
        ("grid: 9901-01, member: M1", "grid: 9901, member: M1", "no grid with code '9901'"),
        ("member: M1}", "member: M7}", "registry.yaml:17: member: no member with code 'M7'"),
        ("name_en: Grid One,", "name_en: Grid One, colour: red,", "colour: Extra inputs"),
    ],
)
def test_errors_name_file_line_and_field_and_write_nothing(
    sessions: sessionmaker[Session],
    session: Session,
    tmp_path: Path,
    old: str,
    new: str,
    expected: str,
) -> None:
    assert old in SMALL
    path = write(tmp_path, SMALL.replace(old, new))
    with pytest.raises(RegistryFileError) as error:
        load(sessions, path)
    assert any(expected in problem for problem in error.value.problems), error.value.problems
    assert all(problem.startswith(str(path)) for problem in error.value.problems)
    assert count(session, OrgUnit) == count(session, Member) == count(session, Household) == 0


def test_duplicate_codes_are_reported(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    doubled = SMALL + '  - {code: H1, address: x, phones: ["+8613700000009"], grid: 9901-01}\n'
    with pytest.raises(RegistryFileError, match="registry.yaml:18: code: duplicate code"):
        load(sessions, write(tmp_path, doubled))


def test_unknown_section_and_bad_yaml(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with pytest.raises(RegistryFileError, match="registry.yaml:1: unknown section 'cities'"):
        load(sessions, write(tmp_path, "cities: []\n"))
    with pytest.raises(RegistryFileError, match="not valid YAML"):
        load(sessions, write(tmp_path, "districts: [\n"))


def test_csv_sections(sessions: sessionmaker[Session], session: Session, tmp_path: Path) -> None:
    load(sessions, write(tmp_path, SMALL))
    csv = "code,address,phones,grid,member\nH2,三号楼,+8613700000003;+8613600000003,9901-01,M1\n"
    assert load(sessions, write(tmp_path, csv, "households.csv")) == [
        "households: 1 created, 0 updated, 0 unchanged"
    ]
    found = grids.households_by_phone(session=session, phone="+8613600000003")
    assert [h.code for h in found] == ["H2"]
    bad = "code,address,phones,grid,member\nH3,四号楼,0371-123,9901-01,\n"
    with pytest.raises(RegistryFileError, match=r"people.csv:2: phones: .*not E.164"):
        load(sessions, write(tmp_path, bad, "people.csv"), "households")


def test_export_round_trips(
    sessions: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    with unit_of_work(sessions) as s:
        demo.seed(session=s)
    data = export_registry(session=session)
    session.rollback()
    assert {c["code"] for c in data["communities"]} == {c[0] for c in demo.COMMUNITIES}
    assert len(data["grids"]) == 24 and len(data["households"]) == 500
    assert all(h["phones"] and h["grid"] for h in data["households"])
    path = write(tmp_path, json.dumps(data, ensure_ascii=False), "registry.json")
    assert all(" 0 created, 0 updated" in line for line in load(sessions, path))
    yaml_path = write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    assert all(" 0 created, 0 updated" in line for line in load(sessions, yaml_path))


def test_demo_teams_have_the_1_6_n_shape(sessions: sessionmaker[Session], session: Session) -> None:
    with unit_of_work(sessions) as s:
        demo.seed(session=s)
    grid = grids.get_unit_by_code(session=session, code="1202-03")
    assert grid is not None
    roles = [m.role for m in grids.list_members(session=session, unit_id=grid.id)]
    assert roles[:7] == [
        "grid_leader",
        "full_time_worker",
        "part_time_worker",
        "grid_instructor",
        "mediator",
        "community_police",
        "doctor",
    ]
    assert len(roles) > 7
    assert count(session, HouseholdPhone) == 550


MAPPED = """\
districts:
  - {code: D9, name_zh: 测试区, name_en: Test District}
towns:
  - {code: T9, district: D9, name_zh: 测试镇, name_en: Test Town}
communities:
  - code: "9901"
    town: T9
    name_zh: 一社区
    name_en: One Community
    lat: 30.5
    long: 114.3
    boundary: [[30.49, 114.29], [30.49, 114.31], [30.51, 114.31], [30.51, 114.29]]
"""


def test_coordinates_import_export_and_csv(
    sessions: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    load(sessions, write(tmp_path, MAPPED))
    unit = grids.get_unit_by_code(session=session, code="9901")
    assert unit is not None and (unit.latitude, unit.longitude) == (30.5, 114.3)
    assert unit.boundary == [[30.49, 114.29], [30.49, 114.31], [30.51, 114.31], [30.51, 114.29]]
    exported = export_registry(session=session)["communities"][0]
    assert exported["lat"] == 30.5 and len(exported["boundary"]) == 4
    session.rollback()
    csv = (
        "code,community,name_zh,name_en,lat,long,boundary\n"
        "9901-01,9901,一网格,Grid One,30.495,114.295,"
        "30.49 114.29;30.49 114.30;30.50 114.30;30.50 114.29\n"
    )
    assert load(sessions, write(tmp_path, csv, "grids.csv")) == [
        "grids: 1 created, 0 updated, 0 unchanged"
    ]
    grid = grids.get_unit_by_code(session=session, code="9901-01")
    assert grid is not None and grid.boundary is not None and grid.boundary[2] == [30.5, 114.3]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ("lat: 30.5", "lat and long go together"),
        ("lat: 95\n    long: 114", "lat: Input should be less than or equal to 90"),
        ("boundary: [[30, 114], [31, 114]]", "at least 3 corners"),
        ("boundary: [[30, 114], [31, 114], [31, 200]]", "out of range"),
    ],
)
def test_bad_coordinates_are_refused(
    sessions: sessionmaker[Session], tmp_path: Path, fields: str, problem: str
) -> None:
    text = MAPPED.split("    lat: 30.5")[0] + "    " + fields + "\n"
    with pytest.raises(RegistryFileError, match=problem.replace("[", r"\[")):
        load(sessions, write(tmp_path, text))

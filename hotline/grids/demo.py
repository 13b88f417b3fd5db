"""The demo registry: one district, two towns, six communities, 24 grids, 500 households."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hotline.grids.files import Record, parent_to_generic
from hotline.grids.importer import ImportReport, import_records
from hotline.grids.models import Role
from hotline.tickets.categories import Category

TOWNS = [
    ("T01", "城关街道", "Chengguan Street", "성관 가도"),
    ("T02", "青山镇", "Qingshan Town", "청산진"),
]
# code, town, Chinese, English, Korean stem; the stem names landmarks ("东湖公园").
COMMUNITIES = [
    ("1101", "T01", ("东湖", "社区"), ("Donghu", "Community"), ("동호", "마을")),
    ("1102", "T01", ("西关", "社区"), ("Xiguan", "Community"), ("서관", "마을")),
    ("1103", "T01", ("南门", "社区"), ("Nanmen", "Community"), ("남문", "마을")),
    ("1201", "T02", ("柳树", "村"), ("Liushu", "Village"), ("버드나무", "마을")),
    ("1202", "T02", ("桃园", "村"), ("Taoyuan", "Village"), ("도원", "마을")),
    ("1203", "T02", ("石桥", "村"), ("Shiqiao", "Village"), ("돌다리", "마을")),
]
LANDMARKS = [
    ("公园", "Park", " 공원"),
    ("小学", "Primary School", " 초등학교"),
    ("菜市场", "Market", " 시장"),
    ("卫生站", "Clinic", " 보건소"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
ALL = [c.value for c in Category]
TEAM: list[tuple[Role, list[str]]] = [
    (Role.GRID_LEADER, ALL),
    (
        Role.FULL_TIME_WORKER,
        ["roads_facilities", "utilities", "sanitation_environment", "social_assistance", "other"],
    ),
    (Role.PART_TIME_WORKER, ["sanitation_environment", "roads_facilities", "other"]),
    (Role.GRID_INSTRUCTOR, []),
    (Role.MEDIATOR, ["noise_disputes"]),
    (Role.COMMUNITY_POLICE, ["noise_disputes"]),
    (Role.DOCTOR, ["social_assistance"]),
    (Role.VOLUNTEER, ["sanitation_environment"]),
    (Role.BUILDING_HEAD, ["utilities"]),
]
GRIDS_PER_COMMUNITY = 4
HOUSEHOLDS = 500


def _name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // len(SURNAMES)) % len(GIVEN)]


ORIGIN = (39.90, 116.40)  # the south-west corner of the demo map (WGS 84)
SIDE = 0.01  # a community is a square about 1.1 km a side; its four grids are its quarters


def _square(south: float, west: float, side: float) -> dict[str, Any]:
    """A unit's centre point and square boundary, rounded as a survey would give them."""
    north, east = round(south + side, 6), round(west + side, 6)
    south, west = round(south, 6), round(west, 6)
    return {
        "lat": round((south + north) / 2, 6),
        "long": round((west + east) / 2, 6),
        "boundary": [[south, west], [south, east], [north, east], [north, west]],
    }


def registry() -> dict[str, list[dict[str, Any]]]:
    """The demo town as registry data (the shape `hotline grids export` prints)."""
    data: dict[str, list[dict[str, Any]]] = {
        "districts": [
            {"code": "D01", "name_zh": "示范区", "name_en": "Shifan District", "name_ko": "시범구"}
        ],
        "towns": [
            {"code": c, "district": "D01", "name_zh": zh, "name_en": en, "name_ko": ko}
            for c, zh, en, ko in TOWNS
        ],
        "communities": [],
        "grids": [],
        "members": [],
        "households": [],
    }
    people = 0

    def member(code: str, unit: str, role: Role, categories: list[str], language: str) -> None:
        nonlocal people
        people += 1
        data["members"].append(
            {
                "code": code,
                "unit": unit,
                "name": _name(people),
                "role": role.value,
                "phone": f"+86139{people:08d}",
                "language": language,
                "categories": categories,
            }
        )

    for town, *_ in TOWNS:
        member(f"{town}-SV", town, Role.SUPERVISOR, ALL, "zh-CN")
        for n in (1, 2):
            member(f"{town}-TR{n}", town, Role.TRIAGE_OFFICER, ALL, "zh-CN")
    member("D01-SV", "D01", Role.SUPERVISOR, ALL, "zh-CN")
    grids: list[str] = []
    for number, (code, town, (zh, zh_kind), (en, en_kind), (ko, ko_kind)) in enumerate(COMMUNITIES):
        south, west = ORIGIN[0] + number // 3 * SIDE, ORIGIN[1] + number % 3 * SIDE
        data["communities"].append(
            {
                "code": code,
                "town": town,
                "name_zh": zh + zh_kind,
                "name_en": f"{en} {en_kind}",
                "name_ko": f"{ko} {ko_kind}",
                **_square(south, west, SIDE),
            }
        )
        member(f"{code}-S1", code, Role.COMMUNITY_STAFF, ALL, "zh-CN")
        for g, (lm_zh, lm_en, lm_ko) in enumerate(LANDMARKS[:GRIDS_PER_COMMUNITY], start=1):
            grid = f"{code}-{g:02d}"
            grids.append(grid)
            data["grids"].append(
                {
                    "code": grid,
                    "community": code,
                    "name_zh": f"{zh}{zh_kind}第{g}网格",
                    "name_en": f"{en} Grid {g}",
                    "name_ko": f"{ko} {g}구역",
                    "landmarks": [zh + lm_zh, f"{en} {lm_en}", ko + lm_ko],
                    **_square(
                        south + (g - 1) // 2 * SIDE / 2, west + (g - 1) % 2 * SIDE / 2, SIDE / 2
                    ),
                }
            )
            # Korean-speaking staff in Shiqiao show members get SMS in their own language.
            for index, (role, categories) in enumerate(TEAM, start=1):
                language = "ko" if code == "1203" and role is Role.FULL_TIME_WORKER else "zh-CN"
                member(f"{grid}-{index:02d}", grid, role, categories, language)
    for n in range(1, HOUSEHOLDS + 1):
        grid = grids[(n - 1) % len(grids)]
        community = next(c for c in data["communities"] if c["code"] == grid[:4])
        phones = [f"+86137{n:08d}"] + ([f"+86136{n:08d}"] if n % 10 == 0 else [])
        building, unit, room = n % 40 + 1, n % 6 + 1, n % 30 + 101
        data["households"].append(
            {
                "code": f"H{n:05d}",
                "address": f"{community['name_zh']}{building}号楼{unit}单元{room}室",
                "phones": phones,
                "grid": grid,
                "member": f"{grid}-{2 if n % 2 else 3:02d}",
            }
        )
    return data


def records(data: dict[str, list[dict[str, Any]]], source: str) -> list[Record]:
    """Registry data as import records, numbered in order."""
    out = []
    for section, items in data.items():
        for number, item in enumerate(items, start=1):
            out.append(Record(source, number, parent_to_generic(section, item), section=section))
    return out


def seed(*, session: Session) -> ImportReport:
    """Insert or refresh the demo registry through the same importer operators use."""
    return import_records(session=session, records=records(registry(), "demo registry"))

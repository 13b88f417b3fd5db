"""The demo town's registry: one district, two towns, six communities."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.grids import service

DEMO_COMMUNITIES = [
    ("1101", "东湖社区", "Donghu Community", "동호 마을", "城关街道", "Chengguan Street"),
    ("1102", "西关社区", "Xiguan Community", "서관 마을", "城关街道", "Chengguan Street"),
    ("1103", "南门社区", "Nanmen Community", "남문 마을", "城关街道", "Chengguan Street"),
    ("1201", "柳树村", "Liushu Village", "버드나무 마을", "青山镇", "Qingshan Town"),
    ("1202", "桃园村", "Taoyuan Village", "도원 마을", "青山镇", "Qingshan Town"),
    ("1203", "石桥村", "Shiqiao Village", "돌다리 마을", "青山镇", "Qingshan Town"),
]


def seed(*, session: Session) -> int:
    """Insert or refresh the demo communities; returns how many exist."""
    for code, zh, en, ko, town_zh, town_en in DEMO_COMMUNITIES:
        service.upsert_community(
            session=session,
            code=code,
            name_zh=zh,
            name_en=en,
            name_ko=ko,
            town_zh=town_zh,
            town_en=town_en,
        )
    return len(DEMO_COMMUNITIES)

"""Triage rules, table-driven: category, place, level and the human review queue."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.reasons.codes import reason
from hotline.triage.config import ConfigError, TriageLevel, default_config, load_config
from hotline.triage.rules import Place, TriageInput, similarity, triage

PLACES = (
    Place("东湖社区", "1101"),
    Place("东湖公园", "1101", "1101-01"),
    Place("Donghu Park", "1101", "1101-01"),
    Place("동호 공원", "1101", "1101-01"),
    Place("东湖小学", "1101", "1101-02"),
    Place("柳树村", "1201"),
    Place("버드나무 시장", "1201", "1201-03"),
)


def decide(**fields: object) -> object:
    data = TriageInput(**{"language": "zh-CN", "places": PLACES, **fields})  # type: ignore[arg-type]
    return triage(default_config(), data)


@pytest.mark.parametrize(
    ("fields", "category", "review"),
    [
        # keypad alone is good evidence
        ({"keyed_category": "utilities", "keyed_community": "1101"}, "utilities", False),
        # keypad and words agree
        (
            {
                "keyed_category": "roads_facilities",
                "keyed_community": "1101",
                "transcript": "东湖公园门口路灯坏了",
                "transcript_ok": True,
            },
            "roads_facilities",
            False,
        ),
        # no keypad choice: two keywords are enough
        (
            {
                "keyed_category": "other",
                "keyed_community": "1101",
                "transcript": "楼上噪音太吵了",
                "transcript_ok": True,
            },
            "noise_disputes",
            False,
        ),
        # no keypad choice and one keyword: not sure enough
        (
            {
                "keyed_category": "other",
                "keyed_community": "1101",
                "transcript": "有点吵",
                "transcript_ok": True,
            },
            "noise_disputes",
            True,
        ),
        # words contradict the keypad: a person decides
        (
            {
                "keyed_category": "roads_facilities",
                "keyed_community": "1101",
                "transcript": "邻居装修噪音太吵",
                "transcript_ok": True,
            },
            "roads_facilities",
            True,
        ),
        # nothing to go on
        ({"keyed_category": "other", "keyed_community": "1101"}, "other", True),
        # a failed transcript is ignored, the keypad still counts
        (
            {
                "keyed_category": "utilities",
                "keyed_community": "1101",
                "transcript": "噪音 吵 楼上",
                "transcript_ok": False,
            },
            "utilities",
            False,
        ),
    ],
)
def test_category(fields: dict[str, object], category: str, review: bool) -> None:
    decision = decide(**fields)
    assert decision.category == category  # type: ignore[attr-defined]
    assert decision.needs_review is review, decision.reasons  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fields", "community", "grid", "review"),
    [
        ({"keyed_community": "1101"}, "1101", None, False),
        (
            {"keyed_community": "1101", "transcript": "东湖公园旁边", "transcript_ok": True},
            "1101",
            "1101-01",
            False,
        ),
        (
            {"household_community": "1101", "household_grid": "1101-02"},
            "1101",
            "1101-02",
            False,
        ),
        (  # keyed another community than the household: the household grid does not apply
            {"keyed_community": "1201", "household_community": "1101", "household_grid": "1101-02"},
            "1201",
            None,
            False,
        ),
        (  # no code keyed, but the description names the place
            {"transcript": "柳树村的路坏了", "transcript_ok": True},
            "1201",
            None,
            False,
        ),
        (  # keyed 1101 but the description is about a landmark in 1201
            {
                "keyed_community": "1101",
                "transcript": "버드나무 시장 앞",
                "transcript_ok": True,
                "language": "ko",
            },
            None,
            None,
            True,
        ),
        ({}, None, None, True),
    ],
)
def test_place(fields: dict[str, object], community: str, grid: str, review: bool) -> None:
    decision = decide(keyed_category="utilities", **fields)
    assert (decision.community, decision.grid) == (community, grid)  # type: ignore[attr-defined]
    assert decision.needs_review is review, decision.reasons  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "text", "level"),
    [
        ("zh-CN", "厨房里有煤气味，好像漏气了", TriageLevel.URGENT),
        ("en", "there is a gas leak in the basement", TriageLevel.URGENT),
        ("ko", "가스 냄새가 나요", TriageLevel.URGENT),
        ("zh-CN", "暖气不热", TriageLevel.GENERAL),
    ],
)
def test_urgent_keywords_raise_the_level(language: str, text: str, level: TriageLevel) -> None:
    decision = decide(
        language=language,
        keyed_category="utilities",
        keyed_community="1101",
        transcript=text,
        transcript_ok=True,
    )
    assert decision.level is level  # type: ignore[attr-defined]


def test_every_decision_says_why() -> None:
    decision = decide(keyed_category="utilities", keyed_community="1101")
    why = decision.reasons  # type: ignore[attr-defined]
    assert reason("triage.keypad", category="utilities") in why
    assert reason("triage.keyed_community", community="1101") in why


@pytest.mark.parametrize(
    ("a", "b", "high"),
    [
        ("东湖公园门口的路灯坏了好几天", "东湖公园门口路灯坏了", True),
        ("the bins on our street are full", "the bins on our street were not emptied", True),
        ("东湖公园门口的路灯坏了", "楼上邻居装修太吵", False),
        ("", "anything", False),
    ],
)
def test_similarity(a: str, b: str, high: bool) -> None:
    assert (similarity(a, b) >= 0.4) is high


def test_configuration_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "categories.yaml"
    path.write_text("urgency: {}\nlevels: {}\ncategories: {}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"(?s){path}: .*categories missing"):
        load_config(path)

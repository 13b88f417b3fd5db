"""Reasons are codes with parameters, rendered in the reader's language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hotline.reasons.codes import Reason, as_reasons, from_json, note, reason, to_json
from hotline.reasons.render import Names, catalog, referenced, render, render_all

ROOT = Path(__file__).resolve().parents[3]
NAMES = Names(
    units={
        "1101": {"zh-CN": "东湖社区", "en": "Donghu Community"},
        "T01": {"zh-CN": "东湖街道", "en": "Donghu Street"},
    },
    members={"1101-01-02": "王芳"},
)


@pytest.mark.parametrize(
    ("why", "language", "text"),
    [
        (
            reason("triage.keypad", category="roads_facilities"),
            "zh-CN",
            "来电人按键选择了“道路设施”",
        ),
        (
            reason("triage.keypad", category="roads_facilities"),
            "en",
            "the caller chose roads and facilities on the keypad",
        ),
        (
            reason("route.town_triage", town="T01"),
            "zh-CN",
            "网格未知，由 东湖街道 (T01) 分拨组接办",
        ),
        (
            reason("triage.keyed_community", community="1101"),
            "en",
            "the caller keyed community Donghu Community (1101)",
        ),
        (
            reason(
                "route.least_loaded",
                member="1101-01-02",
                role="full_time_worker",
                category="utilities",
                open=3,
                grid="1101-01",
            ),
            "zh-CN",
            "王芳 (1101-01-02)（专职网格员）负责“水电气”，在办工单 3 件，为网格 1101-01 中最少",
        ),
        (
            reason("review.low_confidence", confidence=0.45, threshold=0.6),
            "zh-CN",
            "类别置信度 45%，低于 60%",
        ),
        (reason("survey.answer", solved="no", score=2), "zh-CN", "回访结果：未解决，满意度 2"),
        # Korean has no messages yet: the whole sentence falls back to English.
        (
            reason("triage.keypad", category="utilities"),
            "ko",
            "the caller chose water, power and gas on the keypad",
        ),
        (note("居民说不是我们小区的"), "en", "居民说不是我们小区的"),
    ],
)
def test_a_reason_reads_in_the_viewers_language(why: Reason, language: str, text: str) -> None:
    assert render(why, language, NAMES) == text


def test_missing_parameters_and_unknown_codes_still_read() -> None:
    assert render(reason("desk.retriage", category="other", level="general"), "en") == (
        "set by hand to other, grid —, general, —, — time limits"
    )
    assert render(Reason("future.code", {"n": 2}), "zh-CN") == "future.code (n=2)"


def test_several_reasons_join_with_the_languages_separator() -> None:
    both = [reason("triage.no_location"), reason("triage.urgent")]
    assert render_all(both, "zh-CN") == "未提供位置；听到紧急关键词"
    assert render_all(both, "en") == "no location given; urgent words heard"


def test_codes_round_trip_through_json_and_skip_garbage() -> None:
    why = [reason("merge.into", reference="2026-000001"), note("same pipe")]
    assert from_json(to_json(why)) == why
    assert from_json([{"code": 3}, "x", {"params": {}}, None]) == []
    assert from_json("not a list") == []
    assert as_reasons("  ") == [] and as_reasons("words") == [note("words")]


def test_only_the_units_and_members_named_are_looked_up() -> None:
    why = [
        reason("desk.reassigned", from_member="A", to_member="B"),
        reason("escalation.acceptance_overdue", from_unit="G", to_unit="C", unit_level="grid"),
    ]
    assert referenced(why) == ({"G", "C"}, {"A", "B"})


def test_every_code_the_code_writes_has_english_and_chinese() -> None:
    used: set[str] = set()
    for package in ("hotline", "agent_console", "ivr", "worker"):
        for path in (ROOT / package).rglob("*.py"):
            used |= set(
                re.findall(r"reason\(\s*f?\"([a-z_]+\.[a-z_{}]+)\"", path.read_text("utf-8"))
            )
    expanded = set()
    for code in used:  # escalation.{overdue}_overdue
        expanded |= (
            {code.replace("{overdue}", s) for s in ("acceptance", "resolution")}
            if "{" in code
            else {code}
        )
    assert len(expanded) > 20
    messages = catalog().messages
    missing = sorted(c for c in expanded if not {"en", "zh-CN"} <= set(messages.get(c, {})))
    assert missing == []


def test_the_catalog_speaks_only_known_languages_and_names_everything_in_two() -> None:
    book = catalog()
    for section, names in book.names.items():
        for code, texts in names.items():
            assert {"en", "zh-CN"} <= set(texts) <= {"en", "zh-CN", "ko"}, (section, code)
    for code, texts in book.messages.items():
        assert {"en", "zh-CN"} <= set(texts) <= {"en", "zh-CN", "ko"}, code

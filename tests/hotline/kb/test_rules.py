"""Pure article rules: validation, change lines, freshness."""

from __future__ import annotations

from datetime import date

import pytest

from hotline.kb.rules import Freshness, changes, freshness, problems
from hotline.kb.schemas import ArticleData, ArticleTextData

WATER = ArticleData(
    code="water-outage",
    category="utilities",
    texts={"zh-CN": ArticleTextData("停水", "计划停水提前通知。", ("停水", "来水"))},
)


def test_a_complete_article_has_no_problems() -> None:
    assert problems(WATER) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "a"}, "code"),
        ({"code": "has space"}, "code"),
        ({"category": "weather"}, "category"),
        ({"status": "live"}, "status"),
        ({"intake_types": ("gossip",)}, "intake_types"),
        ({"valid_from": date(2027, 1, 2), "valid_until": date(2027, 1, 1)}, "valid_until"),
        ({"texts": {}}, "language"),
        ({"texts": {"fr": ArticleTextData("t", "a")}}, "language"),
        ({"texts": {"en": ArticleTextData(" ", "a")}}, "title"),
        ({"texts": {"en": ArticleTextData("t", "")}}, "answer"),
        ({"texts": {"en": ArticleTextData("t", "a", ("",))}}, "keywords"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, object], field: str) -> None:
    data = ArticleData(**{**WATER.__dict__, **change})
    assert field in [name for name, _ in problems(data)]


def test_changes_name_what_an_edit_touched() -> None:
    before = WATER.content()
    after = ArticleData(
        **{
            **WATER.__dict__,
            "status": "retired",
            "texts": {
                "zh-CN": ArticleTextData("停水", "新的答复。", ("停水", "来水")),
                "en": ArticleTextData("Water", "Notice first."),
            },
        }
    ).content()
    assert changes(None, after) == ["created"]
    assert changes(before, after) == ["status: published → retired", "added en", "answer (zh-CN)"]
    assert changes(after, after) == []


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "review_on", "expected"),
    [
        (None, None, None, Freshness.CURRENT),
        (None, date(2026, 12, 1), None, Freshness.EXPIRED),
        (date(2026, 12, 3), None, None, Freshness.NOT_YET),
        (None, None, date(2026, 12, 2), Freshness.REVIEW_DUE),
        (None, None, date(2026, 12, 16), Freshness.REVIEW_SOON),
        (None, None, date(2026, 12, 17), Freshness.CURRENT),
        (None, date(2026, 12, 2), date(2026, 1, 1), Freshness.REVIEW_DUE),
    ],
)
def test_freshness_on_2_december(
    valid_from: date | None, valid_until: date | None, review_on: date | None, expected: Freshness
) -> None:
    today = date(2026, 12, 2)
    got = freshness(
        today=today, valid_from=valid_from, valid_until=valid_until, review_on=review_on
    )
    assert got is expected

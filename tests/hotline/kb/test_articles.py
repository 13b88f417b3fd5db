"""Articles on both backends: ranking, history and rollback, publication, the index kept in step."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.kb import service as kb
from hotline.kb.models import Lookup
from hotline.kb.schemas import ArticleData, ArticleTextData
from hotline.search.models import ArticleDocument


def article(code: str, title: str, answer: str, *keywords: str, **extra: object) -> ArticleData:
    return ArticleData(
        code=code,
        category=str(extra.pop("category", "utilities")),
        texts={"zh-CN": ArticleTextData(title, answer, keywords)},
        **extra,  # type: ignore[arg-type]
    )


# A small knowledge base whose words overlap the way real ones do: several mention 小区, 水 or 停.
FIXTURE = [
    article("water-outage", "停水：什么时候来水", "计划停水提前24小时在小区公告。", "停水", "来水"),
    article("water-bill", "水费怎么交", "水费可以在小区物业或网上缴纳。", "水费", "缴费"),
    article("power-outage", "停电报修", "小区停电请拨打95598。", "停电", "来电"),
    article(
        "parking", "小区停车收费", "小区停车收费由物业公示。", "停车", category="roads_facilities"
    ),
    article("heating", "暖气不热", "先给暖气片排气，仍不热再报修。", "暖气", "供暖"),
]


@pytest.fixture
def base(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    with sessions.begin() as session:
        for data in FIXTURE:
            kb.save(session=session, clock=clock, author="editor", data=data)


def codes(session: Session, clock: FixedClock, query: str, **options: object) -> list[str]:
    session.rollback()
    hits = kb.search(session=session, clock=clock, query=query, **options)  # type: ignore[arg-type]
    return [h.article.code for h in hits]


WEAK = {"water-outage", "water-bill", "power-outage", "parking"}  # they all mention 小区


@pytest.mark.parametrize(
    ("query", "ranked", "then"),
    [
        # the order that matters, then the articles that share only a common word (any order)
        ("我们小区今天停水了什么时候来水", ["water-outage"], WEAK - {"water-outage"}),
        ("小区停电了", ["power-outage"], WEAK - {"power-outage"}),
        ("水费在哪里交", ["water-bill"], set()),
        ("暖气片不热怎么办", ["heating"], set()),
        ("停车", ["parking"], set()),
        ("停水停电", [], {"power-outage", "water-outage"}),  # one word each: both, any order
        ("天气预报", [], set()),
    ],
)
def test_questions_as_callers_put_them_rank_the_right_article_first(
    base: None,
    session: Session,
    clock: FixedClock,
    query: str,
    ranked: list[str],
    then: set[str],
) -> None:
    found = codes(session, clock, query)
    assert found[: len(ranked)] == ranked
    assert set(found[len(ranked) :]) == then


def test_hits_carry_a_score_best_first_and_a_highlighted_snippet(
    base: None, session: Session, clock: FixedClock
) -> None:
    hits = kb.search(session=session, clock=clock, query="小区停水")
    assert hits[0].article.code == "water-outage"
    assert hits[0].snippet == "计划<mark>停水</mark>提前24小时在<mark>小区</mark>公告。"
    assert all(h.score > 0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_every_edit_keeps_the_previous_version_and_rollback_brings_it_back(
    base: None, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    clock.advance(hours=1)
    with sessions.begin() as editing:
        saved = kb.save(
            session=editing,
            clock=clock,
            author="chen",
            data=article("heating", "暖气不热", "供热公司24小时内上门。", "暖气", "上门"),
        )
        assert saved.changes == ["answer (zh-CN)", "keywords (zh-CN)"]
        again = kb.save(session=editing, clock=clock, author="chen", data=kb.data_of(saved.article))
        assert again.changes == []  # nothing changed: no new version
    assert codes(session, clock, "上门") == ["heating"]
    assert codes(session, clock, "排气") == []  # the old answer left the index
    with sessions.begin() as editing:
        back = kb.rollback(session=editing, clock=clock, author="li", code="heating", version=1)
        history = kb.revisions(session=editing, article=back.article)
        assert [(r.version, r.author, r.note) for r in history] == [
            (3, "li", "rollback to version 1"),
            (2, "chen", None),
            (1, "editor", None),
        ]
        assert history[0].content == history[2].content
    assert codes(session, clock, "排气") == ["heating"]
    with sessions.begin() as editing, pytest.raises(kb.NotFound):
        kb.rollback(session=editing, clock=clock, author="li", code="heating", version=9)


def test_only_published_articles_valid_today_reach_agents(
    sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    today = clock.now().date()
    with sessions.begin() as editing:
        for data in (
            article("draft", "停水草稿", "草稿", "停水", status="draft"),
            article("retired", "停水旧文", "旧文", "停水", status="retired"),
            article("expired", "停水去年", "去年", "停水", valid_until=date(today.year - 1, 1, 1)),
            article("later", "停水明年", "明年", "停水", valid_from=date(today.year + 1, 1, 1)),
            article("live", "停水现行", "现行", "停水", valid_until=today),
        ):
            kb.save(session=editing, clock=clock, author="editor", data=data)
    assert codes(session, clock, "停水") == ["live"]
    assert sorted(codes(session, clock, "停水", drafts=True)) == [
        "draft",
        "expired",
        "later",
        "live",
        "retired",
    ]


def test_language_versions_are_searched_in_their_own_language(
    sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    data = ArticleData(
        code="water-outage",
        category="utilities",
        texts={
            "zh-CN": ArticleTextData("停水", "计划停水提前通知。", ("停水",)),
            "en": ArticleTextData("Water cut", "Planned water cuts are announced.", ("outage",)),
            "ko": ArticleTextData("단수", "계획 단수는 미리 알립니다.", ("단수",)),
        },
    )
    with sessions.begin() as editing:
        kb.save(session=editing, clock=clock, author="editor", data=data)
    session.rollback()
    hits = kb.search(session=session, clock=clock, query="water outages", language="en")
    assert [(h.article.code, h.text.language) for h in hits] == [("water-outage", "en")]
    assert kb.search(session=session, clock=clock, query="water", language="ko") == []
    assert [h.text.title for h in kb.search(session=session, clock=clock, query="단수가")] == [
        "단수"
    ]
    with sessions.begin() as editing:
        kb.save(
            session=editing,
            clock=clock,
            author="editor",
            data=ArticleData(**{**data.__dict__, "texts": {"zh-CN": data.texts["zh-CN"]}}),
        )
    session.rollback()
    assert session.scalars(select(ArticleDocument.language)).all() == ["zh-CN"]
    if session.get_bind().dialect.name == "sqlite":  # the trigger took it out of FTS5 too
        stale = "SELECT count(*) FROM kb_search_fts WHERE kb_search_fts MATCH '\"water\"'"
        assert session.execute(text(stale)).scalar() == 0
    else:  # the tsvector lives in the row itself
        assert session.execute(text("SELECT count(*) FROM kb_search")).scalar() == 1


def test_bad_articles_are_refused_and_change_nothing(
    sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    with sessions.begin() as editing, pytest.raises(kb.InvalidArticle) as refused:
        kb.save(
            session=editing, clock=clock, author="x", data=article("ok", "", "答复", category="x")
        )
    assert {f for f, _ in refused.value.problems} == {"category", "title"}
    assert kb.count(session=session) == 0


def test_searches_are_logged_for_the_figures_when_asked(
    base: None, sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    with sessions.begin() as reading:
        kb.search(session=reading, clock=clock, query="停水", log=("seat", "kim"))
        kb.search(session=reading, clock=clock, query="天气预报", log=("console", "kim"))
        kb.search(session=reading, clock=clock, query="停水")  # not logged
    session.rollback()
    rows = session.scalars(select(Lookup).order_by(Lookup.id)).all()
    assert [(r.source, r.query, r.hits) for r in rows] == [
        ("seat", "停水", 1),
        ("console", "天气预报", 0),
    ]

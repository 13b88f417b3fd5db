"""Knowledge-base pages: who may read and edit, editing with history and rollback over HTTP,
drafts hidden from readers, articles due for review highlighted."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.kb import demo
from hotline.kb import service as kb
from hotline.kb.models import Lookup
from hotline.kb.schemas import ArticleData, ArticleTextData
from tests.agent_console.arrange import Cases, csrf, sign_in, unexpected_statuses

ANON, AGENT, SUP, GRID, ADMIN, EDITOR = (
    "anonymous",
    "agent",
    "supervisor",
    "grid_worker",
    "admin",
    "kb_editor",
)
ROLES = (ANON, AGENT, SUP, GRID, ADMIN, EDITOR)


def table(readers: int, editors: int) -> dict[str, int]:
    return {ANON: 303, AGENT: readers, GRID: readers, SUP: editors, ADMIN: editors, EDITOR: editors}


EVERYONE = table(200, 200)
EDITING = table(403, 200)
GETS = [
    ("/console/kb", EVERYONE),
    ("/console/kb?q=停水", EVERYONE),
    ("/console/kb/results?q=停水&source=seat", EVERYONE),
    ("/console/kb/water-outage", EVERYONE),
    ("/console/kb/water-outage?partial=1&source=seat&language=ko", EVERYONE),
    ("/console/kb/draft-notice", table(404, 200)),
    ("/console/kb/nope", table(404, 404)),
    ("/console/kb/new", EDITING),
    ("/console/kb/water-outage/edit", EDITING),
    ("/console/kb/water-outage/history", EDITING),
    ("/console/kb/results?q=x&language=fr", table(400, 400)),
    # A knowledge editor has no tickets: the inbox sends them to the knowledge base.
    ("/console/", {ANON: 303, AGENT: 200, GRID: 200, SUP: 200, ADMIN: 200, EDITOR: 303}),
    ("/console/tickets", {ANON: 303, AGENT: 200, GRID: 200, SUP: 200, ADMIN: 200, EDITOR: 403}),
    (
        "/console/tickets/{mine}",
        {ANON: 303, AGENT: 200, GRID: 200, SUP: 200, ADMIN: 200, EDITOR: 403},
    ),
    ("/console/tickets.csv", {ANON: 303, AGENT: 200, GRID: 200, SUP: 200, ADMIN: 200, EDITOR: 403}),
    ("/console/seat", {ANON: 303, AGENT: 200, GRID: 403, SUP: 200, ADMIN: 403, EDITOR: 403}),
]
NEW = {
    "code": "bus-routes",
    "category": "other",
    "status": "published",
    "intake_types": "consultation",
    "title_zh-CN": "公交线路查询",
    "answer_zh-CN": "请拨打公交热线。",
    "keywords_zh-CN": "公交、线路",
}


@pytest.fixture
def knowledge(cases: Cases, sessions: sessionmaker[Session], clock: FixedClock) -> Cases:
    with sessions.begin() as session:
        demo.seed(session=session, clock=clock)
        kb.save(
            session=session,
            clock=clock,
            author="kb_editor",
            data=ArticleData(
                code="draft-notice",
                category="utilities",
                status="draft",
                review_on=date(2026, 11, 1),
                texts={"zh-CN": ArticleTextData("停水草稿", "还没写完的停水通知。", ("停水",))},
            ),
        )
    return cases


@pytest.mark.parametrize("role", ROLES)
def test_every_knowledge_base_route_answers_each_role_as_the_table_says(
    role: str, console: TestClient, knowledge: Cases
) -> None:
    posts = [
        ("/console/kb/new", {**NEW, "code": f"new-{role}"}, table(403, 303)),
        ("/console/kb/water-outage/edit", {**NEW, "category": "utilities"}, table(403, 303)),
        ("/console/kb/water-outage/rollback", {"version": "1"}, table(403, 303)),
    ]
    wrong = unexpected_statuses(console, role, {"mine": knowledge.mine}, GETS, posts)
    assert wrong == []


def test_an_editor_changes_an_answer_sees_the_history_and_rolls_it_back(
    console: TestClient, knowledge: Cases, session: Session
) -> None:
    sign_in(console, EDITOR)
    page = console.get("/console/kb/heating/edit").text
    assert "先排气" in page
    form = {
        "csrf_token": csrf(console),
        "category": "utilities",
        "status": "published",
        "intake_types": ["consultation", "complaint"],
        "valid_from": "2026-11-15",
        "valid_until": "2027-03-15",
        "title_zh-CN": "暖气不热、供暖时间",
        "answer_zh-CN": "暖气不热请直接报修，供热公司24小时内上门。",
        "keywords_zh-CN": "暖气，供暖；不热",
        "note": "新口径",
    }
    saved = console.post("/console/kb/heating/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("heating?saved=1")
    article = console.get("/console/kb/heating?language=zh-CN").text
    assert "24小时内上门" in article and "v2" in article
    assert "heating" in console.get("/console/kb", params={"q": "报修"}).text
    history = console.get("/console/kb/heating/history").text
    assert "新口径" in history and "removed en" in history and "kb_editor" in history
    back = console.post(
        "/console/kb/heating/rollback",
        data={"csrf_token": csrf(console), "version": "1"},
        follow_redirects=False,
    )
    assert back.status_code == 303
    session.rollback()
    restored = kb.get_or_raise(session=session, code="heating")
    assert restored.version == 3
    assert {t.language for t in restored.texts} == {"zh-CN", "en", "ko"}


def test_a_bad_form_is_shown_again_with_its_problems_and_saves_nothing(
    console: TestClient, knowledge: Cases, session: Session
) -> None:
    sign_in(console, EDITOR)
    refused = console.post(
        "/console/kb/new",
        data={**NEW, "csrf_token": csrf(console), "valid_until": "tomorrow"},
    )
    assert refused.status_code == 422 and "valid_until" in refused.text
    empty = console.post(
        "/console/kb/new",
        data={"csrf_token": csrf(console), "code": "x y", "category": "other", "status": "draft"},
    )
    assert empty.status_code == 422 and "code:" in empty.text and "language:" in empty.text
    twice = console.post(
        "/console/kb/new", data={**NEW, "code": "heating", "csrf_token": csrf(console)}
    )
    assert twice.status_code == 422 and "exists already" in twice.text
    session.rollback()
    assert kb.get_by_code(session=session, code="bus-routes") is None
    assert kb.get_or_raise(session=session, code="heating").version == 1


def test_readers_never_meet_drafts_and_editors_see_what_needs_review(
    console: TestClient, knowledge: Cases, session: Session
) -> None:
    sign_in(console, AGENT)
    found = console.get("/console/kb", params={"q": "停水"}).text
    assert "water-outage" in found and "draft-notice" not in found
    assert "draft-notice" not in console.get("/console/kb").text
    assert "/console/kb/new" not in console.get("/console/kb").text  # no editing for agents
    console.post("/console/logout", data={"csrf_token": csrf(console)})
    sign_in(console, EDITOR)
    listing = console.get("/console/kb").text
    assert 'data-code="draft-notice" data-freshness="review_due"' in listing
    assert 'data-code="water-outage" data-freshness="current"' in listing
    assert "draft-notice" in console.get("/console/kb", params={"q": "停水"}).text
    session.rollback()
    sources = session.scalars(select(Lookup.source).where(Lookup.kind == "search")).all()
    assert sources == ["console", "console"]

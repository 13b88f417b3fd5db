"""The knowledge-base API and `q=` on the tickets API, with the demo knowledge base."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.kb import demo
from hotline.kb.models import Lookup
from tests.agent_console.arrange import intake
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


@pytest.fixture
def demo_kb(sessions: sessionmaker[Session], clock: FixedClock) -> None:
    with sessions.begin() as session:
        demo.seed(session=session, clock=clock)


def test_a_caller_sentence_finds_the_water_outage_article_first(
    client: TestClient, demo_kb: None, session: Session
) -> None:
    found = client.get(
        "/api/v1/kb/search",
        params={"q": "我们小区今天停水了什么时候来水", "language": "zh-CN"},
        headers=AUTH,
    )
    assert found.status_code == 200
    items = found.json()["items"]
    assert items[0]["code"] == "water-outage"
    assert set(items[0]) >= {"code", "title", "score", "snippet"}
    assert "<mark>停水</mark>" in items[0]["snippet"]
    assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)
    english = client.get("/api/v1/kb/search", params={"q": "cold radiator"}, headers=AUTH).json()
    assert english["items"][0]["code"] == "heating"
    assert english["items"][0]["language"] == "en"
    assert session.scalars(select(Lookup.source)).all() == ["api", "api"]


def test_search_refuses_bad_requests(client: TestClient, demo_kb: None) -> None:
    assert client.get("/api/v1/kb/search", params={"q": "停水"}).status_code == 401
    assert client.get("/api/v1/kb/search", headers=AUTH).status_code == 422
    bad = client.get("/api/v1/kb/search", params={"q": "停水", "language": "fr"}, headers=AUTH)
    assert bad.status_code == 422
    nothing = client.get("/api/v1/kb/search", params={"q": "。。。"}, headers=AUTH)
    assert nothing.json() == {"items": []}


def test_an_article_reads_in_every_language(client: TestClient, demo_kb: None) -> None:
    body = client.get("/api/v1/kb/articles/heating", headers=AUTH).json()
    assert {t["language"] for t in body["texts"]} == {"zh-CN", "en", "ko"}
    assert client.get("/api/v1/kb/articles/nope", headers=AUTH).status_code == 404


def test_tickets_are_searched_with_the_same_engine(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    with sessions.begin() as session:
        intake(session, clock, 1, caller="+8613700000011").summary = "路口的井盖丢了"
        intake(session, clock, 2, caller="+8613700000022").summary = "楼下停水"

    def callers(q: str) -> list[str]:
        response = client.get("/api/v1/tickets", params={"q": q}, headers=AUTH)
        assert response.status_code == 200, response.text
        return [t["caller"] for t in response.json()["items"]]

    assert callers("井盖") == ["+8613700000011"]
    assert callers("停水") == ["+8613700000022"]
    assert callers("00022") == ["+8613700000022"]
    assert callers("停水 井盖") == []

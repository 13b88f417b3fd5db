"""GET requests, requests/{id} and tokens/{token}: filters, paging, statuses, both formats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.tickets import service as tickets
from hotline.tickets.models import TicketNote
from hotline.tickets.transitions import TicketAction
from tests.hotline.open311.conftest import valid, xml

LIST = "/open311/v2/requests.json"


def post(client: TestClient, key: str, code: str, text: str, **extra: str) -> dict[str, str]:
    fields = {"api_key": key, "service_code": code, "address_string": "1101", "description": text}
    attributes = {"roads_facilities": {"attribute[hazard]": "no"}}.get(code, {})
    response = client.post(LIST, data={**fields, **attributes, **extra})
    assert response.status_code == 201, response.text
    return dict(response.json()[0])


@pytest.fixture
def five(client: TestClient, api_key: str, clock: FixedClock) -> list[str]:
    """Five requests an hour apart, oldest first: other, roads, sanitation, other, roads."""
    refs = []
    for code, text in [
        ("other", "请问社保怎么办"),
        ("roads_facilities", "路灯坏了"),
        ("sanitation_environment", "垃圾满了"),
        ("other", "咨询办事时间"),
        ("roads_facilities", "井盖松动"),
    ]:
        refs.append(post(client, api_key, code, text)["service_request_id"])
        clock.advance(hours=1)
    return refs


def ids(client: TestClient, query: str = "") -> list[str]:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 200, response.text
    return [r["service_request_id"] for r in valid("requests", response.json())]


def test_newest_first_and_paged(client: TestClient, five: list[str]) -> None:
    assert ids(client) == five[::-1]
    pages = [ids(client, f"page_size=2&page={n}") for n in (1, 2, 3, 4)]
    assert pages == [five[:2:-1][:2], [five[2], five[1]], [five[0]], []]


def test_a_list_of_ids_overrides_the_other_filters(client: TestClient, five: list[str]) -> None:
    wanted = f"{five[0]},{five[3]},2026-999999"
    assert ids(client, f"service_request_id={wanted}&service_code=roads_facilities") == [
        five[3],
        five[0],
    ]


def test_service_code_and_status_filters(
    client: TestClient, five: list[str], sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    assert ids(client, "service_code=roads_facilities") == [five[4], five[1]]
    assert ids(client, "service_code=other,sanitation_environment") == [five[3], five[2], five[0]]
    with unit_of_work(sessions) as session:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=five[1])
        for action in (TicketAction.ACCEPT, TicketAction.RESOLVE, TicketAction.CLOSE):
            tickets.transition(
                session=session, clock=clock, ticket=ticket, action=action, actor="t"
            )
    assert ids(client, "status=closed") == [five[1]]
    assert five[1] not in ids(client, "status=open")
    assert len(ids(client, "status=open,closed")) == 5


def test_date_filters_and_the_90_day_window(
    client: TestClient, api_key: str, five: list[str], clock: FixedClock
) -> None:
    clock.advance(days=100)
    recent = post(client, api_key, "other", "新的咨询")["service_request_id"]
    assert ids(client) == [recent]  # by default: the last 90 days
    start = (clock.now() - timedelta(days=100, hours=6)).isoformat()
    end = (clock.now() - timedelta(days=100) - timedelta(hours=2, minutes=30)).isoformat()
    assert ids(client, f"start_date={start}&end_date={end}".replace("+", "%2B")) == [
        five[2],
        five[1],
        five[0],
    ]
    assert ids(client, f"start_date={start}".replace("+", "%2B")) == five[::-1]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "90 days"),
        ("start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z", "before start_date"),
        ("start_date=2026-06-01T00:00:00", "with its zone"),
        ("end_date=yesterday", "not an ISO 8601"),
        ("status=pending", "status: open, closed"),
        ("service_code=potholes", "no service potholes"),
        ("page=0", "page: must be between"),
        ("page_size=1001", "page_size: must be between"),
        ("page_size=ten", "not a whole number"),
    ],
)
def test_bad_filters_get_a_400(client: TestClient, query: str, problem: str) -> None:
    response = client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert problem in valid("errors", response.json())[0]["description"]
    root = xml(client.get(f"/open311/v2/requests.xml?{query}").text)
    assert root.tag == "errors" and root.findtext("error/code") == "400"


def test_one_request_with_its_status_notes_deadline_and_agency(
    client: TestClient, api_key: str, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    made = post(client, api_key, "roads_facilities", "路灯坏了", lat="39.9025", long="116.4075")
    reference = made["service_request_id"]
    with unit_of_work(sessions) as session:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=reference)
        for body, visibility in [("已派人查看", "resident"), ("内部：需要换灯杆", "internal")]:
            session.add(
                TicketNote(
                    ticket_id=ticket.id,
                    author="t",
                    visibility=visibility,
                    body=body,
                    created_at=clock.now(),
                )
            )
        due, team = ticket.due_at, ticket.team
        assert due is not None and team is not None
        team_name = team.name_zh
    body = valid("requests", client.get(f"/open311/v2/requests/{reference}.json").json())
    assert len(body) == 1
    request = body[0]
    assert request["status"] == "open"
    assert request["status_notes"] == "已派人查看"
    assert request["expected_datetime"] == due.isoformat()
    assert request["agency_responsible"] == team_name
    assert request["service_name"] == "道路设施" and request["description"] == "路灯坏了"
    assert (request["lat"], request["long"]) == (39.9025, 116.4075)
    english = client.get(f"/open311/v2/requests/{reference}.json?locale=en").json()[0]
    assert english["service_name"] == "roads and facilities"


def test_one_request_in_xml(client: TestClient, api_key: str) -> None:
    reference = post(client, api_key, "other", "咨询")["service_request_id"]
    root = xml(client.get(f"/open311/v2/requests/{reference}.xml").text)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert request.findtext("service_request_id") == reference
    assert request.findtext("status") == "open"
    for name in ("service_code", "requested_datetime", "expected_datetime", "agency_responsible"):
        assert request.find(name) is not None


def test_unknown_and_confidential_requests_are_not_found(
    client: TestClient, api_key: str, sessions: sessionmaker[Session]
) -> None:
    reference = post(client, api_key, "other", "保密的事")["service_request_id"]
    with unit_of_work(sessions) as session:
        tickets.get_by_reference_or_raise(session=session, reference=reference).confidential = True
    for missing in (reference, "2026-999999"):
        response = client.get(f"/open311/v2/requests/{missing}.json")
        assert response.status_code == 404
        assert valid("errors", response.json())[0]["code"] == 404
    assert reference not in ids(client)


def test_phone_tickets_show_no_description(client: TestClient, three_calls: list[str]) -> None:
    listed = valid("requests", client.get(LIST).json())
    assert {r["service_request_id"] for r in listed} >= set(three_calls)
    assert all(r["description"] is None for r in listed if r["service_request_id"] in three_calls)


@pytest.fixture
def three_calls(sessions: sessionmaker[Session], clock: FixedClock) -> list[str]:
    from tests.hotline.test_api import make_ticket

    return [
        make_ticket(sessions, clock, n, phone=f"+861380000000{n}", category="utilities")
        for n in (1, 2, 3)
    ]


def test_a_token_gives_the_request_id(client: TestClient, api_key: str) -> None:
    made = post(client, api_key, "other", "咨询")
    body = valid("tokens", client.get(f"/open311/v2/tokens/{made['token']}.json").json())
    assert body == [{"service_request_id": made["service_request_id"], "token": made["token"]}]
    root = xml(client.get(f"/open311/v2/tokens/{made['token']}.xml").text)
    assert root.findtext("request/service_request_id") == made["service_request_id"]
    missing = client.get("/open311/v2/tokens/nothing-here.json")
    assert missing.status_code == 404 and valid("errors", missing.json())[0]["code"] == 404


def test_reads_may_require_a_key(app: FastAPI, api_key: str) -> None:
    app.state.settings = app.state.settings.model_copy(update={"open311_public_reads": False})
    with TestClient(app) as client:
        refused = client.get(LIST)
        assert refused.status_code == 403 and valid("errors", refused.json())[0]["code"] == 403
        assert client.get(f"{LIST}?api_key={api_key}").status_code == 200

"""The tickets API and the health check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import intake
from hotline.calls import service as calls
from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.tickets import service as tickets
from hotline.tickets.transitions import TicketAction
from hotline.transcripts import service as transcripts
from hotline.triage.policy import policy_from_settings
from tests.conftest import API_TOKEN
from transcription.result import Transcription

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def make_ticket(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    n: int,
    *,
    phone: str,
    category: str,
    triage: bool = False,
) -> str:
    with unit_of_work(sessions) as session:
        call = calls.get_or_create(
            session=session, clock=clock, call_sid=f"CA{n:032d}", from_number=phone, to_number=""
        )
        calls.update_choices(call=call, clock=clock, language="ko", category=category)
        ticket = intake.add_recording(
            session=session,
            clock=clock,
            policy=policy_from_settings(Settings()),
            call=call,
            recording_sid=f"RE{n:032d}",
            recording_url="https://api.twilio.com/r",
            duration="3",
        )
        assert ticket is not None  # an IVR call: the recording opens its ticket
        if triage:
            recording = calls.get_recording_by_sid(session=session, recording_sid=f"RE{n:032d}")
            assert recording is not None
            result = Transcription(
                status="ok",
                language="ko",
                text="도로 구멍",
                words=[{"word": "도로", "start": 0.1, "end": 0.5, "conf": 0.9}],
                mean_confidence=0.9,
            )
            transcripts.save_transcript(
                session=session,
                clock=clock,
                policy=policy_from_settings(Settings()),
                recording_id=recording.id,
                result=result,
            )
        return ticket.reference


@pytest.fixture
def three_tickets(sessions: sessionmaker[Session], clock: FixedClock) -> list[str]:
    refs = [make_ticket(sessions, clock, 1, phone="+8613800000001", category="utilities")]
    clock.advance(hours=2)
    refs.append(
        make_ticket(
            sessions, clock, 2, phone="+8613800000002", category="roads_facilities", triage=True
        )
    )
    clock.advance(hours=2)
    refs.append(make_ticket(sessions, clock, 3, phone="+8613800000001", category="other"))
    return refs


def refs(client: TestClient, **params: str) -> list[str]:
    response = client.get("/api/v1/tickets", params=params, headers=AUTH)
    assert response.status_code == 200, response.text
    return [item["reference"] for item in response.json()["items"]]


def test_tokens_are_required(client: TestClient) -> None:
    assert client.get("/api/v1/tickets").status_code == 401
    wrong = client.get("/api/v1/tickets", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/tickets/2026-000001").status_code == 401


def test_filters(client: TestClient, three_tickets: list[str], clock: FixedClock) -> None:
    first, second, third = three_tickets
    assert refs(client) == [third, second, first]
    assert refs(client, phone="+8613800000001") == [third, first]
    assert refs(client, status="triaged") == [second]
    assert refs(client, category="utilities") == [first]
    since = (clock.now() - timedelta(hours=3)).isoformat()
    assert refs(client, since=since) == [third, second]
    assert refs(client, limit="1", offset="1") == [second]


def test_bad_filter_values_are_422(client: TestClient) -> None:
    for params in (
        {"status": "lost"},
        {"category": "ufo"},
        {"since": "yesterday"},
        {"since": "2026-11-20T08:00:00"},  # no zone: which 08:00?
    ):
        assert client.get("/api/v1/tickets", params=params, headers=AUTH).status_code == 422


def test_list_items_carry_the_interface_fields(
    client: TestClient, three_tickets: list[str]
) -> None:
    items = client.get("/api/v1/tickets", headers=AUTH).json()["items"]
    by_ref = {item["reference"]: item for item in items}
    triaged = by_ref[three_tickets[1]]
    assert {"reference", "status", "category", "language", "caller", "transcript"} <= set(triaged)
    assert triaged["transcript"]["text"] == "도로 구멍"
    assert triaged["transcript"]["status"] == "ok"
    assert by_ref[three_tickets[0]]["transcript"] is None


def test_detail_has_events_and_words(client: TestClient, three_tickets: list[str]) -> None:
    body = client.get(f"/api/v1/tickets/{three_tickets[1]}", headers=AUTH).json()
    assert [(e["from_status"], e["to_status"]) for e in body["events"]] == [
        (None, "received"),
        ("received", "triaged"),
    ]
    assert body["transcript"]["words"][0]["word"] == "도로"


def test_unknown_reference_is_404(client: TestClient) -> None:
    response = client.get("/api/v1/tickets/2026-999999", headers=AUTH)
    assert response.status_code == 404
    assert response.json()["detail"] == "no ticket 2026-999999"


def test_transition_rules_hold_in_the_service(
    sessions: sessionmaker[Session], clock: FixedClock, three_tickets: list[str]
) -> None:
    from hotline.tickets.transitions import InvalidTransition

    with unit_of_work(sessions) as session:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=three_tickets[0])
        with pytest.raises(InvalidTransition):
            tickets.transition(
                session=session, clock=clock, ticket=ticket, action=TicketAction.CLOSE, actor="t"
            )
        assert ticket.status == "received"


def test_healthz_reports_each_part(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["database"]["ok"] is True
    assert body["redis"]["ok"] is True
    assert body["models"]["ko"]["installed"] is True
    assert body["status"] == "ok"


def test_openapi_documents_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/tickets" in paths and "/api/v1/tickets/{reference}" in paths

"""Extensions (延期): the rules as a table, then the API on both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.extensions.models import TicketExtension
from hotline.extensions.rules import (
    ExtensionMove,
    ExtensionStatus,
    RequestCheck,
    decide,
    refusal,
)
from hotline.tickets import service as tickets
from hotline.tickets.transitions import TicketStatus
from tests.agent_console.arrange import api_action, dispatched, intake
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
S = TicketStatus
OK = RequestCheck(S.ACCEPTED, has_deadline=True, pending=False, approved=0, days=3, note="parts")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({}, None),
        ({"ticket_status": S.DISPATCHED}, None),
        ({"approved": 1}, None),
        ({"days": 30}, None),
        ({"ticket_status": S.RESOLVED}, "only a ticket being worked on"),
        ({"ticket_status": S.TRIAGED}, "only a ticket being worked on"),
        ({"has_deadline": False}, "no deadline to extend"),
        ({"pending": True}, "already waiting"),
        ({"approved": 2}, "had 2 extensions already"),
        ({"days": 0}, "ask for 1 to 30 days"),
        ({"days": 31}, "ask for 1 to 30 days"),
        ({"note": "  "}, "say why"),
    ],
)
def test_when_a_request_may_be_made(change: dict[str, object], problem: str | None) -> None:
    found = refusal(RequestCheck(**{**OK.__dict__, **change}))
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    ("current", "move", "result"),
    [
        (ExtensionStatus.PENDING, ExtensionMove.APPROVE, ExtensionStatus.APPROVED),
        (ExtensionStatus.PENDING, ExtensionMove.REFUSE, ExtensionStatus.REFUSED),
        (ExtensionStatus.APPROVED, ExtensionMove.APPROVE, "already approved"),
        (ExtensionStatus.REFUSED, ExtensionMove.APPROVE, "already refused"),
        (None, ExtensionMove.REFUSE, "no extension request is waiting"),
    ],
)
def test_how_a_request_is_decided(
    current: ExtensionStatus | None, move: ExtensionMove, result: object
) -> None:
    if isinstance(result, ExtensionStatus):
        assert decide(current, move) is result
    else:
        with pytest.raises(ValueError, match=str(result)):
            decide(current, move)


def test_the_deadline_moves_only_when_a_supervisor_approves(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    reference = dispatched(sessions, clock, settings)
    before = client.get(f"/api/v1/tickets/{reference}", headers=AUTH).json()
    assert before["urgency"] == "utilities" and before["deadline_at"] is not None
    status, body = api_action(
        client, reference, action="request_extension", days=3, note="the pipe part is on order"
    )
    assert status == 200, body
    assert body["deadline_at"] == before["deadline_at"]  # asking moves nothing
    assert [e["status"] for e in body["extensions"]] == ["pending"]
    status, body = api_action(client, reference, action="request_extension", days=2, note="again")
    assert (status, body["detail"]) == (
        409,
        "an extension request is already waiting for a decision",
    )
    status, body = api_action(client, reference, action="approve_extension")
    assert status == 200, body
    with sessions() as s:
        ticket = tickets.get_by_reference_or_raise(session=s, reference=reference)
        extension = s.scalars(select(TicketExtension)).one()
        assert ticket.due_at == extension.due_before + timedelta(days=3)  # type: ignore[operator]
        assert extension.due_after == ticket.due_at
        assert extension.status == "approved" and extension.decided_by == "api"
        assert extension.unit_id == ticket.team_id
        rules = [e.rule for e in ticket.events if e.action == "extension"]
        assert rules == ["extension-requested", "extension-approved"]
    assert body["deadline_at"] != before["deadline_at"]
    status, body = api_action(client, reference, action="approve_extension")
    assert (status, body["detail"]) == (409, "no extension request is waiting for a decision")


def test_a_refusal_needs_a_reason_and_keeps_the_deadline(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    reference = dispatched(sessions, clock, settings)
    deadline = client.get(f"/api/v1/tickets/{reference}", headers=AUTH).json()["deadline_at"]
    assert api_action(client, reference, action="request_extension", days=5, note="busy")[0] == 200
    status, body = api_action(client, reference, action="refuse_extension")
    assert (status, body["detail"]) == (409, "say why the extension is refused")
    status, body = api_action(
        client, reference, action="refuse_extension", note="two days is enough"
    )
    assert status == 200, body
    assert body["deadline_at"] == deadline
    events = [e for e in body["events"] if e["action"] == "extension"]
    assert events[-1]["rule"] == "extension-refused"
    assert "two days is enough" in events[-1]["reason"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"days": 3}, "say why more time is needed"),
        ({"days": 45, "note": "long"}, "ask for 1 to 30 days"),
        ({"note": "no days"}, "say how many more days are needed"),
    ],
)
def test_bad_requests_are_409s_that_change_nothing(
    client: TestClient,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    settings: Settings,
    body: dict[str, object],
    detail: str,
) -> None:
    reference = dispatched(sessions, clock, settings)
    status, answer = api_action(client, reference, action="request_extension", **body)
    assert (status, answer["detail"]) == (409, detail)
    with sessions() as s:
        assert s.scalars(select(TicketExtension)).all() == []
    assert api_action(client, reference, action="request_extension", days=0, note="x")[0] == 422


def test_a_received_ticket_cannot_be_extended(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    with sessions.begin() as s:
        reference = intake(s, clock, 1).reference
    status, body = api_action(client, reference, action="request_extension", days=3, note="x")
    assert status == 409
    assert "only a ticket being worked on can be extended" in str(body["detail"])

"""Confidential tickets (保密): the caller's identity is kept from the units and revealed only
by a supervisor who says why."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.audit.models import AuditEntry
from hotline.core.clock import FixedClock
from hotline.notifications.models import Message
from hotline.tickets.models import Ticket
from tests.agent_console.arrange import Cases, add_user, csrf, sign_in
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
CALLER = "+8613700000001"


def _ticket(session: Session, reference: str) -> Ticket:
    session.rollback()
    return session.scalars(select(Ticket).where(Ticket.reference == reference)).one()


def _assignee_user(sessions: sessionmaker[Session], clock: FixedClock, reference: str) -> None:
    with sessions.begin() as s:
        found = s.scalars(select(Ticket).where(Ticket.reference == reference)).one()
        assert found.assignee is not None
        add_user(s, clock, "assignee", "grid_worker", "1101-01", member_code=found.assignee.code)


def _page(client: TestClient, user: str, reference: str) -> str:
    sign_in(client, user)
    answer = client.get(f"/console/tickets/{reference}")
    assert answer.status_code == 200
    return answer.text


def test_a_confidential_callers_number_is_kept_from_units_and_exports(
    console: TestClient,
    cases: Cases,
    sessions: sessionmaker[Session],
    session: Session,
    clock: FixedClock,
) -> None:
    _assignee_user(sessions, clock, cases.mine)
    assert CALLER in _page(console, "assignee", cases.mine)  # the assignee sees it normally

    sign_in(console, "agent")
    marked = console.post(
        f"/console/tickets/{cases.mine}/limits/confidential",
        data={"csrf_token": csrf(console)},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    found = _ticket(session, cases.mine)
    assert (found.confidential, found.confidential_by) == (True, "agent")
    assert [e.rule for e in found.events][-1] == "confidential"
    again = console.post(
        f"/console/tickets/{cases.mine}/limits/confidential", data={"csrf_token": csrf(console)}
    )
    assert again.status_code == 409 and "already confidential" in again.text

    for user in ("assignee", "grid_worker", "agent", "supervisor"):
        page = _page(console, user, cases.mine)
        assert CALLER not in page and CALLER[-4:] not in page, user
        assert "保密" in page
    sign_in(console, "assignee")
    listing = console.get("/console/tickets", params={"q": CALLER[-6:]})
    assert cases.mine not in listing.text  # a unit's number search finds nothing
    assert cases.mine not in console.get(f"/console/callers/{CALLER}").text
    exported = console.get("/console/tickets.csv").text
    assert cases.mine in exported and CALLER not in exported and "******" in exported
    audio = console.get(f"/console/tickets/{cases.mine}/recordings/1")
    assert audio.status_code == 403
    sign_in(console, "agent")
    assert cases.mine in console.get(f"/console/callers/{CALLER}").text  # the centre's history

    api = console.get(f"/api/v1/tickets/{cases.mine}", headers=AUTH).json()
    assert (api["confidential"], api["caller"]) == (True, "******")
    by_phone = console.get("/api/v1/tickets", params={"phone": CALLER}, headers=AUTH).json()
    assert cases.mine not in [t["reference"] for t in by_phone["items"]]


def test_only_a_supervisor_reveals_the_caller_saying_why(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    console.post(
        f"/console/tickets/{cases.mine}/limits/confidential", data={"csrf_token": csrf(console)}
    )
    assert 'id="reveal"' not in console.get(f"/console/tickets/{cases.mine}").text
    refused = console.post(
        f"/console/tickets/{cases.mine}/reveal", data={"why": "x", "csrf_token": csrf(console)}
    )
    assert refused.status_code == 403
    sign_in(console, "supervisor")
    no_reason = console.post(
        f"/console/tickets/{cases.mine}/reveal", data={"why": " ", "csrf_token": csrf(console)}
    )
    assert no_reason.status_code == 409 and CALLER not in no_reason.text
    shown = console.post(
        f"/console/tickets/{cases.mine}/reveal",
        data={"why": "the police asked for the witness", "csrf_token": csrf(console)},
    )
    assert shown.status_code == 200 and CALLER in shown.text
    assert CALLER not in console.get(f"/console/tickets/{cases.mine}").text  # once only
    found = _ticket(session, cases.mine)
    reveal = [e for e in found.events if e.action == "reveal"]
    assert [(e.actor, e.rule) for e in reveal] == [("supervisor", "identity-revealed")]
    assert "the police asked for the witness" in (reveal[0].reason or "")
    audit = session.scalars(
        select(AuditEntry).where(
            AuditEntry.ticket_id == found.id, AuditEntry.action == "view_phone"
        )
    ).all()
    assert [a.username for a in audit] == ["supervisor"]


def test_a_ticket_taken_as_confidential_texts_its_team_without_the_caller(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    created = console.post(
        "/console/new",
        data={
            "caller": "+8613712345678",
            "category": "utilities",
            "summary": "邻居家漏水，不想让对方知道是我反映的",
            "community": "1101",
            "confidential": "1",
            "csrf_token": csrf(console),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    reference = created.headers["location"].split("/")[-1].split("?")[0]
    found = _ticket(session, reference)
    assert (found.confidential, found.confidential_by, found.status) == (
        True,
        "agent",
        "dispatched",
    )
    texts = session.scalars(select(Message).where(Message.ticket_id == found.id)).all()
    to_units = [m for m in texts if m.member_id is not None]
    assert to_units, "the team is texted about the new ticket"
    assert all("12345678" not in m.body for m in to_units)

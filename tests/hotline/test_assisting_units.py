"""Lead and assisting units (主办 / 协办): the rules as tables, then the API and scopes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.assists import service as assists
from hotline.assists.rules import TaskMove, TaskStatus, add_refusal, move, resolve_refusal
from hotline.core.clock import FixedClock
from hotline.core.errors import Conflict, Forbidden, NotFound
from hotline.core.settings import Settings
from hotline.grids import service as grids
from hotline.notifications.models import Message
from hotline.surveys.policy import survey_policy
from hotline.tickets import desk, queries
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketAction
from hotline.triage.policy import policy_from_settings
from hotline.users.access import visible_ticket
from hotline.users.models import UserRole
from hotline.users.permissions import Actor
from tests.agent_console.arrange import api_action, dispatched
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
T, M = TaskStatus, TaskMove


@pytest.mark.parametrize(
    ("current", "task_move", "result"),
    [
        (T.ASKED, M.ACCEPT, T.ACCEPTED),
        (T.ACCEPTED, M.REPORT, T.REPORTED),
        (T.ASKED, M.RELEASE, T.RELEASED),
        (T.ACCEPTED, M.RELEASE, T.RELEASED),
        (T.ASKED, M.REPORT, "accept the task before reporting"),
        (T.ACCEPTED, M.ACCEPT, "already accepted"),
        (T.REPORTED, M.RELEASE, "already reported"),
        (T.RELEASED, M.ACCEPT, "already released"),
    ],
)
def test_how_a_task_moves(current: TaskStatus, task_move: TaskMove, result: object) -> None:
    if isinstance(result, TaskStatus):
        assert move(current, task_move) is result
    else:
        with pytest.raises(ValueError, match=str(result)):
            move(current, task_move)


@pytest.mark.parametrize(
    ("still_open", "problem"),
    [
        ([], None),
        (["1201-01"], "assisting units have not reported yet: 1201-01"),
        (["1202-01", "1201-01"], "assisting units have not reported yet: 1201-01, 1202-01"),
    ],
)
def test_the_lead_resolves_only_when_every_assistant_is_done(
    still_open: list[str], problem: str | None
) -> None:
    assert resolve_refusal(still_open) == problem


@pytest.mark.parametrize(
    ("unit", "lead", "current", "problem"),
    [
        ("1201-01", "1101-01", [], None),
        ("1201-01", "1101-01", ["1102-01"], None),
        ("1201-01", None, [], "dispatch the ticket to a lead unit first"),
        ("1101-01", "1101-01", [], "1101-01 leads the ticket"),
        ("1201-01", "1101-01", ["1201-01"], "1201-01 is already assisting"),
    ],
)
def test_which_units_may_be_asked(
    unit: str, lead: str | None, current: list[str], problem: str | None
) -> None:
    found = add_refusal(unit=unit, lead=lead, current=current)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_the_lead_resolves_after_the_assisting_unit_reports(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    reference = dispatched(sessions, clock, settings)
    status, body = api_action(
        client, reference, action="ask_assist", unit="1201-01", note="check the main valve"
    )
    assert status == 200, body
    assert body["lead_unit"] == "1101-01"
    [task] = body["assisting_units"]
    assert (task["unit"], task["status"], task["request"]) == (
        "1201-01",
        "asked",
        "check the main valve",
    )
    assert task["member"].startswith("1201-01-")
    listed = client.get("/api/v1/tickets", params={"limit": 5}, headers=AUTH).json()["items"]
    assert [t["assisting_units"][0]["unit"] for t in listed if t["reference"] == reference] == [
        "1201-01"
    ]
    for wrong, detail in [
        ({"unit": "1201-01", "note": "again"}, "1201-01 is already assisting on the ticket"),
        ({"unit": "1101-01", "note": "x"}, "1101-01 leads the ticket; it cannot also assist"),
        ({"unit": "9999", "note": "x"}, "no unit 9999"),
        ({"unit": "1202-01", "note": " "}, "say what the assisting unit is asked to do"),
        ({"note": "x"}, "say which unit is asked to assist (unit)"),
    ]:
        assert api_action(client, reference, action="ask_assist", **wrong) == (
            409,
            {"detail": detail},
        )
    assert api_action(client, reference, action="accept")[0] == 200
    status, body = api_action(client, reference, action="resolve", note="fixed")
    assert (status, body["detail"]) == (409, "assisting units have not reported yet: 1201-01")
    status, body = api_action(client, reference, action="report_task", unit="1201-01", note="done")
    assert (status, body["detail"]) == (409, "accept the task before reporting on it")
    assert api_action(client, reference, action="accept_task")[1] == {
        "detail": "say which unit's task (unit)"
    }
    assert api_action(client, reference, action="accept_task", unit="1202-01")[0] == 404
    assert api_action(client, reference, action="accept_task", unit="1201-01")[0] == 200
    status, body = api_action(client, reference, action="report_task", unit="1201-01", note=" ")
    assert (status, body["detail"]) == (409, "say what the unit did")
    status, body = api_action(
        client, reference, action="report_task", unit="1201-01", note="valve closed and checked"
    )
    assert status == 200, body
    [task] = body["assisting_units"]
    assert (task["status"], task["report"]) == ("reported", "valve closed and checked")
    status, body = api_action(client, reference, action="resolve", note="fixed")
    assert (status, body["status"]) == (200, "resolved")
    rules = [e["rule"] for e in body["events"] if e["action"] == "assist"]
    assert rules == ["assist-asked", "assist-accepted", "assist-reported"]
    with sessions() as s:
        [sms] = s.scalars(select(Message).where(Message.kind == "assist")).all()
        assert sms.recipient.startswith("+86139") and "check the main valve" in sms.body
        ticket = tickets.get_by_reference_or_raise(session=s, reference=reference)
        assert {e.unit_id for e in ticket.events if e.action == "assist"} == {
            grids.get_unit_by_code(session=s, code="1201-01").id  # type: ignore[union-attr]
        }


def _worker(session: Session, team: str) -> Actor:
    unit = grids.get_unit_by_code(session=session, code=team)
    assert unit is not None
    return Actor(team, UserRole.GRID_WORKER, scope=frozenset({unit.id}))


def test_each_unit_sees_and_works_only_its_own_task(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings, seeded: None
) -> None:
    reference = dispatched(sessions, clock, settings)
    with sessions.begin() as s:
        ticket = tickets.get_by_reference_or_raise(session=s, reference=reference)
        supervisor = Actor("sv", UserRole.SUPERVISOR)
        assists.ask(
            session=s,
            clock=clock,
            timezone="Asia/Shanghai",
            actor=supervisor,
            ticket=ticket,
            unit_code="1201-01",
            request="bring the ladder",
        )
    with sessions.begin() as s:
        helper, stranger = _worker(s, "1201-01"), _worker(s, "1102-01")
        ticket = visible_ticket(session=s, actor=helper, reference=reference)
        page = queries.search(
            session=s,
            actor=helper,
            query=queries.TicketQuery(),
            now=clock.now(),
            timezone="Asia/Shanghai",
        )
        assert [t.reference for t in page.items] == [reference]
        with pytest.raises(NotFound):
            visible_ticket(session=s, actor=stranger, reference=reference)
        with pytest.raises(Conflict, match="1101-01 leads it"):
            _accept_as(s, clock, settings, helper, ticket)
        with pytest.raises(Forbidden):
            assists.release(
                session=s, clock=clock, actor=helper, ticket=ticket, unit_code="1201-01", text="x"
            )
        task = assists.accept(session=s, clock=clock, actor=helper, ticket=ticket)
        assert (task.status, task.accepted_by) == ("accepted", "1201-01")
        with pytest.raises(NotFound, match="your unit has no assisting task"):
            assists.accept(session=s, clock=clock, actor=stranger, ticket=ticket)
        released = assists.release(
            session=s,
            clock=clock,
            actor=Actor("sv", UserRole.SUPERVISOR),
            ticket=ticket,
            unit_code="1201-01",
            text="the lead did it alone",
        )
        assert released.status == "released"
        assert assists.open_units(session=s, ticket_id=ticket.id) == []


def _accept_as(
    session: Session, clock: FixedClock, settings: Settings, actor: Actor, ticket: Ticket
) -> None:
    policy = policy_from_settings(settings)
    desk.perform(
        session=session,
        clock=clock,
        policy=policy,
        surveys=survey_policy(settings, policy),
        actor=actor,
        ticket=ticket,
        action=TicketAction.ACCEPT,
    )

"""Jurisdiction disputes: "not ours" returns, the district as unit of last resort (兜底), and the
first receiving unit staying responsible (首接负责) until a supervisor hands it over."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.errors import Conflict, Forbidden
from hotline.core.settings import Settings
from hotline.routing.jurisdiction import after_return, return_refusal
from hotline.routing.rules import Candidate
from hotline.surveys.policy import survey_policy
from hotline.tickets import desk
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketAction
from hotline.triage.policy import TriagePolicy, policy_from_settings
from hotline.users.permissions import SYSTEM_ACTOR, Actor
from tests.agent_console.arrange import intake, triage

SETTINGS = Settings()
SV = Candidate("D01-SV", "supervisor", ())
OFFICER = Candidate("D01-TO", "triage_officer", (), open_tickets=3)
IDLE_OFFICER = Candidate("D01-T2", "triage_officer", (), open_tickets=1)
AWAY = Candidate("D01-T3", "triage_officer", (), active=False)
WORKER = Candidate("D01-W", "full_time_worker", ())


@pytest.mark.parametrize(
    ("returns", "max_returns", "district", "staff", "unit", "assignee", "rule"),
    [
        (1, 2, "D01", (SV,), None, None, "returned-by-team"),
        (2, 2, "D01", (SV,), "D01", "D01-SV", "jurisdiction-fallback"),
        (3, 2, "D01", (SV, OFFICER), "D01", "D01-SV", "jurisdiction-fallback"),  # least load
        (2, 2, "D01", (OFFICER, IDLE_OFFICER, AWAY), "D01", "D01-T2", "jurisdiction-fallback"),
        (2, 2, "D01", (WORKER, AWAY), "D01", None, "jurisdiction-fallback"),
        (1, 1, "D01", (), "D01", None, "jurisdiction-fallback"),
        (5, 0, "D01", (SV,), None, None, "returned-by-team"),  # 0 turns the rule off
        (2, 2, None, (SV,), None, None, "fallback-no-district"),
    ],
)
def test_returns_send_a_case_to_the_district_after_the_limit(
    returns: int,
    max_returns: int,
    district: str | None,
    staff: tuple[Candidate, ...],
    unit: str | None,
    assignee: str | None,
    rule: str,
) -> None:
    found = after_return(returns=returns, max_returns=max_returns, district=district, staff=staff)
    assert (found.unit, found.assignee, found.rule) == (unit, assignee, rule)


@pytest.mark.parametrize(
    ("returns", "max_returns", "at_district", "refused"),
    [(2, 2, True, True), (1, 2, True, False), (2, 2, False, False), (4, 0, True, False)],
)
def test_the_district_cannot_hand_back_a_case_it_took_as_last_resort(
    returns: int, max_returns: int, at_district: bool, refused: bool
) -> None:
    found = return_refusal(returns=returns, max_returns=max_returns, at_district=at_district)
    assert (found is not None) is refused


def _return(session: Session, clock: FixedClock, policy: TriagePolicy, ticket: Ticket) -> None:
    desk.perform(
        session=session,
        clock=clock,
        policy=policy,
        surveys=survey_policy(SETTINGS, policy),
        actor=SYSTEM_ACTOR,
        ticket=ticket,
        action=TicketAction.RETURN,
        note="not our street",
    )


def _redispatch(session: Session, clock: FixedClock, policy: TriagePolicy, ticket: Ticket) -> None:
    desk.retriage(
        session=session,
        clock=clock,
        policy=policy,
        actor=SYSTEM_ACTOR,
        ticket=ticket,
        category="utilities",
        grid_code="1101-02",
        level="general",
    )
    desk.perform(
        session=session,
        clock=clock,
        policy=policy,
        surveys=survey_policy(SETTINGS, policy),
        actor=SYSTEM_ACTOR,
        ticket=ticket,
        action=TicketAction.DISPATCH,
    )


def test_the_second_return_sends_the_ticket_to_the_district(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings, seeded: None
) -> None:
    policy = policy_from_settings(settings)
    with sessions.begin() as s:
        ticket = triage(s, clock, policy, intake(s, clock, 1), grid="1101-01")
        first = ticket.team
        assert first is not None and ticket.responsible_unit_id == first.id
        _return(s, clock, policy, ticket)
        assert (ticket.status, ticket.return_count, ticket.needs_review) == ("returned", 1, True)
        _redispatch(s, clock, policy, ticket)
        second = ticket.team
        assert second is not None and second.id != first.id
        _return(s, clock, policy, ticket)
        assert ticket.status == "dispatched" and ticket.return_count == 2
        assert ticket.team is not None and ticket.team.level == "district"
        assert ticket.assignee is not None and ticket.assignee.code == "D01-SV"
        assert not ticket.needs_review and ticket.due_at is not None
        assert ticket.events[-1].rule == "jurisdiction-fallback"
        assert ticket.events[-1].unit_id == ticket.team.id
        returned_by = [e.unit_id for e in ticket.events if e.action == "return"]
        assert returned_by == [first.id, second.id]
        assert ticket.responsible_unit_id == first.id  # 首接负责 until handed over
        with pytest.raises(Conflict, match="unit of last resort"):
            _return(s, clock, policy, ticket)
        supervisor = Actor(name="sv", role="supervisor")
        event = desk.hand_over(session=s, clock=clock, actor=supervisor, ticket=ticket)
        assert ticket.responsible_unit_id == ticket.team.id
        assert (event.rule, event.actor, event.to_status) == ("handed-over", "sv", "dispatched")
        with pytest.raises(Conflict, match="already responsible"):
            desk.hand_over(session=s, clock=clock, actor=supervisor, ticket=ticket)


def test_a_worker_cannot_hand_over(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings, seeded: None
) -> None:
    policy = policy_from_settings(settings)
    with sessions.begin() as s:
        ticket = triage(s, clock, policy, intake(s, clock, 1), grid="1101-01")
        worker = Actor(name="w", role="grid_worker")
        with pytest.raises(Forbidden, match="a grid_worker may not hand over"):
            desk.hand_over(session=s, clock=clock, actor=worker, ticket=ticket)


def test_with_the_limit_off_returns_always_go_back_to_triage(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings, seeded: None
) -> None:
    policy = replace(policy_from_settings(settings), max_returns=0)
    with sessions.begin() as s:
        ticket = triage(s, clock, policy, intake(s, clock, 1), grid="1101-01")
        for _ in range(3):
            _return(s, clock, policy, ticket)
            assert ticket.status == "returned" and ticket.needs_review
            _redispatch(s, clock, policy, ticket)
        assert ticket.return_count == 3

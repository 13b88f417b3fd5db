"""Intake type and time-limit class on tickets: inferred, chosen, changed, filtered."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.errors import Conflict
from hotline.core.settings import Settings
from hotline.sla.policy import deadlines
from hotline.tickets import classes, desk
from hotline.tickets.kinds import Urgency
from hotline.tickets.models import Ticket
from hotline.triage.config import TriageLevel, default_config
from hotline.triage.policy import policy_from_settings
from hotline.users.permissions import Actor
from tests.agent_console.arrange import intake, triage
from tests.conftest import API_TOKEN

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
AGENT = Actor(name="agent", role="agent")


def test_the_rules_leave_a_persons_choice_alone() -> None:
    config = default_config()
    ticket = Ticket(category="utilities")
    classes.set_level(ticket=ticket, config=config, level=TriageLevel.GENERAL, by="triage")
    classes.infer_intake_type(ticket=ticket, config=config)
    assert (ticket.urgency, ticket.intake_type) == ("utilities", "request")
    classes.choose_urgency(ticket=ticket, urgency=Urgency.COMPLEX, by="agent")
    classes.set_level(ticket=ticket, config=config, level=TriageLevel.URGENT, by="triage")
    assert (ticket.level, ticket.urgency) == ("urgent", "complex")
    classes.set_level(ticket=ticket, config=config, level=TriageLevel.URGENT, by="supervisor")
    assert (ticket.urgency, ticket.urgency_by) == ("emergency", "supervisor")
    ticket.category = "noise_disputes"
    classes.infer_intake_type(ticket=ticket, config=config)
    assert ticket.intake_type == "complaint"
    ticket.intake_type, ticket.intake_type_by = "praise", "agent"
    classes.infer_intake_type(ticket=ticket, config=config)
    assert ticket.intake_type == "praise"


def test_a_change_of_class_recomputes_the_deadlines_and_writes_an_event(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings, seeded: None
) -> None:
    policy = policy_from_settings(settings)
    with sessions.begin() as s:
        ticket = triage(s, clock, policy, intake(s, clock, 1), grid="1101-01")
        assert ticket.urgency == "utilities" and ticket.dispatched_at is not None
        clock.advance(minutes=20)
        event = desk.change_urgency(
            session=s,
            clock=clock,
            policy=policy,
            actor=AGENT,
            ticket=ticket,
            urgency="emergency",
            note="gas smell now",
        )
        due = deadlines(
            config=policy.config,
            calendar=policy.calendar,
            urgency=Urgency.EMERGENCY,
            start=ticket.dispatched_at,
        )
        assert (ticket.response_due_at, ticket.due_at) == (
            due.response_due_at,
            due.resolution_due_at,
        )
        assert (event.action, event.rule, event.to_status) == (
            "urgency",
            "urgency-changed",
            "dispatched",
        )
        assert event.reason == (
            "time-limit class changed from water, power, gas, heating to emergency (life or "
            "property); gas smell now"
        )
        with pytest.raises(Conflict, match="already emergency"):
            desk.change_urgency(
                session=s,
                clock=clock,
                policy=policy,
                actor=AGENT,
                ticket=ticket,
                urgency="emergency",
            )
        with pytest.raises(Conflict, match="unknown time-limit class 'soon'"):
            desk.change_urgency(
                session=s, clock=clock, policy=policy, actor=AGENT, ticket=ticket, urgency="soon"
            )


def test_the_api_shows_filters_and_changes_intake_type_and_class(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock, settings: Settings
) -> None:
    policy = policy_from_settings(settings)
    with sessions.begin() as s:
        first = triage(s, clock, policy, intake(s, clock, 1), grid="1101-01").reference
        second = triage(s, clock, policy, intake(s, clock, 2), grid="1101-01").reference
    url = f"/api/v1/tickets/{second}/actions"
    answer = client.post(
        url, json={"action": "set_intake_type", "intake_type": "complaint"}, headers=AUTH
    )
    assert answer.status_code == 200, answer.text
    item = answer.json()
    assert (item["intake_type"], item["urgency"]) == ("complaint", "utilities")
    for key in ("deadline_at", "responsible_unit", "return_count"):
        assert key in item
    listed = client.get("/api/v1/tickets?intake_type=complaint", headers=AUTH).json()["items"]
    assert [t["reference"] for t in listed] == [second]
    listed = client.get("/api/v1/tickets?intake_type=request", headers=AUTH).json()["items"]
    assert [t["reference"] for t in listed] == [first]
    bad = client.get("/api/v1/tickets?intake_type=gossip", headers=AUTH)
    assert bad.status_code == 422
    answer = client.post(url, json={"action": "set_urgency", "urgency": "complex"}, headers=AUTH)
    assert answer.status_code == 200 and answer.json()["urgency"] == "complex"
    listed = client.get("/api/v1/tickets?urgency=complex", headers=AUTH).json()["items"]
    assert [t["reference"] for t in listed] == [second]
    again = client.post(url, json={"action": "set_urgency", "urgency": "complex"}, headers=AUTH)
    assert again.status_code == 409

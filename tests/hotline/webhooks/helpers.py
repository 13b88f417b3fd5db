"""Tickets and subscriptions for the webhook tests."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import Clock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.open311 import clients
from hotline.open311 import service as open311
from hotline.tickets import service as tickets
from hotline.tickets.transitions import TicketAction
from hotline.triage.policy import policy_from_settings
from hotline.webhooks import rules
from hotline.webhooks import service as webhooks

SECRET = "department-shared-secret-0001"


def subscribe(sessions: sessionmaker[Session], clock: Clock, url: str, events: str = "") -> int:
    with unit_of_work(sessions) as session:
        made = webhooks.subscribe(
            session=session,
            clock=clock,
            url=url,
            events=(events or ",".join(rules.EVENTS)).split(","),
            secret=SECRET,
            by="test",
        )
        return made.id


def new_case(sessions: sessionmaker[Session], clock: Clock, n: int) -> str:
    """A request posted through Open311: created, then triaged and dispatched at once."""
    with unit_of_work(sessions) as session:
        client = (
            clients.authenticate(session=session, key="")
            or clients.create(
                session=session,
                clock=clock,
                name=f"app-{n}",
                rate_limit_per_minute=60,
                created_by="test",
            )[0]
        )
        made, _ = open311.create(
            session=session,
            clock=clock,
            policy=policy_from_settings(Settings()),
            client=client,
            posted=open311.Posted(
                service_code="sanitation_environment",
                address_string="1101",
                description=f"第{n}号楼垃圾满了",
            ),
            language="zh-CN",
            jurisdiction=None,
        )
        return made.ticket.reference


def move(
    sessions: sessionmaker[Session], clock: Clock, reference: str, *actions: TicketAction
) -> None:
    with unit_of_work(sessions) as session:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=reference)
        for action in actions:
            tickets.transition(
                session=session, clock=clock, ticket=ticket, action=action, actor="t"
            )

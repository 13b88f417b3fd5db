"""Arrange closed tickets and scripted residents for survey tests."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import Clock
from hotline.core.settings import Settings
from hotline.surveys.models import Survey
from hotline.surveys.policy import survey_policy
from hotline.tickets import workflow
from hotline.tickets.models import Ticket
from hotline.triage.policy import policy_from_settings
from ivr.simulator.resident import residents_file
from tests.agent_console.arrange import intake, triage
from tests.conftest import run_jobs
from worker import jobs
from worker.context import WorkerContext


def closed_ticket(
    sessions: sessionmaker[Session], clock: Clock, settings: Settings, n: int, caller: str
) -> str:
    """A ticket dispatched to grid 1101-01, accepted, resolved and closed (scheduling a survey)."""
    policy = policy_from_settings(settings)
    with sessions.begin() as session:
        ticket = triage(
            session, clock, policy, intake(session, clock, n, caller=caller), grid="1101-01"
        )
        workflow.accept(session=session, clock=clock, ticket=ticket, actor="worker")
        workflow.resolve(session=session, clock=clock, policy=policy, ticket=ticket, actor="w")
        workflow.close(
            session=session,
            clock=clock,
            surveys=survey_policy(settings, policy),
            ticket=ticket,
            actor="supervisor",
        )
        return ticket.reference


def script_residents(settings: Settings, plan: Mapping[str, Sequence[Mapping[str, Any]]]) -> None:
    """What each simulated resident does on each call."""
    path = residents_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan))


def call_round(ctx: WorkerContext, redis: Redis) -> list[int]:
    """One survey sweep, then every call job it queued (the resident answers synchronously)."""
    claimed = jobs.survey_sweep()["calls"]
    run_jobs(ctx, redis)
    return list(claimed)


def survey_of(session: Session, reference: str) -> tuple[Survey, Ticket]:
    """The ticket's latest survey and the ticket, freshly read."""
    session.rollback()
    ticket = session.scalars(select(Ticket).where(Ticket.reference == reference)).one()
    survey = session.scalars(
        select(Survey).where(Survey.ticket_id == ticket.id).order_by(Survey.id.desc())
    ).first()
    assert survey is not None
    return survey, ticket

"""API shapes for tickets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.assists import service as assists
from hotline.assists.models import TicketTask
from hotline.extensions import service as extension_service
from hotline.grids.models import OrgUnit
from hotline.kb.models import Article
from hotline.reasons import service as reasons
from hotline.reasons.codes import from_json
from hotline.reasons.render import Names, render
from hotline.surveys import service as surveys
from hotline.surveys.models import Survey
from hotline.tickets.models import Ticket
from hotline.transcripts import queries as transcripts
from hotline.transcripts.models import Transcript
from hotline.users.permissions import CONFIDENTIAL_MASK


class TranscriptOut(BaseModel):
    """What Vosk heard."""

    status: str
    text: str
    reason: str | None
    mean_confidence: float | None
    language: str | None
    model: str | None
    audio_seconds: float | None
    decode_seconds: float | None
    words: list[dict[str, Any]] | None = None


class ReasonOut(BaseModel):
    """One coded reason: the code, its parameters, and the sentence in English."""

    code: str
    params: dict[str, Any]
    text: str


class EventOut(BaseModel):
    """One status move, with the rule that decided it and why (text and codes)."""

    action: str
    from_status: str | None
    to_status: str
    actor: str
    reason: str | None
    reasons: list[ReasonOut]
    rule: str | None
    at: datetime


class SurveyOut(BaseModel):
    """The latest callback survey of a ticket."""

    status: str
    solved: str | None
    score: int | None
    attempts: int
    round: int
    reopened: bool


class TaskOut(BaseModel):
    """An assisting unit's task and where it stands."""

    unit: str
    status: str  # assists.rules.TaskStatus
    request: str
    member: str | None
    asked_by: str
    asked_at: datetime
    accepted_at: datetime | None
    reported_at: datetime | None
    report: str | None
    released_at: datetime | None
    release_note: str | None


class TicketOut(BaseModel):
    """A ticket as the API shows it."""

    reference: str
    status: str
    category: str | None
    language: str | None
    caller: str
    location_code: str | None
    channel: str
    fallback: bool
    needs_listening: bool
    listening_reason: str | None
    grid: str | None
    team: str | None
    assignee: str | None
    level: str | None
    due_at: datetime | None
    response_due_at: datetime | None
    escalation_level: int
    needs_review: bool
    review_reason: str | None
    review_reasons: list[ReasonOut]
    duplicate_of: str | None
    created_at: datetime
    updated_at: datetime
    transcript: TranscriptOut | None
    survey: SurveyOut | None
    kb_article: str | None = None  # code of the knowledge-base article it was answered from
    intake_type: str | None = None  # kinds.IntakeType
    urgency: str | None = None  # kinds.Urgency: the time-limit class
    deadline_at: datetime | None = None  # completion deadline, moved by approved extensions
    responsible_unit: str | None = None  # the first receiving unit until handed over (首接负责)
    return_count: int = 0
    lead_unit: str | None = None  # the unit that leads the case (主办): the team handling it
    assisting_units: list[TaskOut] = []  # units asked to help (协办), each with its own task
    confidential: bool = False  # 保密: the caller's number is masked here and to every unit


class ExtensionOut(BaseModel):
    """A request for more time and its decision."""

    days: int
    note: str
    status: str
    unit: str | None
    requested_by: str
    requested_at: datetime
    proposed_due_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None
    due_before: datetime | None
    due_after: datetime | None


class TicketDetail(TicketOut):
    """A ticket with its history."""

    events: list[EventOut]
    extensions: list[ExtensionOut] = []


class TicketPage(BaseModel):
    """A page of tickets."""

    items: list[TicketOut]
    limit: int
    offset: int


def _transcript(transcript: Transcript | None, *, words: bool) -> TranscriptOut | None:
    if transcript is None:
        return None
    return TranscriptOut(
        status=transcript.status,
        text=transcript.text,
        reason=transcript.reason,
        mean_confidence=transcript.mean_confidence,
        language=transcript.language,
        model=transcript.model,
        audio_seconds=transcript.audio_seconds,
        decode_seconds=transcript.decode_seconds,
        words=transcript.words if words else None,
    )


RELATED = {
    "grid",
    "team",
    "assignee",
    "duplicate_of",
    "transcript",
    "survey",
    "review_reasons",
    "kb_article",
    "deadline_at",
    "responsible_unit",
    "lead_unit",
    "assisting_units",
}


def _article_codes(session: Session, tickets: Sequence[Ticket]) -> dict[int, str]:
    ids = {t.kb_article_id for t in tickets if t.kb_article_id is not None}
    if not ids:
        return {}
    return dict(session.execute(select(Article.id, Article.code).where(Article.id.in_(ids))).all())


def _reasons(stored: Any, names: Names | None = None) -> list[ReasonOut]:
    return [
        ReasonOut(code=r.code, params=dict(r.params), text=render(r, "en", names))
        for r in from_json(stored)
    ]


def _survey(survey: Survey | None) -> SurveyOut | None:
    if survey is None:
        return None
    return SurveyOut(
        status=survey.status,
        solved=survey.solved,
        score=survey.score,
        attempts=survey.attempts,
        round=survey.round,
        reopened=survey.reopened,
    )


def _fields(ticket: Ticket) -> dict[str, Any]:
    fields = {name: getattr(ticket, name) for name in TicketOut.model_fields if name not in RELATED}
    fields["grid"] = ticket.grid.code if ticket.grid else None
    fields["team"] = ticket.team.code if ticket.team else None
    fields["assignee"] = ticket.assignee.code if ticket.assignee else None
    fields["duplicate_of"] = ticket.duplicate_of.reference if ticket.duplicate_of else None
    fields["review_reasons"] = _reasons(ticket.review_codes)
    fields["deadline_at"] = ticket.due_at
    fields["responsible_unit"] = ticket.responsible_unit.code if ticket.responsible_unit else None
    fields["lead_unit"] = fields["team"]
    if ticket.confidential and ticket.caller:
        fields["caller"] = CONFIDENTIAL_MASK
    return fields


def _task(task: TicketTask) -> TaskOut:
    return TaskOut(
        unit=task.unit.code,
        status=task.status,
        request=task.request,
        member=task.member.code if task.member else None,
        asked_by=task.asked_by,
        asked_at=task.asked_at,
        accepted_at=task.accepted_at,
        reported_at=task.reported_at,
        report=task.report,
        released_at=task.released_at,
        release_note=task.release_note,
    )


def _tasks(session: Session, ticket_ids: list[int]) -> dict[int, list[TaskOut]]:
    found: dict[int, list[TaskOut]] = {}
    for task in assists.tasks_of(session=session, ticket_ids=ticket_ids):
        found.setdefault(task.ticket_id, []).append(_task(task))
    return found


def ticket_list(*, session: Session, tickets: Sequence[Ticket]) -> list[TicketOut]:
    """Tickets with their transcripts, fetched in one query."""
    found = transcripts.latest_by_call(
        session=session, call_ids=[t.call_id for t in tickets if t.call_id is not None]
    )
    latest = surveys.latest_for(session=session, ticket_ids=[t.id for t in tickets])
    articles = _article_codes(session, tickets)
    tasks = _tasks(session, [t.id for t in tickets])
    return [
        TicketOut(
            **_fields(t),
            assisting_units=tasks.get(t.id, []),
            transcript=_transcript(found.get(t.call_id) if t.call_id else None, words=False),
            survey=_survey(latest.get(t.id)),
            kb_article=articles.get(t.kb_article_id or 0),
        )
        for t in tickets
    ]


def ticket_detail(*, session: Session, ticket: Ticket) -> TicketDetail:
    """One ticket with events and the transcript's words."""
    found = transcripts.latest_by_call(
        session=session, call_ids=[ticket.call_id] if ticket.call_id else []
    )
    names = reasons.names_for(
        session=session, reasons=[r for e in ticket.events for r in from_json(e.reason_codes)]
    )
    events = [
        EventOut(
            action=e.action,
            from_status=e.from_status,
            to_status=e.to_status,
            actor=e.actor,
            reason=e.reason,
            reasons=_reasons(e.reason_codes, names),
            rule=e.rule,
            at=e.created_at,
        )
        for e in ticket.events
    ]
    transcript = found.get(ticket.call_id) if ticket.call_id else None
    latest = surveys.latest_for(session=session, ticket_ids=[ticket.id])
    return TicketDetail(
        **_fields(ticket),
        assisting_units=_tasks(session, [ticket.id]).get(ticket.id, []),
        transcript=_transcript(transcript, words=True),
        survey=_survey(latest.get(ticket.id)),
        kb_article=_article_codes(session, [ticket]).get(ticket.kb_article_id or 0),
        events=events,
        extensions=_extensions(session, ticket),
    )


def _extensions(session: Session, ticket: Ticket) -> list[ExtensionOut]:
    found = extension_service.history(session=session, ticket_id=ticket.id)
    units = dict(
        session.execute(
            select(OrgUnit.id, OrgUnit.code).where(
                OrgUnit.id.in_({e.unit_id for e in found if e.unit_id})
            )
        ).all()
    )
    return [
        ExtensionOut(
            days=e.days,
            note=e.note,
            status=e.status,
            unit=units.get(e.unit_id) if e.unit_id else None,
            requested_by=e.requested_by,
            requested_at=e.requested_at,
            proposed_due_at=e.proposed_due_at,
            decided_by=e.decided_by,
            decided_at=e.decided_at,
            decision_note=e.decision_note,
            due_before=e.due_before,
            due_after=e.due_after,
        )
        for e in found
    ]

"""Schedule callbacks, claim due ones, record call outcomes and answers, reopen when not solved."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.core.clock import Clock
from hotline.core.persistence import get_or_insert
from hotline.notifications import service as notifications
from hotline.outbox import service as outbox
from hotline.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyAttempt,
    SurveyKind,
    SurveyStatus,
)
from hotline.surveys.policy import SurveyPolicy
from hotline.surveys.rules import RETRYABLE, call_result, next_call_time, retry_at, verdict
from hotline.tickets.models import Ticket, TicketNote

PLACE_CALL_FUNCTION = "worker.jobs.place_survey_call"
TERMINAL_CALL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
OPEN = (SurveyStatus.SCHEDULED, SurveyStatus.CALLING)


def _first_slot(policy: SurveyPolicy, earliest: datetime) -> datetime:
    """The first calling time at or after `earliest`, in UTC like every stored moment."""
    slot = next_call_time(
        earliest, hours=policy.calling_hours, timezone=policy.timezone, holidays=policy.holidays
    )
    return slot.astimezone(UTC)


def open_survey(*, session: Session, ticket_id: int) -> Survey | None:
    """The ticket's survey still being called, if any."""
    return session.scalar(
        select(Survey).where(Survey.ticket_id == ticket_id, Survey.status.in_(OPEN))
    )


def latest_for(*, session: Session, ticket_ids: list[int]) -> dict[int, Survey]:
    """Each ticket's most recent closure survey."""
    if not ticket_ids:
        return {}
    rows = session.scalars(
        select(Survey)
        .where(Survey.ticket_id.in_(ticket_ids), Survey.kind == SurveyKind.CLOSURE)
        .order_by(Survey.id)
    ).all()
    return {row.ticket_id: row for row in rows if row.ticket_id is not None}


def schedule_after_closure(
    *, session: Session, clock: Clock, policy: SurveyPolicy, ticket: Ticket
) -> Survey | None:
    """Plan the 回访 call after the delay, in calling hours; never withheld or opted-out numbers."""
    if not notifications.may_text_resident(session=session, phone=ticket.caller):
        return None
    existing = open_survey(session=session, ticket_id=ticket.id)
    if existing is not None:
        return existing
    rounds = session.scalar(
        select(func.count()).where(Survey.ticket_id == ticket.id, Survey.kind == SurveyKind.CLOSURE)
    )
    now = clock.now()
    survey = Survey(
        kind=SurveyKind.CLOSURE,
        ticket_id=ticket.id,
        round=(rounds or 0) + 1,
        phone=ticket.caller,
        language=ticket.language or "zh-CN",
        status=SurveyStatus.SCHEDULED,
        attempts=0,
        next_attempt_at=_first_slot(policy, now + policy.delay),
        created_at=now,
    )
    session.add(survey)
    session.flush()
    return survey


def schedule_missed_call(
    *, session: Session, clock: Clock, policy: SurveyPolicy, call: Call
) -> Survey | None:
    """Offer a caller who gave up waiting, or hung up before reporting, to take their report."""
    if not notifications.may_text_resident(session=session, phone=call.from_number):
        return None

    def build() -> Survey:
        return Survey(
            kind=SurveyKind.MISSED_CALL,
            call_id=call.id,
            phone=call.from_number,
            language=call.language or "zh-CN",
            status=SurveyStatus.SCHEDULED,
            attempts=0,
            next_attempt_at=_first_slot(policy, clock.now()),
            created_at=clock.now(),
        )

    survey, _ = get_or_insert(
        session=session,
        find=lambda: session.scalar(select(Survey).where(Survey.call_id == call.id)),
        build=build,
    )
    return survey


def claim_due(
    *, session: Session, clock: Clock, policy: SurveyPolicy, limit: int = 500
) -> list[SurveyAttempt]:
    """Turn due surveys into dialing attempts with their call jobs; each survey is claimed once.

    Nothing is claimed outside calling hours, even if calls are overdue (a worker was down).
    """
    now = clock.now()
    if _first_slot(policy, now) > now:
        return []
    due = session.scalars(
        select(Survey.id)
        .where(Survey.status == SurveyStatus.SCHEDULED, Survey.next_attempt_at <= now)
        .order_by(Survey.next_attempt_at, Survey.id)
        .limit(limit)
    ).all()
    claimed = []
    for survey_id in due:
        moved = session.execute(
            update(Survey)
            .where(Survey.id == survey_id, Survey.status == SurveyStatus.SCHEDULED)
            .values(status=SurveyStatus.CALLING, attempts=Survey.attempts + 1)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            continue  # another sweep took it
        survey = session.get(Survey, survey_id)
        assert survey is not None
        session.refresh(survey)
        attempt = SurveyAttempt(
            survey_id=survey.id, number=survey.attempts, outcome="dialing", started_at=now
        )
        session.add(attempt)
        session.flush()
        outbox.add(
            session=session,
            clock=clock,
            job_id=f"survey-call-{attempt.id}",
            queue="default",
            function=PLACE_CALL_FUNCTION,
            args=[attempt.id],
        )
        claimed.append(attempt)
    return claimed


def attempt_by_sid(*, session: Session, call_sid: str) -> SurveyAttempt | None:
    """The survey attempt of an outbound call."""
    return session.scalar(select(SurveyAttempt).where(SurveyAttempt.call_sid == call_sid))


def answers(*, session: Session, call_sid: str) -> dict[str, str]:
    """The answers given on one call, by question."""
    rows = session.scalars(select(SurveyAnswer).where(SurveyAnswer.call_sid == call_sid)).all()
    return {row.question: row.value for row in rows}


def record_answer(
    *, session: Session, clock: Clock, attempt: SurveyAttempt, question: str, value: str
) -> str:
    """Keep the first answer to a question on a call; returns the value that stands."""
    survey = attempt.survey
    assert attempt.call_sid

    def build() -> SurveyAnswer:
        return SurveyAnswer(
            survey_id=survey.id,
            call_sid=attempt.call_sid or "",
            question=question,
            value=value,
            created_at=clock.now(),
        )

    answer, _ = get_or_insert(
        session=session,
        find=lambda: session.scalar(
            select(SurveyAnswer).where(
                SurveyAnswer.call_sid == attempt.call_sid, SurveyAnswer.question == question
            )
        ),
        build=build,
    )
    if question == "solved":
        survey.solved = answer.value
    elif question == "score":
        survey.score = int(answer.value)
    return answer.value


def begin_dial(*, clock: Clock, attempt: SurveyAttempt) -> datetime | None:
    """Note a hand-over to the carrier; returns the previous one, which may have reached it."""
    previous = attempt.dialed_at
    attempt.dialed_at = clock.now()
    return previous


def call_placed(*, attempt: SurveyAttempt, call_sid: str) -> None:
    """The provider accepted the call; remember its SID."""
    attempt.call_sid = call_sid
    attempt.outcome = "queued"


def call_failed(
    *, session: Session, clock: Clock, policy: SurveyPolicy, attempt: SurveyAttempt, error: str
) -> Survey:
    """The provider refused the call: count it as a failed attempt."""
    attempt.error = error[:2000]
    return _close_attempt(
        session=session, clock=clock, policy=policy, attempt=attempt, result="failed"
    )


def call_status(
    *,
    session: Session,
    clock: Clock,
    policy: SurveyPolicy,
    attempt: SurveyAttempt,
    status: str,
    answered_by: str | None,
) -> Survey:
    """Twilio's status callback for a survey call; a terminal status closes the attempt."""
    if answered_by:
        attempt.answered_by = answered_by
    if status not in TERMINAL_CALL_STATUSES or attempt.ended_at is not None:
        if attempt.ended_at is None:
            attempt.outcome = status
        return attempt.survey
    given = answers(session=session, call_sid=attempt.call_sid or "")
    if attempt.survey.kind == SurveyKind.MISSED_CALL:
        given = {"reached": "yes"}  # a person picked up and heard the offer: that is the callback
    result = call_result(status, attempt.answered_by, len(given))
    return _close_attempt(
        session=session, clock=clock, policy=policy, attempt=attempt, result=result
    )


def _close_attempt(
    *, session: Session, clock: Clock, policy: SurveyPolicy, attempt: SurveyAttempt, result: str
) -> Survey:
    now = clock.now()
    attempt.outcome = result
    attempt.ended_at = now
    survey = attempt.survey
    if survey.status != SurveyStatus.CALLING:
        return survey
    if survey.kind == SurveyKind.CLOSURE and verdict(survey.solved, survey.score) is not None:
        finish(session=session, clock=clock, policy=policy, survey=survey)
        return survey
    if survey.kind == SurveyKind.MISSED_CALL and result == "answered":
        survey.status = SurveyStatus.COMPLETED
        survey.completed_at = now
        return survey
    if result not in RETRYABLE and result != "answered":
        result = "failed"
    again = retry_at(
        now,
        attempts=survey.attempts,
        max_attempts=policy.max_attempts,
        spacing=policy.retry_spacing,
    )
    if again is not None:
        survey.status = SurveyStatus.SCHEDULED
        survey.next_attempt_at = _first_slot(policy, again)
        return survey
    survey.status = SurveyStatus.UNREACHABLE
    survey.next_attempt_at = None
    if policy.sms_fallback and survey.kind == SurveyKind.CLOSURE:
        send_sms_survey(session=session, clock=clock, survey=survey)
    return survey


def send_sms_survey(*, session: Session, clock: Clock, survey: Survey) -> None:
    """Ask by text instead: reply 1 if solved, 2 if not."""
    ticket = session.get(Ticket, survey.ticket_id) if survey.ticket_id else None
    if ticket is None:
        return
    language = notifications.language_of(survey.language)
    notifications.queue_sms(
        session=session,
        clock=clock,
        key=f"survey:{ticket.reference}:{survey.round}:sms",
        kind="survey",
        recipient=survey.phone,
        language=language,
        body=notifications.render("survey", language, reference=ticket.reference),
        ticket_id=ticket.id,
    )
    survey.sms_asked_at = clock.now()


def finish(*, session: Session, clock: Clock, policy: SurveyPolicy, survey: Survey) -> str:
    """Apply the verdict: complete, or reopen the ticket one escalation level up."""
    from hotline.tickets.workflow import reopen_after_survey

    outcome = verdict(survey.solved, survey.score) or "complete"
    survey.status = SurveyStatus.COMPLETED
    survey.completed_at = clock.now()
    survey.next_attempt_at = None
    if outcome == "reopen" and survey.ticket_id is not None:
        ticket = session.get(Ticket, survey.ticket_id)
        if ticket is not None:
            survey.reopened = reopen_after_survey(
                session=session, clock=clock, ticket=ticket, survey=survey, timezone=policy.timezone
            )
    return outcome


def sms_reply(
    *, session: Session, clock: Clock, policy: SurveyPolicy, phone: str, body: str
) -> Survey | None:
    """A reply to the SMS survey: 1 solved, 2 not solved; anything else is ignored."""
    value = {"1": "yes", "2": "no"}.get(body.strip()[:1])
    survey = session.scalar(
        select(Survey)
        .where(
            Survey.phone == phone,
            Survey.status == SurveyStatus.UNREACHABLE,
            Survey.sms_asked_at.is_not(None),
        )
        .order_by(Survey.id.desc())
    )
    if survey is None or value is None:
        return None
    survey.solved = value
    finish(session=session, clock=clock, policy=policy, survey=survey)
    return survey


def comment_heard(
    *, session: Session, clock: Clock, call_sid: str, text: str, problem: str | None = None
) -> Survey | None:
    """The transcript of a resident's recorded comment: kept on the survey and as a note."""
    attempt = attempt_by_sid(session=session, call_sid=call_sid)
    if attempt is None:
        return None
    survey = attempt.survey
    survey.comment = text[:2000] or survey.comment
    if survey.ticket_id is not None:
        body = (
            f"resident's comment on the callback: {text[:2000]}"
            if text
            else f"the resident left a comment on the callback that could not be transcribed "
            f"({problem or 'nothing heard'}); call them back to hear it"
        )
        session.add(
            TicketNote(
                ticket_id=survey.ticket_id,
                author="survey",
                visibility="internal",
                body=body,
                created_at=clock.now(),
            )
        )
    return survey


def cancel_for_phone(*, session: Session, phone: str) -> int:
    """The resident opted out: no more callbacks to this number; returns how many stopped."""
    stopped = session.execute(
        update(Survey)
        .where(Survey.phone == phone, Survey.status == SurveyStatus.SCHEDULED)
        .values(status=SurveyStatus.CANCELLED, next_attempt_at=None)
    )
    return int(stopped.rowcount or 0)  # type: ignore[attr-defined]

"""Callback surveys answered by the simulator's scripted residents, through worker jobs."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.settings import Settings
from hotline.notifications.models import Message
from hotline.surveys.models import SurveyAttempt
from ivr.simulator.resident import calls_log
from tests.conftest import LiveServer, free_port, signed_post
from tests.hotline.surveys.arrange import call_round, closed_ticket, script_residents, survey_of
from worker import context, jobs
from worker.context import WorkerContext
from worker.failure_points import ENV
from worker.queues import QUEUES
from worker.relay import relay_once
from worker.rq_worker import HotlineWorker

PHONE = "+8613700000777"
pytestmark = pytest.mark.slow


def calls_log_entries(settings: Settings) -> list[dict[str, str]]:
    path = calls_log(settings)
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def answered(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    worker: WorkerContext,
    redis: Redis,
    plan: Sequence[Mapping[str, object]],
) -> str:
    settings = live.app.state.settings
    script_residents(settings, {PHONE: plan})
    reference = closed_ticket(sessions, clock, settings, 1, PHONE)
    clock.advance(hours=1)  # the survey delay; 18:30 in Shanghai, inside calling hours
    assert len(call_round(worker, redis)) == 1
    return reference


def test_solved_and_satisfied_completes_the_survey(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    reference = answered(sessions, clock, live, survey_worker, redis, [{"keys": ["1", "5"]}])
    survey, ticket = survey_of(session, reference)
    assert (survey.status, survey.solved, survey.score, survey.attempts) == (
        "completed",
        "yes",
        5,
        1,
    )
    assert ticket.status == "closed" and not survey.reopened
    attempt = survey.calls[0]
    assert attempt.outcome == "answered" and attempt.answered_by == "human"
    assert attempt.call_sid and attempt.call_sid.startswith("CA")


@pytest.mark.parametrize(
    ("keys", "solved", "score"),
    [(["2", "4"], "no", 4), (["1", "2"], "yes", 2), (["3", "3"], "partly", 3)],
    ids=["not-solved", "low-score", "partly-low"],
)
def test_not_solved_or_unhappy_reopens_one_level_up(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
    keys: list[str],
    solved: str,
    score: int,
) -> None:
    reference = answered(sessions, clock, live, survey_worker, redis, [{"keys": keys}])
    survey, ticket = survey_of(session, reference)
    assert (survey.solved, survey.score, survey.reopened) == (solved, score, True)
    assert ticket.status == "reopened" and ticket.escalation_level == 1
    assert ticket.events[-1].rule == "survey-not-solved" and ticket.events[-1].actor == "survey"
    texts = session.scalars(select(Message).where(Message.kind == "reopened")).all()
    recipients = {m.recipient for m in texts}
    assert ticket.assignee is not None and ticket.assignee.phone in recipients
    assert len(recipients) >= 2  # the assignee and the town supervisor


def test_partly_solved_with_a_good_score_completes(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    reference = answered(sessions, clock, live, survey_worker, redis, [{"keys": ["3", "4"]}])
    survey, ticket = survey_of(session, reference)
    assert (survey.status, survey.reopened, ticket.status) == ("completed", False, "closed")


def test_dtmf_garbage_is_asked_again_and_the_valid_answers_count(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    plan = [{"keys": ["7", "*", "1", "9", "5"]}]
    reference = answered(sessions, clock, live, survey_worker, redis, plan)
    survey, _ = survey_of(session, reference)
    assert (survey.status, survey.solved, survey.score) == ("completed", "yes", 5)


def test_hanging_up_after_the_first_answer_keeps_it(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    plan = [{"keys": ["2"], "hang_up_early": True}]
    reference = answered(sessions, clock, live, survey_worker, redis, plan)
    survey, ticket = survey_of(session, reference)
    assert (survey.solved, survey.score, survey.status) == ("no", None, "completed")
    assert ticket.status == "reopened"


def test_hanging_up_before_answering_is_tried_again_later(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    plan = [{"keys": [], "hang_up_early": True}]
    reference = answered(sessions, clock, live, survey_worker, redis, plan)
    survey, _ = survey_of(session, reference)
    assert survey.status == "scheduled" and survey.calls[0].outcome == "no-input"


def test_an_answering_machine_gets_a_message_and_a_later_retry(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    reference = answered(sessions, clock, live, survey_worker, redis, [{"answer": "machine"}])
    survey, ticket = survey_of(session, reference)
    attempt = survey.calls[0]
    assert (attempt.outcome, attempt.answered_by) == ("machine", "machine_end_beep")
    assert survey.status == "scheduled" and survey.solved is None
    assert ticket.status == "closed"


def test_busy_then_answered_on_the_retry(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    plan: list[dict[str, object]] = [{"answer": "busy"}, {"answer": "human", "keys": ["1", "4"]}]
    reference = answered(sessions, clock, live, survey_worker, redis, plan)
    survey, _ = survey_of(session, reference)
    assert survey.status == "scheduled" and survey.calls[0].outcome == "busy"
    due = survey.next_attempt_at
    assert due is not None
    assert call_round(survey_worker, redis) == []  # not yet: the retry waits its spacing
    clock.advance(minutes=61)
    assert len(call_round(survey_worker, redis)) == 1
    survey, _ = survey_of(session, reference)
    assert (survey.status, survey.attempts, survey.score) == ("completed", 2, 4)
    assert [a.outcome for a in survey.calls] == ["busy", "answered"]


def test_unreachable_after_the_last_attempt_then_asked_by_sms(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:

    reference = answered(sessions, clock, live, survey_worker, redis, [{"answer": "no-answer"}])
    for _ in range(2):
        clock.advance(days=1)  # the next evening, inside calling hours
        assert len(call_round(survey_worker, redis)) == 1
    survey, ticket = survey_of(session, reference)
    assert (survey.status, survey.attempts) == ("unreachable", 3)
    assert survey.sms_asked_at is not None
    assert [a.outcome for a in survey.calls] == ["no-answer"] * 3
    sms = session.scalars(select(Message).where(Message.kind == "survey")).one()
    assert sms.recipient == PHONE and ticket.reference in sms.body
    # The resident replies "2" (not solved) to the hotline's number.
    url = f"{live.url}/ivr/sms"
    params = {"From": PHONE, "To": "+861012345", "Body": "2", "MessageSid": "SM" + "1" * 32}
    assert signed_post(url, params).status_code == 200
    survey, ticket = survey_of(session, reference)
    assert (survey.status, survey.solved, ticket.status) == ("completed", "no", "reopened")


def test_calls_wait_for_calling_hours(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    clock.advance(hours=3, minutes=10)  # closed at 20:40 Shanghai; +1 h would be 21:40
    reference = closed_ticket(sessions, clock, live.app.state.settings, 1, PHONE)
    survey, _ = survey_of(session, reference)
    assert survey.next_attempt_at is not None
    clock.advance(hours=2)
    assert call_round(survey_worker, redis) == []  # 22:40: too late to call
    clock.advance(hours=9, minutes=20)  # 08:00 the next morning
    assert len(call_round(survey_worker, redis)) == 1


def test_withheld_and_opted_out_numbers_are_never_called(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    session: Session,
) -> None:
    from hotline.notifications.models import SmsOptOut
    from hotline.surveys.models import Survey

    with sessions.begin() as s:
        s.add(SmsOptOut(phone="+8613700000888", created_at=clock.now()))
    closed_ticket(sessions, clock, live.app.state.settings, 1, "anonymous")
    closed_ticket(sessions, clock, live.app.state.settings, 2, "+8613700000888")
    session.rollback()
    assert session.scalars(select(Survey)).all() == []


def test_a_retried_webhook_never_overwrites_an_answer(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    session: Session,
) -> None:
    import httpx

    from hotline.surveys.models import Survey

    closed_ticket(sessions, clock, live.app.state.settings, 1, PHONE)
    with sessions.begin() as s:
        survey = s.scalars(select(Survey)).one()
        attempt = SurveyAttempt(
            survey_id=survey.id, number=1, outcome="dialing", started_at=clock.now()
        )
        survey.status, survey.attempts = "calling", 1
        s.add(attempt)
        s.flush()
        attempt_id = attempt.id

    def post(step: str, digits: str) -> int:
        url = f"{live.url}/ivr/survey/{step}?attempt={attempt_id}&ask=1"
        params = {"CallSid": "CA" + "5" * 32, "Digits": digits, "AccountSid": "AC1"}
        return signed_post(url, params).status_code

    assert post("solved", "1") == 200
    assert post("solved", "1") == 200  # Twilio retried the webhook
    assert post("solved", "2") == 200  # a second answer to the same question
    assert post("score", "5") == 200
    assert post("score", "1") == 200
    session.rollback()
    survey = session.scalars(select(Survey)).one()
    assert (survey.solved, survey.score) == ("yes", 5)
    forged = httpx.post(
        f"{live.url}/ivr/survey/score?attempt={attempt_id}",
        data={"CallSid": "CA" + "5" * 32, "Digits": "1"},
    )
    assert forged.status_code == 403


def test_a_missing_status_callback_is_not_double_counted(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    reference = answered(sessions, clock, live, survey_worker, redis, [{"keys": ["1", "5"]}])
    survey, _ = survey_of(session, reference)
    assert survey.next_attempt_at is None
    clock.advance(days=2)
    assert call_round(survey_worker, redis) == []
    assert timedelta(0) < clock.now() - survey.created_at.replace(tzinfo=clock.now().tzinfo)


def test_a_caller_who_gave_up_in_the_queue_is_called_back_and_reports(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
) -> None:
    from hotline.calls import service as calls
    from hotline.queue import service as queue
    from hotline.surveys.models import Survey
    from hotline.tickets.models import Ticket

    caller, sid = "+8613700000999", "CA" + "9" * 32
    # Menu 3 (agent), wait, hang up: a missed call.
    with sessions.begin() as s:
        call = calls.get_or_create(
            session=s, clock=clock, call_sid=sid, from_number=caller, to_number="+861012345"
        )
        call.language = "en"
        queue.enqueue(session=s, clock=clock, call=call)
    url = f"{live.url}/ivr/status"
    params = {"CallSid": sid, "From": caller, "CallStatus": "completed", "CallDuration": "30"}
    ended = signed_post(url, params)
    assert ended.status_code == 204
    session.rollback()
    missed = session.scalars(select(Survey)).one()
    assert (missed.kind, missed.phone, missed.status) == ("missed_call", caller, "scheduled")
    # The callback: press 1 to report, then category 2 (utilities), community 1101, no words.
    script_residents(
        live.app.state.settings, {caller: [{"keys": ["1", "2", "1101"], "hang_up_early": False}]}
    )
    assert len(call_round(survey_worker, redis)) == 1
    session.rollback()
    missed = session.scalars(select(Survey)).one()
    assert missed.status == "completed" and missed.calls[0].outcome == "answered"
    ticket = session.scalars(select(Ticket)).one()
    assert (ticket.caller, ticket.category, ticket.location_code) == (caller, "utilities", "1101")


@pytest.mark.parametrize("word", ["TD", "stop", "退订"])
def test_texting_td_or_stop_cancels_callbacks_and_texts(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    session: Session,
    word: str,
) -> None:
    from hotline.notifications.models import SmsOptOut

    reference = closed_ticket(sessions, clock, live.app.state.settings, 1, PHONE)
    url = f"{live.url}/ivr/sms"
    params = {"From": PHONE, "To": "+861012345", "Body": word, "MessageSid": "SM" + "2" * 32}
    for _ in range(2):  # a repeated delivery changes nothing
        answer = signed_post(url, params)
        assert answer.status_code == 200 and "<Response" in answer.text
    survey, _ = survey_of(session, reference)
    assert survey.status == "cancelled" and survey.next_attempt_at is None
    assert session.scalars(select(SmsOptOut.phone)).all() == [PHONE]


def test_a_survey_call_whose_dialer_died_is_placed_once(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    live: LiveServer,
    survey_worker: WorkerContext,
    redis: Redis,
    session: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The call's status callbacks go nowhere, so only the carrier knows the call was placed.
    unreachable = f"http://127.0.0.1:{free_port()}"
    settings = survey_worker.settings.model_copy(update={"public_base_url": unreachable})
    ctx = context.build(settings, clock=clock)
    context.install(ctx)
    try:
        script_residents(settings, {PHONE: [{"keys": ["1", "5"]}]})
        closed_ticket(sessions, clock, settings, 1, PHONE)
        clock.advance(hours=1)
        assert len(jobs.survey_sweep()["calls"]) == 1
        relay_once(sessions=sessions, redis=redis, clock=clock, settings=settings)
        monkeypatch.setenv(ENV, f"survey:dialed=kill:{tmp_path / 'once'}")
        # A forking worker: the work horse dies once the carrier has the call, before its SID
        # is noted; the job runs again in a new horse, which asks the carrier first.
        HotlineWorker(list(QUEUES), connection=redis, job_monitoring_interval=2).work(burst=True)
    finally:
        ctx.engine.dispose()
    assert (tmp_path / "once").exists()
    placed = [e for e in calls_log_entries(settings) if e["to"] == PHONE]
    assert len(placed) == 1
    session.rollback()
    attempt = session.scalars(select(SurveyAttempt)).one()
    assert attempt.call_sid == placed[0]["sid"] and attempt.outcome == "queued"

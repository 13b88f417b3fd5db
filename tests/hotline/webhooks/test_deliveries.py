"""Event webhooks: signed, in order per ticket, retried with back-off, logged, replayable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from redis import Redis
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.audit.models import AuditEntry
from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.errors import Conflict
from hotline.notifications.models import Message
from hotline.tickets.transitions import TicketAction
from hotline.users import service as users
from hotline.users.models import UserRole
from hotline.webhooks import service as webhooks
from hotline.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.conftest import run_jobs
from tests.hotline.webhooks.helpers import SECRET, move, new_case, subscribe
from tests.hotline.webhooks.receiver import receiving
from worker.context import WorkerContext

A = TicketAction


@pytest.fixture
def ctx(worker_context: WorkerContext) -> WorkerContext:
    """Jobs in this process with short webhook waits: 10 s, then 60 s, then give up."""
    worker_context.settings = worker_context.settings.model_copy(
        update={
            "webhook_retry_seconds": [10, 60],
            "webhook_timeout_seconds": 1.0,
            "webhook_pause_after": 5,
        }
    )
    return worker_context


def deliveries(sessions: sessionmaker[Session]) -> list[WebhookDelivery]:
    with unit_of_work(sessions) as session:
        found = list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))
        session.expunge_all()
        return found


def sweep(ctx: WorkerContext, redis: Redis) -> int:
    with unit_of_work(ctx.sessions) as session:
        queued = webhooks.queue_due(session=session, clock=ctx.clock)
    run_jobs(ctx, redis)
    return queued


def test_a_tickets_events_arrive_signed_and_in_order(
    ctx: WorkerContext,
    redis: Redis,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    seeded: None,
) -> None:
    with receiving(SECRET) as receiver:
        subscribe(sessions, clock, receiver.url)
        reference = new_case(sessions, clock, 1)
        run_jobs(ctx, redis)
        move(sessions, clock, reference, A.ACCEPT, A.RESOLVE, A.CLOSE, A.REOPEN)
        run_jobs(ctx, redis)
    got = receiver.received
    assert all(r.signature_ok for r in got)
    assert [r.event["type"] for r in got] == [
        "ticket.created",
        "ticket.dispatched",
        "ticket.resolved",
        "ticket.closed",
        "ticket.reopened",
    ]
    assert [r.headers["x-hotline-event"] for r in got] == [r.event["type"] for r in got]
    sequences = [r.event["sequence"] for r in got]
    assert sequences == sorted(sequences) and len(set(sequences)) == 5
    assert len({r.headers["x-hotline-event-id"] for r in got}) == 5
    dispatched = got[1].event["ticket"]
    assert dispatched["reference"] == reference and dispatched["open311_status"] == "open"
    assert dispatched["team"]["code"] and dispatched["due_at"]
    assert got[3].event["ticket"]["open311_status"] == "closed"
    assert "caller" not in got[0].body.decode() and "+86" not in got[0].body.decode()
    assert {d.status for d in deliveries(sessions)} == {"delivered"}


def test_a_subscriber_gets_only_the_events_it_asked_for(
    ctx: WorkerContext,
    redis: Redis,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    seeded: None,
) -> None:
    with receiving(SECRET) as receiver:
        subscribe(sessions, clock, receiver.url, events="resolved,closed")
        reference = new_case(sessions, clock, 1)
        move(sessions, clock, reference, A.ACCEPT, A.RESOLVE, A.CLOSE)
        run_jobs(ctx, redis)
    assert [r.event["type"] for r in receiver.received] == ["ticket.resolved", "ticket.closed"]


def test_a_500_and_a_timeout_are_retried_after_the_back_off(
    ctx: WorkerContext,
    redis: Redis,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    seeded: None,
) -> None:
    with receiving(SECRET, plan=[500, "sleep"]) as receiver:
        subscribe(sessions, clock, receiver.url, events="created")
        new_case(sessions, clock, 1)
        run_jobs(ctx, redis)
        [first] = deliveries(sessions)
        assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
        assert first.next_attempt_at == clock.now() + timedelta(seconds=10)
        assert sweep(ctx, redis) == 0  # not due yet
        clock.advance(seconds=10)
        assert sweep(ctx, redis) == 1  # the receiver holds its answer past the 1 s timeout
        [second] = deliveries(sessions)
        assert second.attempts == 2 and second.last_status_code is None
        assert "Timeout" in (second.last_error or "")
        assert second.next_attempt_at == clock.now() + timedelta(seconds=60)
        clock.advance(seconds=60)
        sweep(ctx, redis)
    [done] = deliveries(sessions)
    assert (done.status, done.attempts, done.last_status_code) == ("delivered", 3, 200)
    ids = {r.headers["x-hotline-event-id"] for r in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1  # the same event, three times
    with unit_of_work(sessions) as session:
        log = session.scalars(select(WebhookAttempt).order_by(WebhookAttempt.id)).all()
        assert [(a.status_code, a.error is None) for a in log] == [
            (500, False),
            (None, False),
            (200, True),
        ]


def test_later_events_wait_behind_a_failing_one(
    ctx: WorkerContext,
    redis: Redis,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    seeded: None,
) -> None:
    with receiving(SECRET, plan=[500]) as receiver:
        subscribe(sessions, clock, receiver.url)
        reference = new_case(sessions, clock, 1)  # created, then dispatched
        other = new_case(sessions, clock, 2)  # another ticket is not held up
        run_jobs(ctx, redis)
        first = [r.event for r in receiver.received]
        assert [e["type"] for e in first] == [
            "ticket.created",
            "ticket.created",
            "ticket.dispatched",
        ]
        assert [e["ticket"]["reference"] for e in first[1:]] == [other, other]
        clock.advance(seconds=10)
        sweep(ctx, redis)
    order = [(r.event["ticket"]["reference"], r.event["type"]) for r in receiver.ok()]
    mine = [kind for ref, kind in order if ref == reference]
    assert mine == ["ticket.created", "ticket.dispatched"]


def test_a_given_up_delivery_can_be_replayed(
    ctx: WorkerContext,
    redis: Redis,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    seeded: None,
) -> None:
    with receiving(SECRET, plan=[503, 503, 503]) as receiver:
        subscribe(sessions, clock, receiver.url, events="created")
        new_case(sessions, clock, 1)
        run_jobs(ctx, redis)
        for wait in (10, 60):
            clock.advance(seconds=wait)
            sweep(ctx, redis)
        [failed] = deliveries(sessions)
        assert (failed.status, failed.attempts) == ("failed", 3)
        clock.advance(hours=1)
        assert sweep(ctx, redis) == 0  # given up: nothing more goes out by itself
        with unit_of_work(sessions) as session:
            copy = webhooks.replay(session=session, clock=clock, delivery_id=failed.id, by="admin")
        with unit_of_work(sessions) as session, pytest.raises(Conflict, match="still being sent"):
            webhooks.replay(session=session, clock=clock, delivery_id=copy.id, by="admin")
        run_jobs(ctx, redis)
    replayed = deliveries(sessions)[-1]
    assert replayed.replay_of_id == failed.id and replayed.status == "delivered"
    assert replayed.replayed_by == "admin"
    ids = [r.headers["x-hotline-event-id"] for r in receiver.received]
    assert len(ids) == 4 and len(set(ids)) == 1


def test_a_subscriber_that_keeps_failing_is_paused_and_admins_told(
    ctx: WorkerContext,
    redis: Redis,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    seeded: None,
) -> None:
    with unit_of_work(sessions) as session:
        users.create(
            session=session,
            clock=clock,
            username="ops",
            password="a-long-password-1",
            role=UserRole.ADMIN,
            phone="+8613800000099",
        )
    with receiving(SECRET, plan=[500] * 5) as receiver:
        number = subscribe(sessions, clock, receiver.url, events="created")
        for n in range(1, 6):
            new_case(sessions, clock, n)
        run_jobs(ctx, redis)
        with unit_of_work(sessions) as session:
            paused = session.get(WebhookSubscription, number)
            assert paused is not None and not paused.active and paused.paused_at is not None
            assert "5 failed tries in a row" in (paused.pause_reason or "")
            alert = session.scalar(select(Message).where(Message.kind == "webhook_paused"))
            assert alert is not None and alert.recipient == "+8613800000099"
            assert f"#{number}" in alert.body
            assert (
                session.scalar(select(AuditEntry).where(AuditEntry.action == "pause_webhook"))
                is not None
            )
        new_case(sessions, clock, 6)  # recorded while paused, not sent
        clock.advance(hours=1)
        run_jobs(ctx, redis)
        assert sweep(ctx, redis) == 0
        assert len(receiver.received) == 5
        with unit_of_work(sessions) as session:
            found = webhooks.get_or_raise(session=session, subscription_id=number)
            assert webhooks.resume(session=session, clock=clock, subscription=found) == 6
        sweep(ctx, redis)
    assert len(receiver.ok()) == 6
    assert {d.status for d in deliveries(sessions)} == {"delivered"}


def test_a_delivery_is_claimed_by_one_worker_only(
    sessions: sessionmaker[Session], clock: FixedClock, seeded: None
) -> None:
    subscribe(sessions, clock, "http://127.0.0.1:9/none", events="created")
    new_case(sessions, clock, 1)
    [delivery] = deliveries(sessions)
    hold = timedelta(seconds=10)
    with unit_of_work(sessions) as session:
        assert webhooks.claim(session=session, clock=clock, delivery_id=delivery.id, hold=hold)
    with unit_of_work(sessions) as session:
        assert not webhooks.claim(session=session, clock=clock, delivery_id=delivery.id, hold=hold)
    clock.advance(seconds=41)  # the holder died: its claim runs out
    with unit_of_work(sessions) as session:
        assert webhooks.claim(session=session, clock=clock, delivery_id=delivery.id, hold=hold)


@pytest.mark.parametrize(
    ("url", "events", "secret", "problem"),
    [
        ("ftp://dept.example/hook", ["created"], None, "url:"),
        ("https://dept.example/hook", ["created", "accepted"], None, "events: choose from"),
        ("https://dept.example/hook", ["created"], "short", "secret: 16 to 200"),
    ],
)
def test_bad_subscriptions_are_refused(
    session: Session,
    clock: FixedClock,
    url: str,
    events: list[str],
    secret: str | None,
    problem: str,
) -> None:
    with pytest.raises(Conflict, match=problem):
        webhooks.subscribe(
            session=session, clock=clock, url=url, events=events, secret=secret, by="t"
        )
    assert session.scalar(select(WebhookSubscription)) is None

"""Subscriptions, events written beside the ticket change, and the delivery bookkeeping."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, NotFound
from hotline.outbox import service as outbox
from hotline.tickets.models import Ticket, TicketEvent
from hotline.webhooks import rules
from hotline.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
from hotline.webhooks.payload import ticket_payload

DELIVER_FUNCTION = "worker.jobs.deliver_webhook"
QUEUE = "default"
CLAIM_MARGIN = timedelta(seconds=30)


def subscribe(
    *, session: Session, clock: Clock, url: str, events: list[str], secret: str | None, by: str
) -> WebhookSubscription:
    """A new subscription; without a secret one is made (shown to the admin once)."""
    try:
        url = rules.check_url(url)
        events = rules.parse_events(",".join(events))
    except ValueError as error:
        raise Conflict(str(error)) from None
    secret = (secret or "").strip() or secrets.token_urlsafe(32)
    if len(secret) < 16 or len(secret) > 200:
        raise Conflict("secret: 16 to 200 characters")
    subscription = WebhookSubscription(
        url=url,
        events=events,
        secret=secret,
        active=True,
        consecutive_failures=0,
        created_by=by,
        created_at=clock.now(),
    )
    session.add(subscription)
    session.flush()
    return subscription


def list_subscriptions(*, session: Session) -> Sequence[WebhookSubscription]:
    """Every subscription, oldest first."""
    return session.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)).all()


def get_or_raise(*, session: Session, subscription_id: int) -> WebhookSubscription:
    """The subscription, or NotFound."""
    found = session.get(WebhookSubscription, subscription_id)
    if found is None:
        raise NotFound(f"no webhook subscription {subscription_id}")
    return found


def pause(
    *, session: Session, clock: Clock, subscription: WebhookSubscription, reason: str
) -> None:
    """Stop sending; events keep being recorded and go out after a resume."""
    if subscription.active:
        subscription.active = False
        subscription.paused_at = clock.now()
        subscription.pause_reason = reason[:2000]


def resume(*, session: Session, clock: Clock, subscription: WebhookSubscription) -> int:
    """Send again: waiting deliveries are due at once. Returns how many wait."""
    subscription.active = True
    subscription.paused_at = None
    subscription.pause_reason = None
    subscription.consecutive_failures = 0
    result = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == subscription.id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
        )
        .values(next_attempt_at=clock.now(), claimed_until=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def announce(*, session: Session, clock: Clock, ticket: Ticket, event: TicketEvent) -> None:
    """Record the event and a delivery per interested subscription, in the ticket's
    transaction; active subscriptions get their send job through the outbox."""
    kind = rules.kind_of(event.action)
    if kind is None:
        return
    wanted = [
        s for s in session.scalars(select(WebhookSubscription)).all() if kind in (s.events or [])
    ]
    if not wanted:
        return
    now = clock.now()
    uid = "evt_" + secrets.token_hex(12)
    record = WebhookEvent(
        uid=uid,
        kind=kind,
        ticket_id=ticket.id,
        payload=ticket_payload(ticket=ticket, event=event, kind=kind, uid=uid, at=now),
        occurred_at=now,
    )
    session.add(record)
    session.flush()
    for subscription in wanted:
        delivery = WebhookDelivery(
            subscription_id=subscription.id,
            event_id=record.id,
            ticket_id=ticket.id,
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        session.add(delivery)
        session.flush()
        if subscription.active:
            queue_attempt(session=session, clock=clock, delivery=delivery)


def queue_attempt(*, session: Session, clock: Clock, delivery: WebhookDelivery) -> None:
    """The send job for the delivery's next try (one job id per try, so never twice)."""
    outbox.add(
        session=session,
        clock=clock,
        job_id=f"webhook-{delivery.id}-{delivery.attempts}",
        queue=QUEUE,
        function=DELIVER_FUNCTION,
        args=[delivery.id],
    )


def chain_head(*, session: Session, delivery: WebhookDelivery) -> WebhookDelivery | None:
    """The oldest delivery still waiting for this subscriber and ticket: it goes first."""
    return session.scalar(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.subscription_id == delivery.subscription_id,
            WebhookDelivery.ticket_id == delivery.ticket_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
        )
        .order_by(WebhookDelivery.id)
        .limit(1)
    )


def claim(*, session: Session, clock: Clock, delivery_id: int, hold: timedelta) -> bool:
    """Take the delivery for one try if nobody holds it and it is due (compare-and-set)."""
    now = clock.now()
    result = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= now,
            (WebhookDelivery.claimed_until.is_(None)) | (WebhookDelivery.claimed_until < now),
        )
        .values(claimed_until=now + hold + CLAIM_MARGIN, attempts=WebhookDelivery.attempts + 1)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def record_attempt(
    *,
    session: Session,
    clock: Clock,
    delivery_id: int,
    status_code: int | None,
    error: str | None,
    duration_ms: int,
    schedule: Sequence[int],
    pause_after: int,
) -> tuple[WebhookDelivery, bool]:
    """Log the try; on failure schedule the next (or give up); pause a subscriber that keeps
    failing. Returns the delivery and whether this try paused its subscription."""
    now = clock.now()
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise NotFound(f"no webhook delivery {delivery_id}")
    subscription = delivery.subscription
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            attempted_at=now,
            status_code=status_code,
            error=error[:2000] if error else None,
            duration_ms=duration_ms,
        )
    )
    delivery.claimed_until = None
    delivery.last_status_code = status_code
    delivery.last_error = error[:2000] if error else None
    if rules.succeeded(status_code):
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
        subscription.consecutive_failures = 0
        return delivery, False
    subscription.consecutive_failures += 1
    delay = rules.retry_delay(delivery.attempts, schedule)
    if delay is None:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + timedelta(seconds=delay)
    if subscription.active and subscription.consecutive_failures >= pause_after:
        pause(
            session=session,
            clock=clock,
            subscription=subscription,
            reason=f"{subscription.consecutive_failures} failed tries in a row; last: "
            f"{error or status_code}",
        )
        return delivery, True
    return delivery, False


def due_heads(*, session: Session, clock: Clock, limit: int = 500) -> list[WebhookDelivery]:
    """Deliveries at the head of their chain, due, not held, of an active subscription."""
    now = clock.now()
    heads = (
        select(func.min(WebhookDelivery.id))
        .where(WebhookDelivery.status == DeliveryStatus.PENDING)
        .group_by(WebhookDelivery.subscription_id, WebhookDelivery.ticket_id)
    )
    query = (
        select(WebhookDelivery)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .where(
            WebhookDelivery.id.in_(heads),
            WebhookDelivery.next_attempt_at <= now,
            (WebhookDelivery.claimed_until.is_(None)) | (WebhookDelivery.claimed_until < now),
            WebhookSubscription.active.is_(True),
        )
        .order_by(WebhookDelivery.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def list_deliveries(
    *,
    session: Session,
    subscription_id: int | None = None,
    status: str | None = None,
    limit: int = 100,
) -> Sequence[WebhookDelivery]:
    """The delivery log, newest first."""
    query = select(WebhookDelivery)
    if subscription_id is not None:
        query = query.where(WebhookDelivery.subscription_id == subscription_id)
    if status:
        query = query.where(WebhookDelivery.status == status)
    return session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit)).all()


def replay(*, session: Session, clock: Clock, delivery_id: int, by: str) -> WebhookDelivery:
    """Send a delivery's event again (same event id, so receivers can tell) as a new delivery."""
    original = session.get(WebhookDelivery, delivery_id)
    if original is None:
        raise NotFound(f"no webhook delivery {delivery_id}")
    if original.status == DeliveryStatus.PENDING:
        raise Conflict(f"delivery {delivery_id} is still being sent")
    now = clock.now()
    copy = WebhookDelivery(
        subscription_id=original.subscription_id,
        event_id=original.event_id,
        ticket_id=original.ticket_id,
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        replay_of_id=original.id,
        replayed_by=by,
        created_at=now,
    )
    session.add(copy)
    session.flush()
    if original.subscription.active:
        queue_attempt(session=session, clock=clock, delivery=copy)
    return copy


def replay_failed(
    *, session: Session, clock: Clock, subscription_id: int, since: datetime | None, by: str
) -> list[WebhookDelivery]:
    """Replay every failed delivery of a subscription (since a moment), oldest first."""
    query = select(WebhookDelivery).where(
        WebhookDelivery.subscription_id == subscription_id,
        WebhookDelivery.status == DeliveryStatus.FAILED,
    )
    if since is not None:
        query = query.where(WebhookDelivery.created_at >= since)
    failed = session.scalars(query.order_by(WebhookDelivery.id)).all()
    return [replay(session=session, clock=clock, delivery_id=d.id, by=by) for d in failed]


def waiting_counts(*, session: Session) -> dict[int, dict[str, int]]:
    """Deliveries per subscription and status, for the console and `webhooks list`."""
    counts: dict[int, dict[str, int]] = {}
    rows = session.execute(
        select(WebhookDelivery.subscription_id, WebhookDelivery.status, func.count()).group_by(
            WebhookDelivery.subscription_id, WebhookDelivery.status
        )
    )
    for subscription_id, status, count in rows:
        counts.setdefault(subscription_id, {})[status] = int(count)
    return counts


def queue_due(*, session: Session, clock: Clock) -> int:
    """Send jobs for chain heads whose retry is due (or that a dead worker held)."""
    heads = due_heads(session=session, clock=clock)
    for delivery in heads:
        queue_attempt(session=session, clock=clock, delivery=delivery)
    return len(heads)

"""Send a subscriber's waiting events for one ticket, oldest first, one try each."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import Clock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.webhooks import alerts, signing
from hotline.webhooks import service as webhooks
from hotline.webhooks.models import DeliveryStatus, WebhookDelivery

log = logging.getLogger(__name__)
MAX_IN_ONE_JOB = 100


@dataclass(frozen=True)
class Outgoing:
    """One POST, fully prepared before the session closes."""

    delivery_id: int
    url: str
    body: bytes
    headers: dict[str, str]


@dataclass(frozen=True)
class Answer:
    """What came back: a status code, or the error that stopped it."""

    status_code: int | None
    error: str | None
    duration_ms: int


Poster = Callable[[Outgoing, float], Answer]


def post(outgoing: Outgoing, timeout: float) -> Answer:
    """POST with httpx; redirects are not followed (a moved endpoint is a failure to fix)."""
    started = time.monotonic()
    try:
        response = httpx.post(
            outgoing.url, content=outgoing.body, headers=outgoing.headers, timeout=timeout
        )
    except httpx.HTTPError as failure:
        elapsed = int((time.monotonic() - started) * 1000)
        return Answer(None, f"{type(failure).__name__}: {failure}".rstrip(": "), elapsed)
    elapsed = int((time.monotonic() - started) * 1000)
    problem = None if 200 <= response.status_code < 300 else response.text[:500] or "no body"
    return Answer(response.status_code, problem, elapsed)


def _prepare(delivery: WebhookDelivery) -> Outgoing:
    body = json.dumps(delivery.event.payload, ensure_ascii=False, separators=(",", ":")).encode()
    stamp = int(time.time())  # wall time: receivers compare it with their own clocks
    return Outgoing(
        delivery_id=delivery.id,
        url=delivery.subscription.url,
        body=body,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "hotline-webhooks/1",
            signing.TIMESTAMP_HEADER: str(stamp),
            signing.SIGNATURE_HEADER: signing.signature(delivery.subscription.secret, stamp, body),
            signing.EVENT_HEADER: f"ticket.{delivery.event.kind}",
            signing.EVENT_ID_HEADER: delivery.event.uid,
            signing.DELIVERY_HEADER: str(delivery.id),
        },
    )


def deliver(
    *,
    sessions: sessionmaker[Session],
    clock: Clock,
    settings: Settings,
    delivery_id: int,
    poster: Poster = post,
) -> dict[str, int]:
    """Walk the delivery's chain (its subscriber and ticket) from the oldest waiting event,
    stopping at the first failure so a ticket's events arrive in order."""
    sent = failed = 0
    hold = timedelta(seconds=settings.webhook_timeout_seconds)
    for _ in range(MAX_IN_ONE_JOB):
        with unit_of_work(sessions) as session:
            start = session.get(WebhookDelivery, delivery_id)
            if start is None:
                break
            head = webhooks.chain_head(session=session, delivery=start)
            if head is None or not head.subscription.active:
                break
            if not webhooks.claim(session=session, clock=clock, delivery_id=head.id, hold=hold):
                break  # not due yet, or another worker is sending it
            outgoing = _prepare(head)
        answer = poster(outgoing, settings.webhook_timeout_seconds)
        with unit_of_work(sessions) as session:
            done, paused = webhooks.record_attempt(
                session=session,
                clock=clock,
                delivery_id=outgoing.delivery_id,
                status_code=answer.status_code,
                error=answer.error,
                duration_ms=answer.duration_ms,
                schedule=settings.webhook_retry_seconds,
                pause_after=settings.webhook_pause_after,
            )
            if paused:
                alerts.paused(session=session, clock=clock, subscription=done.subscription)
            ok = done.status == DeliveryStatus.DELIVERED
        if not ok:
            failed += 1
            log.warning(
                "webhook delivery %s to %s failed: %s",
                outgoing.delivery_id,
                outgoing.url,
                answer.error or answer.status_code,
            )
            break
        sent += 1
    return {"sent": sent, "failed": failed}

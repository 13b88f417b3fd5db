"""Tell administrators that a subscriber was paused: a text to each, and the audit log."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.audit import service as audit
from hotline.core.clock import Clock
from hotline.core.phones import is_e164
from hotline.notifications import service as notifications
from hotline.users.models import User, UserRole
from hotline.webhooks.models import WebhookSubscription


def paused(*, session: Session, clock: Clock, subscription: WebhookSubscription) -> int:
    """Queue the alert texts (once per pause); returns how many admins were texted."""
    audit.record(
        session=session,
        clock=clock,
        username="webhooks",
        action="pause_webhook",
        detail=f"#{subscription.id} {subscription.url}: {subscription.pause_reason}",
    )
    admins = session.scalars(
        select(User).where(User.role == UserRole.ADMIN, User.active.is_(True))
    ).all()
    stamp = subscription.paused_at.isoformat() if subscription.paused_at else ""
    sent = 0
    for admin in admins:
        if not admin.phone or not is_e164(admin.phone):
            continue
        language = notifications.language_of(admin.language)
        notifications.queue_sms(
            session=session,
            clock=clock,
            key=f"webhook_paused:{subscription.id}:{stamp}:{admin.username}",
            kind="webhook_paused",
            recipient=admin.phone,
            language=language,
            body=notifications.render(
                "webhook_paused",
                language,
                subscription=subscription.id,
                url=subscription.url,
                failures=subscription.consecutive_failures,
            ),
        )
        sent += 1
    return sent

"""Queue SMS once per event (key), render them in the recipient's language, send them in jobs."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.persistence import get_or_insert
from hotline.core.phones import is_e164
from hotline.grids.models import Member
from hotline.notifications.models import Message, MessageStatus, SmsOptOut
from hotline.outbox import service as outbox
from hotline.tickets.models import Ticket

TEMPLATES = Path(__file__).with_name("templates.yaml")
SEND_FUNCTION = "worker.jobs.send_message"
MESSAGES_QUEUE = "messages"  # ahead of transcription in every worker (worker/queues.py)
DATE_FORMATS = {"zh-CN": "%m月%d日 %H:%M", "en": "%b %d %H:%M", "ko": "%m월 %d일 %H:%M"}


@cache
def templates() -> dict[str, dict[str, Any]]:
    """SMS texts by language."""
    data: dict[str, dict[str, Any]] = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    return data


def language_of(language: str | None) -> str:
    """A language the SMS templates have (Mandarin otherwise)."""
    return language if language in templates() else "zh-CN"


def when(moment: datetime | None, language: str, timezone: str) -> str:
    """A deadline as the recipient reads it, in the hotline's time zone."""
    if moment is None:
        return str(templates()[language_of(language)]["no_deadline"])
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime(DATE_FORMATS.get(language, DATE_FORMATS["zh-CN"]))


def render(kind: str, language: str, **values: object) -> str:
    """Fill a template in the given language."""
    texts = templates()[language_of(language)]
    return str(texts[kind]).format(**values)


def ticket_values(ticket: Ticket, language: str, timezone: str) -> dict[str, object]:
    """Reference, category, place and deadlines of a ticket, in the reader's language."""
    texts = templates()[language_of(language)]
    place = ticket.grid or ticket.team
    return {
        "reference": ticket.reference,
        "category": texts["categories"].get(ticket.category or "other", ticket.category),
        "place": place.name_in(language) if place else texts["unknown_place"],
        "due": when(ticket.due_at, language, timezone),
        "response_due": when(ticket.response_due_at, language, timezone),
        "escalation_level": ticket.escalation_level,
    }


def queue_sms(
    *,
    session: Session,
    clock: Clock,
    key: str,
    kind: str,
    recipient: str,
    language: str,
    body: str,
    ticket_id: int | None = None,
    member_id: int | None = None,
) -> Message:
    """Record the SMS and its send job in this transaction; the same key is queued only once."""

    def build() -> Message:
        return Message(
            key=key,
            kind=kind,
            ticket_id=ticket_id,
            member_id=member_id,
            recipient=recipient,
            language=language,
            body=body,
            status=MessageStatus.QUEUED,
            created_at=clock.now(),
        )

    message, created = get_or_insert(
        session=session,
        find=lambda: session.scalar(select(Message).where(Message.key == key)),
        build=build,
    )
    if created:
        outbox.add(
            session=session,
            clock=clock,
            job_id=f"sms-{message.id}",
            queue=MESSAGES_QUEUE,
            function=SEND_FUNCTION,
            args=[message.id],
        )
    return message


def may_text_resident(*, session: Session, phone: str) -> bool:
    """Not withheld, a real number, and not opted out."""
    if not is_e164(phone):
        return False
    return session.scalar(select(SmsOptOut).where(SmsOptOut.phone == phone)) is None


def notify_member(
    *,
    session: Session,
    clock: Clock,
    ticket: Ticket,
    member: Member,
    kind: str,
    timezone: str,
    **extra: object,
) -> Message:
    """Tell a team member about a ticket (dispatch or escalation), once per event."""
    values = {**ticket_values(ticket, member.language, timezone), **extra}
    return queue_sms(
        session=session,
        clock=clock,
        key=f"{kind}:{ticket.reference}:{ticket.escalation_level}:{member.code}",
        kind=kind,
        recipient=member.phone,
        language=member.language,
        body=render(kind, member.language, **values),
        ticket_id=ticket.id,
        member_id=member.id,
    )


def notify_resident(
    *, session: Session, clock: Clock, ticket: Ticket, kind: str, timezone: str
) -> Message | None:
    """Text the caller (intake, resolved) unless the number is withheld or opted out."""
    if not may_text_resident(session=session, phone=ticket.caller):
        return None
    language = language_of(ticket.language)
    return queue_sms(
        session=session,
        clock=clock,
        key=f"{kind}:{ticket.reference}:resident",
        kind=kind,
        recipient=ticket.caller,
        language=language,
        body=render(kind, language, **ticket_values(ticket, language, timezone)),
        ticket_id=ticket.id,
    )


def get_queued(*, session: Session, message_id: int) -> Message | None:
    """The message if it still waits to be sent."""
    message = session.get(Message, message_id)
    if message is None or message.status != MessageStatus.QUEUED:
        return None
    return message


def begin_send(*, clock: Clock, message: Message) -> datetime | None:
    """Note a hand-over to the carrier; returns the previous one, which may have reached it."""
    previous = message.attempted_at
    message.attempted_at = clock.now()
    return previous


def mark_sent(*, session: Session, clock: Clock, message_id: int, sid: str) -> None:
    """The provider accepted the message."""
    message = session.get(Message, message_id)
    if message is not None:
        message.status = MessageStatus.SENT
        message.provider_sid = sid
        message.sent_at = clock.now()
        message.attempts += 1


def mark_failed(*, session: Session, message_id: int, error: str, final: bool) -> None:
    """Sending failed; only the last attempt marks the message failed."""
    message = session.get(Message, message_id)
    if message is not None:
        message.attempts += 1
        message.error = error[:2000]
        if final:
            message.status = MessageStatus.FAILED


OPT_OUT_WORDS = ("TD", "STOP", "UNSUBSCRIBE", "退订")


def is_opt_out(body: str) -> bool:
    """Whether a text asks for no more messages or calls (TD / STOP / 退订)."""
    return body.strip().upper() in OPT_OUT_WORDS


def opt_out(*, session: Session, clock: Clock, phone: str) -> SmsOptOut:
    """Stop texting (and calling back) this number; asking twice changes nothing."""
    found, _ = get_or_insert(
        session=session,
        find=lambda: session.scalar(select(SmsOptOut).where(SmsOptOut.phone == phone)),
        build=lambda: SmsOptOut(phone=phone, created_at=clock.now()),
    )
    return found

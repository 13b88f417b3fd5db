"""What the agent's screen shows during a call: who is calling, what they said, what it means."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls.models import Call
from hotline.core.clock import Clock
from hotline.core.errors import NotFound
from hotline.core.ttl_cache import TtlCache
from hotline.grids.models import Household
from hotline.kb import service as kb
from hotline.queue import service as queue
from hotline.queue.models import QueueEntry, QueueOutcome
from hotline.seats.models import CallOffer, OfferState, Seat
from hotline.seats.states import SeatState
from hotline.tickets import phone_intake
from hotline.tickets.models import Ticket
from hotline.transcripts import live
from hotline.transcripts.live import LiveTranscript
from hotline.transcripts.partials import PartialStore
from hotline.triage import service as triage
from hotline.triage.policy import TriagePolicy
from hotline.triage.suggest import Suggestion, suggest
from hotline.users.models import User
from hotline.users.permissions import Actor, Verb

HISTORY = 20
SUGGESTED = 3  # articles shown beside the live transcript
_suggestions: TtlCache[list[dict[str, str]]] = TtlCache(size=4096, seconds=30)


@dataclass(frozen=True)
class LiveView:
    """The live transcript with the rules' suggestions for it."""

    transcript: LiveTranscript
    suggestion: Suggestion
    articles: list[dict[str, str]]

    def as_json(self) -> dict[str, Any]:
        """The shape of GET /api/v1/calls/{CallSid}/transcript."""
        return {
            "call_sid": self.transcript.call_sid,
            "status": self.transcript.status,
            "language": self.transcript.language,
            "segments": self.transcript.segments,
            "suggestions": {**asdict(self.suggestion), "articles": self.articles},
        }


def live_view(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    partials: PartialStore,
    call_sid: str,
) -> LiveView:
    """The call's transcript so far and suggestions from what the caller said (NotFound)."""
    transcript = live.transcript(
        session=session, call_sid=call_sid, partials=partials.get(call_sid)
    )
    call = session.scalar(select(Call).where(Call.call_sid == call_sid))
    suggestion = suggest(
        session=session,
        clock=clock,
        policy=policy,
        caller=call.from_number if call else "",
        language=transcript.language or "zh-CN",
        text=transcript.caller_text(),
    )
    return LiveView(
        transcript,
        suggestion,
        suggested_articles(
            session=session,
            clock=clock,
            text=transcript.caller_text(),
            language=transcript.language,
        ),
    )


def suggested_articles(
    *, session: Session, clock: Clock, text: str, language: str | None
) -> list[dict[str, str]]:
    """The knowledge-base articles that best answer what the caller has said so far; the seat
    asks every 0.7 s, so an answer is reused until the caller says more, an article is saved,
    or 30 s pass."""
    if not text.strip():
        return []

    def search() -> list[dict[str, str]]:
        hits = kb.search(
            session=session, clock=clock, query=text, language=language or "zh-CN", limit=SUGGESTED
        )
        return [{"code": h.article.code, "title": h.text.title, "snippet": h.snippet} for h in hits]

    key = (str(session.get_bind().engine.url), kb.version(session=session), language, text)
    return _suggestions.get_or_compute(key, search)


@dataclass(frozen=True)
class ScreenPop:
    """The caller as the hotline knows them."""

    number: str
    household: Household | None
    tickets: Sequence[Ticket]
    calls: Sequence[Call]


def screen_pop(*, session: Session, call: Call) -> ScreenPop:
    """Household on file (with its grid), earlier tickets and calls from the same number."""
    number = call.from_number
    earlier_tickets = (
        session.scalars(
            select(Ticket).where(Ticket.caller == number).order_by(Ticket.id.desc()).limit(HISTORY)
        ).all()
        if number
        else []
    )
    earlier_calls = (
        session.scalars(
            select(Call)
            .where(Call.from_number == number, Call.id != call.id)
            .order_by(Call.id.desc())
            .limit(HISTORY)
        ).all()
        if number
        else []
    )
    return ScreenPop(
        number=number,
        household=triage.household_for(session=session, phone=number),
        tickets=earlier_tickets,
        calls=earlier_calls,
    )


@dataclass(frozen=True)
class SeatCall:
    """A call with an agent, as its screen needs it."""

    call: Call
    entry: QueueEntry
    offer: CallOffer
    ticket: Ticket | None


def seat_call(*, session: Session, user: User, actor: Actor, call_sid: str) -> SeatCall:
    """The call's screen, for the agent who took it or a supervisor who monitors (NotFound)."""
    call = session.scalar(select(Call).where(Call.call_sid == call_sid))
    entry = queue.get_entry(session=session, call_sid=call_sid)
    if call is None or entry is None or entry.outcome != QueueOutcome.ANSWERED:
        raise NotFound(f"no call {call_sid} with an agent")
    offer = session.scalar(
        select(CallOffer)
        .where(CallOffer.entry_id == entry.id, CallOffer.state == OfferState.ANSWERED)
        .order_by(CallOffer.id.desc())
        .limit(1)
    )
    if offer is None or (offer.user_id != user.id and not actor.may(Verb.MONITOR)):
        raise NotFound(f"no call {call_sid} with an agent")
    ticket = session.scalar(select(Ticket).where(Ticket.call_id == call.id))
    return SeatCall(call, entry, offer, ticket)


def current_call(*, session: Session, user: User) -> str | None:
    """The CallSid the agent is talking on or wrapping up, if any."""
    seat = session.scalar(select(Seat).where(Seat.user_id == user.id))
    if seat is None or seat.state not in (SeatState.ON_CALL, SeatState.WRAP_UP):
        return None
    return seat.call_sid


@dataclass(frozen=True)
class TicketForm:
    """What the agent files for a call (the seat's form)."""

    category: str
    summary: str
    community: str | None = None
    grid: str | None = None
    urgent: bool = False
    answered: bool = False
    article: str | None = None  # the knowledge-base article the agent answered from
    intake_type: str | None = None  # 咨询, 求助, 投诉, 建议, 举报, 表扬; else from the category
    confidential: bool = False  # the caller asks that the units not learn who they are (保密)


def file_ticket(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    partials: PartialStore,
    user: User,
    actor: Actor,
    call_sid: str,
    form: TicketForm,
) -> Ticket:
    """The agent who took the call files its ticket, with the transcript heard so far."""
    found = seat_call(session=session, user=user, actor=actor, call_sid=call_sid)
    if found.offer.user_id != user.id:
        raise NotFound(f"{user.username} did not take call {call_sid}")
    heard = live_view(
        session=session, clock=clock, policy=policy, partials=partials, call_sid=call_sid
    ).transcript
    return phone_intake.create_from_call(
        session=session,
        clock=clock,
        policy=policy,
        actor=actor,
        call=found.call,
        category=form.category,
        community=form.community or None,
        grid=form.grid or None,
        urgent=form.urgent,
        summary=form.summary,
        transcript=heard.as_text(),
        answered=form.answered,
        article=form.article or None,
        intake_type=form.intake_type or None,
        confidential=form.confidential,
    )

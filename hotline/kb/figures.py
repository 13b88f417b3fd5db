"""What the knowledge base does for the hotline in a period: calls settled at the seat, the
articles that helped, and the questions it could not answer (docs/kb-figures.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.kb.models import Article, ArticleText, Lookup, LookupKind
from hotline.queue.models import QueueEntry
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketStatus

TOP = 10


@dataclass(frozen=True)
class ArticleUse:
    """One article's use in the period."""

    code: str
    title: str
    answered: int  # calls closed as answered from it
    opened: int  # times someone read it


@dataclass(frozen=True)
class MissedQuestion:
    """A search that found nothing, and how often it was asked."""

    query: str
    searches: int
    last_at: datetime


@dataclass(frozen=True)
class KbFigures:
    """The period's knowledge-base figures."""

    since: datetime
    until: datetime
    answered_by_person: int
    answered_on_call: int
    answered_from_kb: int
    searches: int
    searches_without_hits: int
    top_articles: list[ArticleUse]
    missing: list[MissedQuestion]

    @property
    def answered_at_seat_rate(self) -> float | None:
        """Consultations settled on the call ÷ calls a person answered."""
        if not self.answered_by_person:
            return None
        return round(self.answered_on_call / self.answered_by_person, 4)

    @property
    def kb_answer_rate(self) -> float | None:
        """Of the consultations settled on the call, the share answered from an article."""
        if not self.answered_on_call:
            return None
        return round(self.answered_from_kb / self.answered_on_call, 4)

    def as_json(self) -> dict[str, Any]:
        """The shape of GET /api/v1/metrics/kb."""
        body = asdict(self)
        body["answered_at_seat_rate"] = self.answered_at_seat_rate
        body["kb_answer_rate"] = self.kb_answer_rate
        for item in body["missing"]:
            item["last_at"] = item["last_at"].isoformat()
        body["since"], body["until"] = self.since.isoformat(), self.until.isoformat()
        return body


def _count(session: Session, *where: Any) -> int:
    return session.scalar(select(func.count()).where(*where)) or 0


def kb_figures(*, session: Session, since: datetime, until: datetime) -> KbFigures:
    """Counts over [since, until): calls by when a person answered them, tickets by when they
    were created, lookups by when they were made."""
    answered_by_person = _count(
        session, QueueEntry.answered_at >= since, QueueEntry.answered_at < until
    )
    settled = (
        Ticket.status == TicketStatus.ANSWERED,
        Ticket.created_at >= since,
        Ticket.created_at < until,
    )
    answered_on_call = _count(session, *settled)
    from_kb = _count(session, *settled, Ticket.kb_article_id.is_not(None))
    in_period = (Lookup.at >= since, Lookup.at < until)
    searches = _count(session, *in_period, Lookup.kind == LookupKind.SEARCH)
    empty = (*in_period, Lookup.kind == LookupKind.SEARCH, Lookup.hits == 0)
    without_hits = _count(session, *empty)
    return KbFigures(
        since=since,
        until=until,
        answered_by_person=answered_by_person,
        answered_on_call=answered_on_call,
        answered_from_kb=from_kb,
        searches=searches,
        searches_without_hits=without_hits,
        top_articles=_top_articles(session, since, until),
        missing=_missing(session, empty),
    )


def _top_articles(session: Session, since: datetime, until: datetime) -> list[ArticleUse]:
    answered = dict(
        session.execute(
            select(Ticket.kb_article_id, func.count())
            .where(
                Ticket.kb_article_id.is_not(None),
                Ticket.status == TicketStatus.ANSWERED,
                Ticket.created_at >= since,
                Ticket.created_at < until,
            )
            .group_by(Ticket.kb_article_id)
        ).all()
    )
    opened = dict(
        session.execute(
            select(Lookup.article_id, func.count())
            .where(
                Lookup.kind == LookupKind.OPEN,
                Lookup.article_id.is_not(None),
                Lookup.at >= since,
                Lookup.at < until,
            )
            .group_by(Lookup.article_id)
        ).all()
    )
    ids = set(answered) | set(opened)
    if not ids:
        return []
    names = {
        article_id: (code, title)
        for article_id, code, title in session.execute(
            select(Article.id, Article.code, ArticleText.title)
            .join(ArticleText, ArticleText.article_id == Article.id)
            .where(Article.id.in_(ids))
            .order_by(ArticleText.language)  # zh-CN sorts after en and ko, so it is kept
        )
    }
    uses = [
        ArticleUse(names[i][0], names[i][1], answered.get(i, 0), opened.get(i, 0))
        for i in ids
        if i in names
    ]
    uses.sort(key=lambda u: (-u.answered, -u.opened, u.code))
    return uses[:TOP]


def _missing(session: Session, empty: tuple[Any, ...]) -> list[MissedQuestion]:
    asked = func.lower(func.trim(Lookup.query))
    rows = session.execute(
        select(asked, func.count(), func.max(Lookup.at))
        .where(*empty)
        .group_by(asked)
        .order_by(func.count().desc(), asked)
        .limit(TOP)
    ).all()
    return [MissedQuestion(query or "", searches, last_at) for query, searches, last_at in rows]

"""Keep the search index in step with every write, in the writer's own transaction.

A flush notes which tickets, transcripts, places and articles changed; the commit then adds new
dictionary words and rewrites the documents of what changed before the transaction ends, so no
service has to remember to index and a rolled-back change leaves no document behind. Ticket
documents are character pairs, which no new word changes; new words re-cut the articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.models import Recording
from hotline.grids.models import OrgUnit
from hotline.kb.models import Article, ArticleText
from hotline.search import documents, vocabulary
from hotline.tickets.models import Ticket
from hotline.transcripts.models import Transcript

_KEY = "search.pending"


@dataclass
class Pending:
    """What changed since the last commit."""

    tickets: set[Ticket] = field(default_factory=set)
    transcripts: set[Transcript] = field(default_factory=set)
    units: set[OrgUnit] = field(default_factory=set)
    articles: set[Article] = field(default_factory=set)

    def empty(self) -> bool:
        """Nothing to index."""
        return not (self.tickets or self.transcripts or self.units or self.articles)


def _changed(obj: object, *names: str) -> bool:
    state = inspect(obj)
    return state.pending or any(state.attrs[n].history.has_changes() for n in names)


def _note(session: Session, _context: Any, _instances: Any) -> None:
    pending: Pending = session.info.setdefault(_KEY, Pending())
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Ticket) and _changed(obj, "summary", "call_id"):
            pending.tickets.add(obj)
        elif isinstance(obj, Transcript) and _changed(obj, "text", "corrected_text"):
            pending.transcripts.add(obj)
        elif isinstance(obj, OrgUnit) and _changed(obj, "name_zh", "name_ko", "landmarks"):
            pending.units.add(obj)
        elif isinstance(obj, ArticleText) and obj.article is not None:
            pending.articles.add(obj.article)
        elif isinstance(obj, Article):
            pending.articles.add(obj)
    for obj in session.deleted:
        if isinstance(obj, ArticleText) and obj.article is not None:
            pending.articles.add(obj.article)


def _tickets_of(session: Session, transcripts: set[Transcript]) -> set[int]:
    recording_ids = [t.recording_id for t in transcripts if t.recording_id is not None]
    if not recording_ids:
        return set()
    return set(
        session.scalars(
            select(Ticket.id)
            .join(Recording, Recording.call_id == Ticket.call_id)
            .where(Recording.id.in_(recording_ids))
        )
    )


def flush_pending(session: Session) -> None:
    """Index what changed (also callable directly, to search before committing)."""
    while True:
        session.flush()
        pending: Pending = session.info.pop(_KEY, Pending())
        if pending.empty():
            return
        words = [w for unit in pending.units for w in vocabulary.unit_words(unit)]
        keywords = [
            k for article in pending.articles for text in article.texts for k in text.keywords
        ]
        new = vocabulary.add_words(session=session, words=words, source="registry")
        new += vocabulary.add_words(session=session, words=keywords, source="kb")
        live = [a for a in pending.articles if not inspect(a).deleted and a.id is not None]
        article_ids = documents.all_article_ids(session=session) if new else [a.id for a in live]
        if article_ids:  # ticket documents need no dictionary: no segmenter on a webhook's commit
            segmenter = vocabulary.segmenter(session=session)
            documents.index_articles(session=session, segmenter=segmenter, article_ids=article_ids)
        ticket_ids = {t.id for t in pending.tickets if t.id is not None}
        ticket_ids |= _tickets_of(session, pending.transcripts)
        documents.index_tickets(session=session, ticket_ids=ticket_ids)


def _before_commit(session: Session) -> None:
    flush_pending(session)


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)


def install(factory: sessionmaker[Session]) -> None:
    """Keep the index in step in every session this factory makes."""
    event.listen(factory, "before_flush", _note)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_rollback", _forget)

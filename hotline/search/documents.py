"""Write index documents: a ticket's words, each language version of an article."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from hotline.calls.models import Recording
from hotline.kb.models import Article
from hotline.search.models import ArticleDocument, TicketDocument
from hotline.search.segment import Segmenter, index_grams, joined
from hotline.tickets.models import Ticket
from hotline.transcripts.models import Transcript

BATCH = 500


def _spoken(session: Session, call_ids: Sequence[int]) -> dict[int, list[str]]:
    """What was heard on each call, and how people corrected it."""
    heard: dict[int, list[str]] = defaultdict(list)
    if not call_ids:
        return heard
    rows = session.execute(
        select(Recording.call_id, Transcript.text, Transcript.corrected_text)
        .join(Transcript, Transcript.recording_id == Recording.id)
        .where(Recording.call_id.in_(call_ids))
        .order_by(Transcript.id)
    )
    for call_id, text, corrected in rows:
        heard[call_id].extend(t for t in (text, corrected) if t)
    return heard


def index_tickets(*, session: Session, ticket_ids: Iterable[int]) -> int:
    """(Re)write the documents of these tickets; returns how many changed."""
    ids = sorted(set(ticket_ids))
    changed = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows = session.execute(
            select(Ticket.id, Ticket.call_id, Ticket.summary).where(Ticket.id.in_(chunk))
        ).all()
        heard = _spoken(session, [call_id for _, call_id, _ in rows if call_id is not None])
        existing = {
            d.ticket_id: d
            for d in session.scalars(
                select(TicketDocument).where(TicketDocument.ticket_id.in_(chunk))
            )
        }
        for ticket_id, call_id, summary in rows:
            text = "\n".join([summary or "", *heard.get(call_id or -1, [])]).strip()
            document = existing.get(ticket_id)
            if document is not None and document.text == text:
                continue
            tokens = joined(index_grams(text))
            if document is None:
                session.add(TicketDocument(ticket_id=ticket_id, text=text, tokens=tokens))
            else:
                document.text, document.tokens = text, tokens
            changed += 1
        session.flush()
    return changed


def unindexed_tickets(*, session: Session, limit: int = BATCH) -> list[int]:
    """Tickets with no document yet (written before the index existed)."""
    return list(
        session.scalars(
            select(Ticket.id)
            .outerjoin(TicketDocument, TicketDocument.ticket_id == Ticket.id)
            .where(TicketDocument.ticket_id.is_(None))
            .order_by(Ticket.id)
            .limit(limit)
        )
    )


def index_articles(*, session: Session, segmenter: Segmenter, article_ids: Iterable[int]) -> None:
    """(Re)write one document per language version of these articles."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        articles = session.scalars(
            select(Article).where(Article.id.in_(chunk)).options(selectinload(Article.texts))
        ).all()
        existing = {
            (d.article_id, d.language): d
            for d in session.scalars(
                select(ArticleDocument).where(ArticleDocument.article_id.in_(chunk))
            )
        }
        kept = set()
        for article in articles:
            for version in article.texts:
                key = (article.id, version.language)
                kept.add(key)
                head = joined(segmenter.index_tokens(" ".join([version.title, *version.keywords])))
                body = joined(segmenter.index_tokens(version.answer))
                document = existing.get(key)
                if document is None:
                    session.add(
                        ArticleDocument(
                            article_id=article.id,
                            language=version.language,
                            head_tokens=head,
                            body_tokens=body,
                        )
                    )
                elif (document.head_tokens, document.body_tokens) != (head, body):
                    document.head_tokens, document.body_tokens = head, body
        for key, document in existing.items():
            if key not in kept:
                session.delete(document)
        session.flush()


def all_article_ids(*, session: Session) -> list[int]:
    """Every article, for a rebuild after new dictionary words."""
    return list(session.scalars(select(Article.id)))

"""One search engine for tickets and articles: FTS5 + bm25 on SQLite, tsvector + ts_rank on
PostgreSQL, over the same segmented tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session

from hotline.kb.models import Article
from hotline.search import expressions, vocabulary
from hotline.search.fulltext import ARTICLES, TICKETS
from hotline.search.models import ArticleDocument, TicketDocument
from hotline.tickets.models import Ticket

HEAD_WEIGHT, BODY_WEIGHT = 4.0, 1.0  # title and keywords count four times the answer (SQLite)


@dataclass(frozen=True)
class Ranked:
    """One article version a query found, best first."""

    article_id: int
    language: str
    score: float


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def ticket_match(*, session: Session, query: str) -> ColumnElement[bool] | None:
    """Tickets whose summary, transcript or corrections hold every word of the query;
    None when the query has no word to look for."""
    terms = vocabulary.segmenter(session=session).query_terms(query)
    if not terms:
        return None
    if _postgres(session):
        found = cast(expressions.tsquery(terms, any_term=False, grams=True), TSQUERY)
        return Ticket.id.in_(
            select(TicketDocument.ticket_id).where(
                literal_column(f"{TICKETS.table}.tsv").op("@@")(found)
            )
        )
    matches = text(f"SELECT rowid FROM {TICKETS.fts} WHERE {TICKETS.fts} MATCH :ticket_terms")
    return Ticket.id.in_(
        matches.bindparams(
            ticket_terms=expressions.fts5(terms, any_term=False, grams=True)
        ).columns(column("rowid", Integer))
    )


def _scored(session: Session, terms: Sequence[str]) -> Select[int, str, float]:
    if _postgres(session):
        found = cast(expressions.tsquery(terms, any_term=True), TSQUERY)
        vector: ColumnElement[object] = literal_column(f"{ARTICLES.table}.tsv")
        score = func.ts_rank(vector, found).label("score")
        return select(ArticleDocument.article_id, ArticleDocument.language, score).where(
            vector.op("@@")(found)
        )
    ranked = (
        text(
            f"SELECT rowid AS id, -bm25({ARTICLES.fts}, {HEAD_WEIGHT}, {BODY_WEIGHT}) AS score "
            f"FROM {ARTICLES.fts} WHERE {ARTICLES.fts} MATCH :article_terms"
        )
        .bindparams(article_terms=expressions.fts5(terms, any_term=True))
        .columns(column("id", Integer), column("score", Float))
        .subquery("ranked")
    )
    return select(
        ArticleDocument.article_id, ArticleDocument.language, ranked.c.score.label("score")
    ).join(ranked, ranked.c.id == ArticleDocument.id)


def rank_articles(
    *,
    session: Session,
    terms: Sequence[str],
    language: str | None,
    statuses: Sequence[str],
    on: date | None,
    limit: int,
) -> list[Ranked]:
    """Article versions holding any of the terms, best first, one per article; `on` keeps only
    articles valid that day."""
    if not terms:
        return []
    stmt = _scored(session, terms).join(Article, Article.id == ArticleDocument.article_id)
    stmt = stmt.where(Article.status.in_(statuses))
    if language:
        stmt = stmt.where(ArticleDocument.language == language)
    if on is not None:
        stmt = stmt.where(
            or_(Article.valid_from.is_(None), Article.valid_from <= on),
            or_(Article.valid_until.is_(None), Article.valid_until >= on),
        )
    rows = session.execute(
        stmt.order_by(literal_column("score").desc(), ArticleDocument.article_id).limit(limit * 3)
    ).all()
    best: dict[int, Ranked] = {}
    for article_id, lang, score in rows:
        best.setdefault(article_id, Ranked(article_id, lang, float(score)))
    return list(best.values())[:limit]

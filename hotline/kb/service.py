"""Knowledge-base verbs: save with history, roll back, search, open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from hotline.core.clock import Clock
from hotline.core.errors import NotFound
from hotline.kb import rules
from hotline.kb.models import Article, ArticleRevision, ArticleStatus, ArticleText, Lookup
from hotline.kb.schemas import ArticleData, ArticleTextData
from hotline.search import engine, sync, vocabulary
from hotline.search.snippet import snippet

PUBLISHED = (ArticleStatus.PUBLISHED,)
EVERY_STATUS = tuple(ArticleStatus)


class InvalidArticle(ValueError):
    """The article cannot be saved; `problems` lists (field, problem)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {p}" for f, p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Saved:
    """The outcome of a save: the article and what changed (nothing: no new version)."""

    article: Article
    created: bool
    changes: list[str]


@dataclass(frozen=True)
class Hit:
    """An article a search found, in the language it matched."""

    article: Article
    text: ArticleText
    score: float
    snippet: str


def get_by_code(*, session: Session, code: str) -> Article | None:
    """The article with this code, if any."""
    return session.scalar(
        select(Article).where(Article.code == code).options(selectinload(Article.texts))
    )


def get_or_raise(*, session: Session, code: str) -> Article:
    """The article with this code, or NotFound."""
    article = get_by_code(session=session, code=code)
    if article is None:
        raise NotFound(f"no article {code!r}")
    return article


def data_of(article: Article) -> ArticleData:
    """An article as data, to compare, edit or export."""
    return ArticleData(
        code=article.code,
        category=article.category,
        status=article.status,
        intake_types=tuple(article.intake_types or ()),
        owner=article.owner,
        valid_from=article.valid_from,
        valid_until=article.valid_until,
        review_on=article.review_on,
        texts={
            t.language: ArticleTextData(t.title, t.answer, tuple(t.keywords or ()))
            for t in article.texts
        },
    )


def _apply(article: Article, data: ArticleData) -> None:
    article.category = data.category
    article.status = data.status
    article.intake_types = list(data.intake_types)
    article.owner = data.owner
    article.valid_from, article.valid_until = data.valid_from, data.valid_until
    article.review_on = data.review_on
    by_language = {t.language: t for t in article.texts}
    for language, text in data.texts.items():
        row = by_language.pop(language, None)
        if row is None:
            row = ArticleText(language=language)
            article.texts.append(row)
        row.title, row.answer = text.title.strip(), text.answer.strip()
        row.keywords = [k.strip() for k in text.keywords if k.strip()]
    for row in by_language.values():
        article.texts.remove(row)


def save(
    *, session: Session, clock: Clock, author: str, data: ArticleData, note: str | None = None
) -> Saved:
    """Create or update an article; every real change keeps the previous one as a revision."""
    found = rules.problems(data)
    if found:
        raise InvalidArticle(found)
    now = clock.now()
    article = get_by_code(session=session, code=data.code)
    before = data_of(article).content() if article is not None else None
    after = data.content()
    if before == after:
        assert article is not None
        return Saved(article, False, [])
    created = article is None
    if article is None:
        article = Article(code=data.code, version=0, created_at=now, texts=[])
        session.add(article)
    _apply(article, data)
    article.version += 1
    article.updated_at, article.updated_by = now, author
    changed = rules.changes(before, data_of(article).content())
    session.flush()
    session.add(
        ArticleRevision(
            article_id=article.id,
            version=article.version,
            author=author,
            note=note,
            changes=changed,
            content=data_of(article).content(),
            created_at=now,
        )
    )
    session.flush()
    return Saved(article, created, changed)


def revisions(*, session: Session, article: Article) -> Sequence[ArticleRevision]:
    """Every version of the article, newest first."""
    return session.scalars(
        select(ArticleRevision)
        .where(ArticleRevision.article_id == article.id)
        .order_by(ArticleRevision.version.desc())
    ).all()


def rollback(*, session: Session, clock: Clock, author: str, code: str, version: int) -> Saved:
    """Bring back the content of an earlier version, as a new version."""
    article = get_or_raise(session=session, code=code)
    revision = session.scalar(
        select(ArticleRevision).where(
            ArticleRevision.article_id == article.id, ArticleRevision.version == version
        )
    )
    if revision is None:
        raise NotFound(f"article {code!r} has no version {version}")
    return save(
        session=session,
        clock=clock,
        author=author,
        data=ArticleData.from_content(revision.content),
        note=f"rollback to version {version}",
    )


def search(
    *,
    session: Session,
    clock: Clock,
    query: str,
    language: str | None = None,
    drafts: bool = False,
    limit: int = 10,
    log: tuple[str, str | None] | None = None,
    today: date | None = None,
) -> list[Hit]:
    """Articles for a question as a caller puts it, best first; `drafts` also finds unpublished
    ones (editors); `log` = (source, username) records the search for the figures."""
    sync.flush_pending(session)
    terms = vocabulary.segmenter(session=session).query_tokens(query)
    ranked = engine.rank_articles(
        session=session,
        terms=terms,
        language=language,
        statuses=EVERY_STATUS if drafts else PUBLISHED,
        on=None if drafts else (today or clock.now().date()),
        limit=limit,
    )
    articles = {
        a.id: a
        for a in session.scalars(
            select(Article)
            .where(Article.id.in_([r.article_id for r in ranked]))
            .options(selectinload(Article.texts))
        )
    }
    hits = []
    for found in ranked:
        article = articles[found.article_id]
        text = article.text_in(found.language)
        assert text is not None
        hits.append(Hit(article, text, found.score, snippet(text.answer, terms)))
    if log is not None:
        source, username = log
        session.add(
            Lookup(
                kind="search",
                source=source,
                query=query[:200],
                language=language,
                hits=len(hits),
                article_id=hits[0].article.id if hits else None,
                username=username,
                at=clock.now(),
            )
        )
    return hits


def opened(
    *, session: Session, clock: Clock, article: Article, source: str, username: str | None
) -> None:
    """Someone read this article (counted in the top articles)."""
    session.add(
        Lookup(kind="open", source=source, article_id=article.id, username=username, at=clock.now())
    )


def list_articles(
    *, session: Session, status: str | None = None, category: str | None = None
) -> Sequence[Article]:
    """Articles by code, optionally of one status or category."""
    stmt = select(Article).options(selectinload(Article.texts)).order_by(Article.code)
    if status:
        stmt = stmt.where(Article.status == status)
    if category:
        stmt = stmt.where(Article.category == category)
    return session.scalars(stmt).all()


def count(*, session: Session) -> int:
    """How many articles there are."""
    return session.scalar(select(func.count(Article.id))) or 0


def version(*, session: Session) -> tuple[str, int]:
    """Changes whenever any article is saved: the latest edit and how many there are."""
    latest, count = session.execute(
        select(func.max(Article.updated_at), func.count(Article.id))
    ).one()
    return (latest.isoformat() if latest else "", count)

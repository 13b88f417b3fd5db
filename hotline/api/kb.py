"""GET /api/v1/kb/search and /api/v1/kb/articles/{code}."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from hotline.api.deps import SessionDep, TokenDep
from hotline.core.errors import NotFound
from hotline.core.settings import LANGUAGES
from hotline.kb import service as kb
from hotline.kb.models import ArticleStatus

router = APIRouter(prefix="/api/v1/kb", tags=["knowledge base"])


class SearchHit(BaseModel):
    """One article found, in the language it matched; `snippet` marks matches with <mark>."""

    code: str
    title: str
    score: float
    snippet: str
    language: str
    category: str


class SearchPage(BaseModel):
    """Hits, best first."""

    items: list[SearchHit]


class ArticleTextOut(BaseModel):
    """One language version."""

    language: str
    title: str
    answer: str
    keywords: list[str]


class ArticleOut(BaseModel):
    """A published article in every language it has."""

    code: str
    category: str
    intake_types: list[str]
    owner: str | None
    version: int
    texts: list[ArticleTextOut]


@router.get("/search", response_model=SearchPage)
def search(
    request: Request,
    session: SessionDep,
    _token: TokenDep,
    q: str = Query(..., min_length=1, max_length=200, description="a question as a caller asks"),
    language: str | None = Query(None, description=f"one of {', '.join(LANGUAGES)}"),
    limit: int = Query(10, ge=1, le=50),
) -> SearchPage:
    """Published articles valid today for a question, best first (logged for the figures)."""
    if language is not None and language not in LANGUAGES:
        raise HTTPException(422, f"language: one of {', '.join(LANGUAGES)}")
    hits = kb.search(
        session=session,
        clock=request.app.state.clock,
        query=q,
        language=language,
        limit=limit,
        log=("api", None),
    )
    return SearchPage(
        items=[
            SearchHit(
                code=h.article.code,
                title=h.text.title,
                score=round(h.score, 6),
                snippet=h.snippet,
                language=h.text.language,
                category=h.article.category,
            )
            for h in hits
        ]
    )


@router.get("/articles/{code}", response_model=ArticleOut)
def article(code: str, session: SessionDep, _token: TokenDep) -> ArticleOut:
    """One published article; 404 for unknown, draft or retired ones."""
    try:
        found = kb.get_or_raise(session=session, code=code)
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    if found.status != ArticleStatus.PUBLISHED:
        raise HTTPException(404, f"no article {code!r}")
    return ArticleOut(
        code=found.code,
        category=found.category,
        intake_types=list(found.intake_types or ()),
        owner=found.owner,
        version=found.version,
        texts=[
            ArticleTextOut(
                language=t.language, title=t.title, answer=t.answer, keywords=list(t.keywords)
            )
            for t in found.texts
        ],
    )

"""Knowledge-base pages: search, read, edit with history and rollback (editors only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_console.auth import FormViewerDep, Viewer, ViewerDep
from agent_console.errors import PageError, domain_errors
from agent_console.kb_form import article_from_form, form_of
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.core.settings import LANGUAGES
from hotline.kb import rules
from hotline.kb import service as kb
from hotline.kb.models import Article, ArticleStatus
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter(prefix="/kb")
SOURCES = ("console", "seat")


def _today(request: Request) -> date:
    zone = ZoneInfo(request.app.state.settings.timezone)
    return request.app.state.clock.now().astimezone(zone).date()


def _readable(viewer: Viewer, article: Article) -> bool:
    return article.status == ArticleStatus.PUBLISHED or viewer.actor.may(Verb.EDIT_KB)


def _article(session: SessionDep, viewer: Viewer, code: str) -> Article:
    with domain_errors():
        require(viewer.actor, Verb.READ_KB)
        article = kb.get_or_raise(session=session, code=code)
    if not _readable(viewer, article):
        raise PageError(404, f"no article {code!r}")
    return article


@dataclass(frozen=True)
class SearchParams:
    """What a knowledge-base search asks for, from the query string."""

    q: str
    language: str
    source: str


def search_params(
    q: Annotated[str, Query(max_length=200)] = "",
    language: Annotated[str, Query(max_length=8)] = "",
    source: Annotated[str, Query(max_length=8)] = "console",
) -> SearchParams:
    """Checked search parameters (400 for an unknown language or source)."""
    if language and language not in LANGUAGES:
        raise PageError(400, f"language: one of {', '.join(LANGUAGES)}")
    if source not in SOURCES:
        raise PageError(400, f"source: one of {', '.join(SOURCES)}")
    return SearchParams(q, language, source)


SearchDep = Annotated[SearchParams, Depends(search_params)]


def _search(
    request: Request, session: SessionDep, viewer: Viewer, asked: SearchParams
) -> list[kb.Hit]:
    if not asked.q.strip():
        return []
    return kb.search(
        session=session,
        clock=request.app.state.clock,
        query=asked.q,
        language=asked.language or None,
        drafts=viewer.actor.may(Verb.EDIT_KB) and asked.source == "console",
        log=(asked.source, viewer.user.username),
    )


@router.get("", response_class=HTMLResponse)
def kb_page(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    asked: SearchDep,
    status: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    """Search the knowledge base, or list it (editors see drafts and what needs review)."""
    with domain_errors():
        require(viewer.actor, Verb.READ_KB)
    editor = viewer.actor.may(Verb.EDIT_KB)
    if status and status not in set(ArticleStatus):
        raise PageError(400, f"status: one of {', '.join(ArticleStatus)}")
    hits = _search(request, session, viewer, asked)
    articles = (
        []
        if asked.q.strip()
        else kb.list_articles(
            session=session, status=status or (None if editor else ArticleStatus.PUBLISHED)
        )
    )
    today = _today(request)
    return render(
        request,
        "kb.html",
        language=viewer.language,
        viewer=viewer,
        q=asked.q,
        chosen_language=asked.language,
        status=status,
        statuses=list(ArticleStatus),
        languages=LANGUAGES,
        hits=hits,
        articles=articles,
        editor=editor,
        freshness=lambda a: (
            rules.freshness(
                today=today,
                valid_from=a.valid_from,
                valid_until=a.valid_until,
                review_on=a.review_on,
            ).value
        ),
    )


@router.get("/results", response_class=HTMLResponse)
def kb_results(
    request: Request, session: SessionDep, viewer: ViewerDep, asked: SearchDep
) -> HTMLResponse:
    """Search hits alone, for the seat and live search."""
    with domain_errors():
        require(viewer.actor, Verb.READ_KB)
    hits = _search(request, session, viewer, asked)
    return render(
        request,
        "_kb_results.html",
        language=viewer.language,
        hits=hits,
        q=asked.q,
        source=asked.source,
    )


def _edit_page(
    request: Request,
    viewer: Viewer,
    form: dict[str, object],
    *,
    code: str | None,
    problems: list[tuple[str, str]] | None = None,
) -> HTMLResponse:
    return render(
        request,
        "kb_edit.html",
        language=viewer.language,
        status_code=422 if problems else 200,
        viewer=viewer,
        form=form,
        code=code,
        problems=problems or [],
        languages=LANGUAGES,
        categories=list(Category),
        intake_types=list(IntakeType),
        statuses=list(ArticleStatus),
    )


@router.get("/new", response_class=HTMLResponse)
def new_article(request: Request, viewer: ViewerDep) -> HTMLResponse:
    """An empty article form (draft)."""
    with domain_errors():
        require(viewer.actor, Verb.EDIT_KB)
    return _edit_page(
        request, viewer, {"status": "draft", "intake_types": ["consultation"]}, code=None
    )


async def _save(
    request: Request, session: SessionDep, viewer: Viewer, code: str | None
) -> Response:
    with domain_errors():
        require(viewer.actor, Verb.EDIT_KB)
    submitted = await request.form()
    data, problems = article_from_form(submitted, code=code)
    if data is not None and not problems:
        if code is None and kb.get_by_code(session=session, code=data.code) is not None:
            problems = [("code", f"{data.code} exists already")]
        else:
            try:
                with session.begin_nested():
                    kb.save(
                        session=session,
                        clock=request.app.state.clock,
                        author=viewer.user.username,
                        data=data,
                        note=str(submitted.get("note") or "")[:500] or None,
                    )
            except kb.InvalidArticle as refused:
                problems = refused.problems
    if problems or data is None:
        return _edit_page(
            request,
            viewer,
            dict(submitted.multi_items()) | {"intake_types": submitted.getlist("intake_types")},
            code=code,
            problems=problems,
        )
    return RedirectResponse(f"/console/kb/{data.code}?saved=1", status_code=303)


@router.post("/new")
async def create_article(request: Request, session: SessionDep, viewer: FormViewerDep) -> Response:
    """Save a new article as its first version."""
    return await _save(request, session, viewer, None)


@router.get("/{code}", response_class=HTMLResponse)
def article_page(
    code: str,
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    language: Annotated[str, Query(max_length=8)] = "",
    partial: Annotated[str, Query(max_length=1)] = "",
    source: Annotated[str, Query(max_length=8)] = "console",
) -> HTMLResponse:
    """The answer in the chosen language (the seat asks for the caller's)."""
    article = _article(session, viewer, code)
    if source not in SOURCES:
        raise PageError(400, f"source: one of {', '.join(SOURCES)}")
    text = article.text_in(language or viewer.language)
    kb.opened(
        session=session,
        clock=request.app.state.clock,
        article=article,
        source=source,
        username=viewer.user.username,
    )
    context: dict[str, Any] = {
        "viewer": viewer,
        "article": article,
        "text": text,
        "editor": viewer.actor.may(Verb.EDIT_KB),
        "source": source,
    }
    if partial:
        return render(request, "_kb_article.html", language=viewer.language, **context)
    return render(request, "kb_article.html", language=viewer.language, **context)


@router.get("/{code}/edit", response_class=HTMLResponse)
def edit_article(
    code: str, request: Request, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    """The article's form with what it says now."""
    with domain_errors():
        require(viewer.actor, Verb.EDIT_KB)
    article = _article(session, viewer, code)
    return _edit_page(request, viewer, form_of(kb.data_of(article)), code=code)


@router.post("/{code}/edit")
async def update_article(
    code: str, request: Request, session: SessionDep, viewer: FormViewerDep
) -> Response:
    """Save a new version (the previous one stays in the history)."""
    _article(session, viewer, code)
    return await _save(request, session, viewer, code)


@router.get("/{code}/history", response_class=HTMLResponse)
def history(code: str, request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Every version: who, when, what changed; editors may bring one back."""
    with domain_errors():
        require(viewer.actor, Verb.EDIT_KB)
    article = _article(session, viewer, code)
    return render(
        request,
        "kb_history.html",
        language=viewer.language,
        viewer=viewer,
        article=article,
        revisions=kb.revisions(session=session, article=article),
    )


@router.post("/{code}/rollback")
def rollback(
    code: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    version: Annotated[int, Form(ge=1)],
) -> Response:
    """Bring back an earlier version as the newest one."""
    with domain_errors():
        require(viewer.actor, Verb.EDIT_KB)
        kb.rollback(
            session=session,
            clock=request.app.state.clock,
            author=viewer.user.username,
            code=code,
            version=version,
        )
    return RedirectResponse(f"/console/kb/{code}/history", status_code=303)

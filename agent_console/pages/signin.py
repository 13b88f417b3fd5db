"""Sign in, sign out, and the user's UI language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_console.auth import (
    COOKIE,
    COOKIE_PATH,
    FormViewerDep,
    login_token_ok,
    new_login_token,
    remember_login_token,
    set_cookie,
)
from agent_console.i18n import LANGUAGES, translator
from agent_console.web import client_address, render
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.users import sessions as console_sessions
from hotline.users.login import TooManyAttempts, sign_in

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only follow redirects inside the console."""
    if target and target.startswith("/console/") and not target.startswith("//"):
        return target
    return "/console/"


def _language(request: Request) -> str:
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "zh-CN"


def _login_page(
    request: Request, *, next_url: str, username: str = "", problem: str | None = None, status: int
) -> HTMLResponse:
    token = new_login_token()
    response = render(
        request,
        "login.html",
        language=_language(request),
        status_code=status,
        viewer=None,
        next=next_url,
        username=username,
        problem=problem,
        login_token=token,
    )
    remember_login_token(request, response, token)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    """The sign-in form."""
    return _login_page(request, next_url=_safe_next(next), status=200)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/console/",
) -> Response:
    """Check the password (rate-limited), open a session and set the signed cookie."""
    t = translator(_language(request))
    next_url = _safe_next(next)
    if not login_token_ok(request, csrf_token):
        return _login_page(request, next_url=next_url, problem=t("login.expired"), status=403)
    client = client_address(request) or "unknown"
    clock = request.app.state.clock
    try:
        user = sign_in(
            session=session, clock=clock, username=username, password=password, client=client
        )
    except TooManyAttempts as error:
        return _login_page(
            request, next_url=next_url, username=username, problem=str(error), status=429
        )
    if user is None:
        audit.record(
            session=session,
            clock=clock,
            username=username[:64],
            action="login_failed",
            client=client,
        )
        return _login_page(
            request, next_url=next_url, username=username, problem=t("login.failed"), status=401
        )
    row = console_sessions.open_session(session=session, clock=clock, user=user)
    audit.record(
        session=session, clock=clock, username=user.username, action="login", client=client
    )
    response = RedirectResponse(next_url, status_code=303)
    set_cookie(request, response, COOKIE, row.id, "session")
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, viewer: FormViewerDep) -> Response:
    """End this browser's session."""
    console_sessions.close_session(session=session, session_id=viewer.session_id)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path=COOKIE_PATH)
    return response


@router.post("/me/language")
def change_language(
    request: Request, viewer: FormViewerDep, language: Annotated[str, Form()]
) -> Response:
    """Switch the UI language for this user."""
    if language in LANGUAGES:
        viewer.user.language = language
    back = request.headers.get("referer", "")
    path = "/console/" + back.split("/console/", 1)[1] if "/console/" in back else "/console/"
    return RedirectResponse(_safe_next(path), status_code=303)

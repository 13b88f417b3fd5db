"""Signed session cookies, the signed-in viewer, and CSRF checks for every form."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from hotline.api.deps import SessionDep
from hotline.core.secret import signing_key
from hotline.users import sessions as console_sessions
from hotline.users.access import actor_for
from hotline.users.models import User
from hotline.users.permissions import Actor

COOKIE = "hotline_console"
LOGIN_CSRF_COOKIE = "hotline_login_csrf"
COOKIE_PATH = "/console"
MAX_AGE = int(console_sessions.IDLE_LIMIT.total_seconds())


@dataclass(frozen=True)
class Viewer:
    """The signed-in person behind one request."""

    user: User
    actor: Actor
    csrf_token: str
    session_id: str

    @property
    def language(self) -> str:
        """The UI language the user chose."""
        return self.user.language


def _serializer(request: Request, salt: str) -> URLSafeTimedSerializer:
    state = request.app.state
    key = getattr(state, "console_key", None)
    if key is None:
        key = state.console_key = signing_key(state.settings)
    return URLSafeTimedSerializer(key, salt=salt)


def _secure(request: Request) -> bool:
    return bool(request.app.state.settings.public_base_url.startswith("https://"))


def set_cookie(request: Request, response: Response, name: str, value: str, salt: str) -> None:
    """Sign a value into an HttpOnly, SameSite=Lax cookie scoped to the console."""
    response.set_cookie(
        name,
        _serializer(request, salt).dumps(value),
        max_age=MAX_AGE,
        path=COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def read_cookie(request: Request, name: str, salt: str) -> str | None:
    """The value of a signed cookie, or None if absent, forged or expired."""
    raw = request.cookies.get(name)
    if not raw:
        return None
    try:
        return str(_serializer(request, salt).loads(raw, max_age=MAX_AGE))
    except BadSignature:
        return None


def new_login_token() -> str:
    """A random token for the sign-in form."""
    return secrets.token_urlsafe(24)


def remember_login_token(request: Request, response: Response, token: str) -> None:
    """Keep the form's token in a signed cookie too (double submit)."""
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, "login-csrf")


def login_token_ok(request: Request, submitted: str) -> bool:
    """Whether the sign-in form came from our page."""
    expected = read_cookie(request, LOGIN_CSRF_COOKIE, "login-csrf")
    return bool(expected) and hmac.compare_digest(expected or "", submitted)


def _to_login(request: Request) -> HTTPException:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = f"/console/login?next={quote(target)}"
    return HTTPException(
        303, "sign in first", headers={"Location": location, "HX-Redirect": location}
    )


def get_viewer(request: Request, session: SessionDep) -> Viewer:
    """The signed-in user, or a redirect to the sign-in page."""
    session_id = read_cookie(request, COOKIE, "session")
    row = (
        console_sessions.current(
            session=session, clock=request.app.state.clock, session_id=session_id
        )
        if session_id
        else None
    )
    if row is None:
        raise _to_login(request)
    return Viewer(
        user=row.user,
        actor=actor_for(session=session, user=row.user),
        csrf_token=row.csrf_token,
        session_id=row.id,
    )


async def check_csrf(request: Request, viewer: Annotated[Viewer, Depends(get_viewer)]) -> Viewer:
    """Refuse a state-changing request without the session's CSRF token."""
    submitted = request.headers.get("X-CSRF-Token")
    if submitted is None:
        form = await request.form()
        value = form.get("csrf_token")
        submitted = value if isinstance(value, str) else None
    if not submitted or not hmac.compare_digest(submitted, viewer.csrf_token):
        raise HTTPException(403, "the form has expired or did not come from this console; reload")
    return viewer


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
FormViewerDep = Annotated[Viewer, Depends(check_csrf)]

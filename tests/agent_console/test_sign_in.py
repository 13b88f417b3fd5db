"""Sign-in, cookies, CSRF, rate limits, sign-out and disabled accounts."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hotline.audit.models import AuditEntry
from hotline.core.clock import FixedClock
from hotline.tickets.models import TicketNote
from hotline.users import service as users
from hotline.users.login import MAX_FAILURES_PER_NAME
from tests.agent_console.arrange import PASSWORD, Cases, csrf, sign_in


def login_token(client: TestClient) -> str:
    page = client.get("/console/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_the_session_cookie_is_signed_httponly_samesite_and_secure(
    console: TestClient, cases: Cases
) -> None:
    token = login_token(console)
    answer = console.post(
        "/console/login",
        data={"username": "agent", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/console/"
    cookie = next(
        c for c in answer.headers.get_list("set-cookie") if c.startswith("hotline_console=")
    )
    for flag in ("HttpOnly", "SameSite=lax", "Secure", "Path=/console"):
        assert flag.lower() in cookie.lower()
    # A tampered cookie is refused.
    value = console.cookies.get("hotline_console")
    assert value
    console.cookies.set("hotline_console", value[:-2] + "xx", path="/console")
    assert console.get("/console/", follow_redirects=False).status_code == 303


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(
    console: TestClient, cases: Cases, session: Session
) -> None:
    for username in ("agent", "nobody"):
        answer = console.post(
            "/console/login",
            data={"username": username, "password": "wrong", "csrf_token": login_token(console)},
        )
        assert answer.status_code == 401
        assert "hotline_console" not in console.cookies
    assert session.scalar(select(func.count()).where(AuditEntry.action == "login_failed")) == 2


def test_sign_in_without_the_forms_token_is_refused(console: TestClient, cases: Cases) -> None:
    login_token(console)
    answer = console.post(
        "/console/login", data={"username": "agent", "password": PASSWORD, "csrf_token": "forged"}
    )
    assert answer.status_code == 403
    assert console.get("/console/", follow_redirects=False).status_code == 303


def test_repeated_failures_lock_the_name_even_for_the_right_password(
    console: TestClient, cases: Cases, clock: FixedClock
) -> None:
    for _ in range(MAX_FAILURES_PER_NAME):
        data = {"username": "agent", "password": "guess", "csrf_token": login_token(console)}
        assert console.post("/console/login", data=data).status_code == 401
    data = {"username": "agent", "password": PASSWORD, "csrf_token": login_token(console)}
    assert console.post("/console/login", data=data).status_code == 429
    clock.advance(minutes=16)
    data["csrf_token"] = login_token(console)
    assert console.post("/console/login", data=data, follow_redirects=False).status_code == 303


def test_next_only_leads_inside_the_console(console: TestClient, cases: Cases) -> None:
    for target, landing in (
        ("/console/tickets", "/console/tickets"),
        ("https://evil.example/", "/console/"),
        ("//evil.example/console/", "/console/"),
    ):
        data = {
            "username": "agent",
            "password": PASSWORD,
            "csrf_token": login_token(console),
            "next": target,
        }
        answer = console.post("/console/login", data=data, follow_redirects=False)
        assert answer.headers["location"] == landing


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_forms_without_the_sessions_csrf_token_change_nothing(
    console: TestClient, cases: Cases, session: Session, token: str | None
) -> None:
    sign_in(console, "agent")
    data = {"body": "should not be saved", "visibility": "internal"}
    if token is not None:
        data["csrf_token"] = token
    answer = console.post(f"/console/tickets/{cases.mine}/notes", data=data)
    assert answer.status_code == 403
    assert session.scalar(select(func.count()).select_from(TicketNote)) == 0


def test_the_csrf_header_is_accepted_for_htmx_requests(console: TestClient, cases: Cases) -> None:
    sign_in(console, "agent")
    token = csrf(console)
    answer = console.post(
        f"/console/tickets/{cases.mine}/notes",
        data={"body": "called back", "visibility": "resident"},
        headers={"X-CSRF-Token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303


def test_sign_out_ends_the_session_on_the_server(console: TestClient, cases: Cases) -> None:
    sign_in(console, "agent")
    stolen = console.cookies.get("hotline_console")
    assert console.post("/console/logout", data={"csrf_token": csrf(console)}).status_code == 200
    console.cookies.set("hotline_console", stolen or "", path="/console")
    assert console.get("/console/", follow_redirects=False).status_code == 303


def test_disabling_a_user_ends_their_sessions(
    console: TestClient, cases: Cases, sessions: sessionmaker[Session]
) -> None:
    sign_in(console, "agent")
    assert console.get("/console/", follow_redirects=False).status_code == 200
    with sessions.begin() as s:
        users.disable(session=s, username="agent")
    assert console.get("/console/", follow_redirects=False).status_code == 303


def test_idle_sessions_expire(console: TestClient, cases: Cases, clock: FixedClock) -> None:
    sign_in(console, "agent")
    clock.advance(hours=13)
    assert console.get("/console/", follow_redirects=False).status_code == 303


def test_the_language_switch_is_kept_per_user(console: TestClient, cases: Cases) -> None:
    sign_in(console, "agent")
    assert "待办" in console.get("/console/").text
    console.post("/console/me/language", data={"language": "en", "csrf_token": csrf(console)})
    assert "Inbox" in console.get("/console/").text
    sign_in(console, "agent")
    assert "Inbox" in console.get("/console/").text

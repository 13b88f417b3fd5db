"""Administrators: users, the grid registry, and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_console.auth import FormViewerDep, Viewer, ViewerDep
from agent_console.errors import PageError, domain_errors
from agent_console.i18n import translator
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.core.errors import Conflict
from hotline.grids import service as grids
from hotline.users import service as users
from hotline.users.access import require
from hotline.users.models import UserRole
from hotline.users.permissions import Verb

router = APIRouter(prefix="/admin")


def _users_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    *,
    flash: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "users.html",
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        users=users.list_users(session=session),
        roles=[r.value for r in UserRole],
        flash=flash,
        problem=problem,
    )


@router.get("/users", response_class=HTMLResponse)
def user_list(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Every console account."""
    with domain_errors():
        require(viewer.actor, Verb.MANAGE_USERS)
    added = request.query_params.get("added")
    flash = translator(viewer.language)("users.added", username=added) if added else None
    return _users_page(request, session, viewer, flash=flash)


@router.post("/users")
def add_user(
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    username: Annotated[str, Form(max_length=64)],
    role: Annotated[str, Form()],
    password: Annotated[str, Form(max_length=256)],
    team: Annotated[str, Form()] = "",
    member: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "zh-CN",
) -> Response:
    """Create an account (the same rules as `hotline users add`)."""
    with domain_errors():
        require(viewer.actor, Verb.MANAGE_USERS)
    try:
        chosen = UserRole(role)
    except ValueError:
        raise PageError(400, f"unknown role {role!r}") from None
    try:
        with session.begin_nested():
            users.create(
                session=session,
                clock=request.app.state.clock,
                username=username.strip(),
                password=password,
                role=chosen,
                team_code=team.strip() or None,
                language=language,
                phone=phone.strip() or None,
                member_code=member.strip() or None,
            )
    except (users.InvalidUser, Conflict) as error:
        return _users_page(request, session, viewer, problem=str(error), status_code=422)
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action="add_user",
        detail=f"{username} {role}",
    )
    return RedirectResponse(f"/console/admin/users?added={username.strip()}", status_code=303)


@router.post("/users/{username}/disable")
def disable_user(
    username: str, request: Request, session: SessionDep, viewer: FormViewerDep
) -> Response:
    """Stop an account signing in; its open sessions end at once."""
    with domain_errors():
        require(viewer.actor, Verb.MANAGE_USERS)
        if username == viewer.user.username:
            raise Conflict("you cannot disable your own account")
        users.disable(session=session, username=username)
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action="disable_user",
        detail=username,
    )
    return RedirectResponse("/console/admin/users", status_code=303)


@router.get("/registry", response_class=HTMLResponse)
def registry(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Units as a tree and the members of the chosen unit."""
    with domain_errors():
        require(viewer.actor, Verb.MANAGE_REGISTRY)
    units = list(grids.list_units(session=session))
    depth: dict[int, int] = {}
    by_id = {u.id: u for u in units}
    for unit in units:
        level, parent = 0, unit.parent_id
        while parent is not None and parent in by_id:
            level, parent = level + 1, by_id[parent].parent_id
        depth[unit.id] = level
    units.sort(key=lambda u: u.code)
    code = request.query_params.get("unit")
    selected = grids.get_unit_by_code(session=session, code=code) if code else None
    if code and selected is None:
        raise PageError(404, f"no unit {code}")
    members = (
        grids.list_members(session=session, unit_id=selected.id, active_only=False)
        if selected
        else []
    )
    saved = request.query_params.get("saved")
    return render(
        request,
        "registry.html",
        language=viewer.language,
        viewer=viewer,
        units=units,
        depth=depth,
        selected=selected,
        members=members,
        flash=translator(viewer.language)("registry.saved") if saved else None,
        problem=None,
    )


@router.post("/registry/members/{code}")
def edit_member(
    code: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    phone: Annotated[str, Form(max_length=32)],
    unit: Annotated[str, Form(max_length=20)] = "",
    active: Annotated[str, Form()] = "",
) -> Response:
    """Change a member's phone or duty status."""
    with domain_errors():
        require(viewer.actor, Verb.MANAGE_REGISTRY)
        grids.update_member(session=session, code=code, phone=phone.strip(), active=active == "1")
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action="edit_member",
        detail=f"{code} phone={phone.strip()} active={active == '1'}",
    )
    return RedirectResponse(f"/console/admin/registry?unit={unit}&saved=1", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit_log(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The newest audit entries."""
    with domain_errors():
        require(viewer.actor, Verb.MANAGE_USERS)
    return render(
        request,
        "audit.html",
        language=viewer.language,
        viewer=viewer,
        entries=audit.recent(session=session),
    )

"""Administrators: Open311 API keys, webhook subscriptions and their delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from agent_console.auth import FormViewerDep, Viewer, ViewerDep
from agent_console.errors import PageError, domain_errors
from agent_console.i18n import translator
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.core.errors import Conflict
from hotline.open311 import clients
from hotline.users.access import require
from hotline.users.permissions import Verb
from hotline.webhooks import rules
from hotline.webhooks import service as webhooks
from hotline.webhooks.models import DeliveryStatus

router = APIRouter(prefix="/admin/integrations")
PAGE = "/console/admin/integrations"


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    flash: str | None = None,
    problem: str | None = None,
    shown_once: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    params = request.query_params
    subscription = params.get("subscription", "")
    status = params.get("status", "")
    if status and status not in {s.value for s in DeliveryStatus}:
        raise PageError(400, f"unknown delivery status {status!r}")
    if subscription and not subscription.isdigit():
        raise PageError(400, "subscription: a number")
    return render(
        request,
        "integrations.html",
        language=viewer.language,
        status_code=status_code,
        viewer=viewer,
        keys=clients.list_clients(session=session),
        subscriptions=webhooks.list_subscriptions(session=session),
        counts=webhooks.waiting_counts(session=session),
        deliveries=webhooks.list_deliveries(
            session=session,
            subscription_id=int(subscription) if subscription else None,
            status=status or None,
            limit=50,
        ),
        events=rules.EVENTS,
        statuses=[s.value for s in DeliveryStatus],
        chosen={"subscription": subscription, "status": status},
        default_limit=request.app.state.settings.open311_rate_limit,
        flash=flash,
        problem=problem,
        shown_once=shown_once,
    )


def _allowed(viewer: Viewer) -> None:
    with domain_errors():
        require(viewer.actor, Verb.MANAGE_INTEGRATIONS)


def _note(request: Request, session: Session, viewer: Viewer, action: str, detail: str) -> None:
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action=action,
        detail=detail,
    )


@router.get("", response_class=HTMLResponse)
def integrations(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Keys, subscriptions and the newest deliveries."""
    _allowed(viewer)
    done = request.query_params.get("done")
    flash = translator(viewer.language)(f"integrations.done_{done}") if done else None
    return _page(request, session, viewer, flash=flash)


@router.post("/keys", response_class=HTMLResponse)
def add_key(
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    name: Annotated[str, Form(max_length=64)],
    per_minute: Annotated[int, Form(ge=1, le=100_000)],
) -> HTMLResponse:
    """A new key, shown on this page once and never again."""
    _allowed(viewer)
    try:
        with session.begin_nested():
            client, key = clients.create(
                session=session,
                clock=request.app.state.clock,
                name=name,
                rate_limit_per_minute=per_minute,
                created_by=viewer.user.username,
            )
    except Conflict as error:
        return _page(request, session, viewer, problem=str(error), status_code=422)
    _note(request, session, viewer, "add_api_key", f"{client.name} {client.key_prefix}")
    t = translator(viewer.language)
    return _page(request, session, viewer, flash=t("integrations.key_added"), shown_once=key)


@router.post("/keys/{name}/revoke")
def revoke_key(name: str, request: Request, session: SessionDep, viewer: FormViewerDep) -> Response:
    """The key stops working at once."""
    _allowed(viewer)
    with domain_errors():
        clients.revoke(session=session, clock=request.app.state.clock, name=name)
    _note(request, session, viewer, "revoke_api_key", name)
    return RedirectResponse(f"{PAGE}?done=revoked", status_code=303)


@router.post("/keys/{name}/limit")
def limit_key(
    name: str,
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    per_minute: Annotated[int, Form(ge=1, le=100_000)],
) -> Response:
    """Change a key's requests a minute."""
    _allowed(viewer)
    with domain_errors():
        clients.set_rate_limit(session=session, name=name, per_minute=per_minute)
    _note(request, session, viewer, "limit_api_key", f"{name} {per_minute}/min")
    return RedirectResponse(f"{PAGE}?done=limited", status_code=303)


@router.post("/webhooks", response_class=HTMLResponse)
async def add_subscription(
    request: Request, session: SessionDep, viewer: FormViewerDep
) -> HTMLResponse:
    """Subscribe a URL; a secret made here is shown once."""
    _allowed(viewer)
    form = await request.form()
    url, secret = str(form.get("url") or ""), str(form.get("secret") or "")
    events = [str(e) for e in form.getlist("events")]
    try:
        with session.begin_nested():
            made = webhooks.subscribe(
                session=session,
                clock=request.app.state.clock,
                url=url,
                events=events,
                secret=secret or None,
                by=viewer.user.username,
            )
    except Conflict as error:
        return _page(request, session, viewer, problem=str(error), status_code=422)
    _note(request, session, viewer, "add_webhook", f"#{made.id} {made.url} {','.join(made.events)}")
    t = translator(viewer.language)
    return _page(
        request,
        session,
        viewer,
        flash=t("integrations.subscribed", number=made.id),
        shown_once=None if secret else made.secret,
    )


@router.post("/webhooks/{number}/{verb}")
def pause_or_resume(
    number: int, verb: str, request: Request, session: SessionDep, viewer: FormViewerDep
) -> Response:
    """Pause a subscription, or resume it (its waiting deliveries go out at once)."""
    _allowed(viewer)
    if verb not in ("pause", "resume"):
        raise PageError(404, f"no action {verb!r}")
    clock = request.app.state.clock
    with domain_errors():
        found = webhooks.get_or_raise(session=session, subscription_id=number)
        if verb == "pause":
            by = f"by {viewer.user.username}"
            webhooks.pause(session=session, clock=clock, subscription=found, reason=by)
        else:
            webhooks.resume(session=session, clock=clock, subscription=found)
    _note(request, session, viewer, f"{verb}_webhook", f"#{number}")
    return RedirectResponse(f"{PAGE}?done={verb}d", status_code=303)


@router.post("/deliveries/{number}/replay")
def replay(number: int, request: Request, session: SessionDep, viewer: FormViewerDep) -> Response:
    """Send a delivery's event again, as a new delivery."""
    _allowed(viewer)
    with domain_errors():
        copy = webhooks.replay(
            session=session,
            clock=request.app.state.clock,
            delivery_id=number,
            by=viewer.user.username,
        )
    _note(request, session, viewer, "replay_webhook", f"delivery {number} as {copy.id}")
    return RedirectResponse(f"{PAGE}?done=replayed", status_code=303)

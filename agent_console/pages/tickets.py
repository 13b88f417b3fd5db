"""Inbox, the filtered ticket list, and CSV export of any list."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_console.auth import ViewerDep
from agent_console.errors import PageError, domain_errors
from agent_console.presenters import phones
from agent_console.web import client_address, local_time, render
from hotline.api.deps import SessionDep
from hotline.audit import service as audit
from hotline.tickets import queries
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType, Urgency
from hotline.tickets.queries import INBOXES, TicketQuery
from hotline.tickets.transitions import TicketStatus
from hotline.triage.config import TriageLevel
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter()
FILTER_KEYS = frozenset(
    ("q", "status", "category", "level", "intake_type", "urgency", "unit", "language", "from")
    + ("to", "overdue")
    + ("sort", "per_page", "inbox")
)


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PageError(400, f"not a date: {value!r} (use YYYY-MM-DD)") from None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        raise PageError(400, f"not a number: {value!r}") from None


def query_from(request: Request) -> TicketQuery:
    """Read filters from the query string, rejecting values that mean nothing."""
    p = request.query_params
    choices = {
        "status": {s.value for s in TicketStatus},
        "category": {c.value for c in Category},
        "level": {lv.value for lv in TriageLevel},
        "intake_type": {k.value for k in IntakeType},
        "urgency": {u.value for u in Urgency},
        "language": {"zh-CN", "en", "ko"},
        "inbox": set(INBOXES),
        "sort": set(queries.SORTS),
    }
    for key, allowed in choices.items():
        if p.get(key) and p[key] not in allowed:
            raise PageError(400, f"{key}: unknown value {p[key]!r}")
    return TicketQuery(
        status=p.get("status") or None,
        category=p.get("category") or None,
        unit=(p.get("unit") or "").strip() or None,
        level=p.get("level") or None,
        intake_type=p.get("intake_type") or None,
        urgency=p.get("urgency") or None,
        language=p.get("language") or None,
        overdue=p.get("overdue") == "1",
        created_from=_date(p.get("from")),
        created_to=_date(p.get("to")),
        text=(p.get("q") or "").strip()[:100] or None,
        inbox=p.get("inbox") or None,
        sort=p.get("sort") or "newest",
        page=max(1, _int(p.get("page"), 1)),
        per_page=_int(p.get("per_page"), 25),
    )


def _filters_only(request: Request) -> str:
    return urlencode([(k, v) for k, v in request.query_params.items() if k in FILTER_KEYS and v])


def _audit_phones(
    request: Request, session: SessionDep, viewer: ViewerDep, refs: list[str]
) -> None:
    if refs:
        audit.record(
            session=session,
            clock=request.app.state.clock,
            username=viewer.user.username,
            action="view_phones",
            detail=" ".join(refs)[:2000],
            client=client_address(request),
        )


def _inbox_context(
    request: Request, session: SessionDep, viewer: ViewerDep, inbox: str
) -> dict[str, Any]:
    settings = request.app.state.settings
    now = request.app.state.clock.now()
    page = queries.search(
        session=session,
        actor=viewer.actor,
        query=TicketQuery(inbox=inbox, sort="due" if inbox != "review" else "oldest"),
        now=now,
        timezone=settings.timezone,
        count=False,
    )
    shown, unmasked = phones(viewer.actor, page.items)
    _audit_phones(request, session, viewer, unmasked)
    counts = queries.inbox_counts(
        session=session, actor=viewer.actor, now=now, timezone=settings.timezone
    )
    return {"page": page, "phones": shown, "counts": counts, "inbox": inbox, "viewer": viewer}


def _default_inbox(role: str) -> str:
    return {"grid_worker": "team", "supervisor": "overdue"}.get(role, "review")


@router.get("/", response_class=HTMLResponse)
def inbox(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """The role's work queues with live counts (knowledge editors start at the knowledge base)."""
    if not viewer.actor.may(Verb.VIEW) and viewer.actor.may(Verb.READ_KB):
        return RedirectResponse("/console/kb", status_code=303)
    with domain_errors():
        require(viewer.actor, Verb.VIEW)
    chosen = request.query_params.get("inbox") or _default_inbox(viewer.user.role)
    if chosen not in INBOXES:
        raise PageError(400, f"inbox: unknown value {chosen!r}")
    context = _inbox_context(request, session, viewer, chosen)
    return render(request, "inbox.html", language=viewer.language, **context)


@router.get("/inbox/counts", response_class=HTMLResponse)
def inbox_counts(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """The count cards alone, for live refresh."""
    settings = request.app.state.settings
    counts = queries.inbox_counts(
        session=session,
        actor=viewer.actor,
        now=request.app.state.clock.now(),
        timezone=settings.timezone,
    )
    inbox = request.query_params.get("inbox", "")
    return render(
        request, "_inbox_counts.html", language=viewer.language, counts=counts, inbox=inbox
    )


@router.get("/inbox/list", response_class=HTMLResponse)
def inbox_list(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """One inbox's rows alone, for live refresh."""
    chosen = request.query_params.get("inbox", "review")
    if chosen not in INBOXES:
        raise PageError(400, f"inbox: unknown value {chosen!r}")
    context = _inbox_context(request, session, viewer, chosen)
    return render(request, "_ticket_rows.html", language=viewer.language, **context)


@router.get("/tickets", response_class=HTMLResponse)
def ticket_list(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Filtered, searchable, sortable, paginated tickets within the viewer's scope."""
    with domain_errors():
        require(viewer.actor, Verb.VIEW)
    query = query_from(request)
    page = queries.search(
        session=session,
        actor=viewer.actor,
        query=query,
        now=request.app.state.clock.now(),
        timezone=request.app.state.settings.timezone,
    )
    shown, unmasked = phones(viewer.actor, page.items)
    _audit_phones(request, session, viewer, unmasked)
    filters = _filters_only(request)
    return render(
        request,
        "list.html",
        language=viewer.language,
        viewer=viewer,
        page=page,
        phones=shown,
        query=query,
        statuses=[s.value for s in TicketStatus],
        categories=[c.value for c in Category],
        levels=[lv.value for lv in TriageLevel],
        intake_types=[k.value for k in IntakeType],
        urgencies=[u.value for u in Urgency],
        page_query=filters,
        export_query=filters,
    )


@router.get("/tickets.csv")
def ticket_csv(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Every ticket matching the list's filters as CSV (numbers masked as on screen)."""
    with domain_errors():
        require(viewer.actor, Verb.EXPORT)
    query = query_from(request)
    found = queries.iterate(
        session=session,
        actor=viewer.actor,
        query=query,
        now=request.app.state.clock.now(),
        timezone=request.app.state.settings.timezone,
    )
    shown, unmasked = phones(viewer.actor, found)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["reference", "status", "category", "level", "grid", "team", "caller", "language"]
        + ["created_at", "due_at", "escalation_level", "needs_review"]
        + ["intake_type", "urgency", "responsible_unit", "returns"]
    )
    for ticket in found:
        writer.writerow(
            [
                ticket.reference,
                ticket.status,
                ticket.category or "",
                ticket.level or "",
                ticket.grid.code if ticket.grid else "",
                ticket.team.code if ticket.team else "",
                shown[ticket.id],
                ticket.language or "",
                local_time(request, ticket.created_at),
                local_time(request, ticket.due_at) if ticket.due_at else "",
                ticket.escalation_level,
                int(ticket.needs_review),
                ticket.intake_type or "",
                ticket.urgency or "",
                ticket.responsible_unit.code if ticket.responsible_unit else "",
                ticket.return_count,
            ]
        )
    audit.record(
        session=session,
        clock=request.app.state.clock,
        username=viewer.user.username,
        action="export",
        detail=f"{len(found)} tickets, {len(unmasked)} numbers unmasked; {_filters_only(request)}",
        client=client_address(request),
    )
    name = f"tickets-{request.app.state.clock.now():%Y%m%d-%H%M}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

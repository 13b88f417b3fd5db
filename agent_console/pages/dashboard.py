"""The dashboard: today's calls, open work, the three rates and the grid-team ranking."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_console.auth import FormViewerDep, ViewerDep
from agent_console.charts import bar_chart, change_chart
from agent_console.errors import PageError, domain_errors
from agent_console.i18n import translator
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.hotspots import service as hotspots
from hotline.hotspots.rules import PlaceLevel
from hotline.hotspots.service import HotspotReport
from hotline.metrics import service as metrics
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter()
HOTSPOT_ROWS = 10


def _figures(request: Request, session: SessionDep, viewer: ViewerDep) -> metrics.Dashboard:
    with domain_errors():
        require(viewer.actor, Verb.REPORTS)
    return metrics.dashboard(
        session=session,
        actor=viewer.actor,
        now=request.app.state.clock.now(),
        timezone=request.app.state.settings.timezone,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    """Figures for the viewer's town (or everything for district-wide roles)."""
    figures = _figures(request, session, viewer)
    t = translator(viewer.language)
    hours = bar_chart(
        [(f"{h:02d}", n) for h, n in enumerate(figures.calls_per_hour)],
        title=t("dashboard.per_hour"),
    )
    statuses = bar_chart(
        [(t("status." + s), n) for s, n in sorted(figures.open_by_status.items())],
        title=t("dashboard.open"),
    )
    found = _hotspots(request, session, viewer)
    top = found.rows[:HOTSPOT_ROWS]
    spots = change_chart(
        [(f"{h.name} · {t('category.' + h.category)}", h.count, h.previous) for h in top],
        title=t("hotspots.chart"),
    )
    return render(
        request,
        "dashboard.html",
        language=viewer.language,
        viewer=viewer,
        d=figures,
        hours_chart=hours,
        status_chart=statuses,
        hotspots=found,
        hotspot_rows=top,
        hotspot_chart=spots,
    )


def _hotspots(request: Request, session: SessionDep, viewer: ViewerDep) -> HotspotReport:
    """This month's hotspots by community against last month, within the viewer's scope."""
    chosen = request.query_params.get("hotspots", "")
    known = {p.value for p in PlaceLevel}
    return hotspots.report(
        session=session,
        level=PlaceLevel(chosen) if chosen in known else PlaceLevel.COMMUNITY,
        period="month",
        now=request.app.state.clock.now(),
        timezone=request.app.state.settings.timezone,
        actor=viewer.actor,
        min_count=2,
    )


@router.post("/hotspots/case")
def open_case(
    request: Request,
    session: SessionDep,
    viewer: FormViewerDep,
    level: Annotated[str, Form(max_length=16)],
    place: Annotated[str, Form(max_length=100)],
    category: Annotated[str, Form(max_length=32)],
) -> Response:
    """A supervisor opens a proactive case from a hotspot; it is linked to the hotspot's tickets."""
    state = request.app.state
    if level not in {p.value for p in PlaceLevel}:
        raise PageError(400, f"level: one of {', '.join(p.value for p in PlaceLevel)}")
    since, until, _ = hotspots.bounds("month", state.clock.now(), state.settings.timezone, False)
    with domain_errors():
        case = hotspots.open_case(
            session=session,
            clock=state.clock,
            policy=state.policy,
            actor=viewer.actor,
            level=PlaceLevel(level),
            place=place,
            category=category,
            since=since,
            until=until + timedelta(seconds=1),
        )
    return RedirectResponse(f"/console/tickets/{case.reference}?done=create", status_code=303)


@router.get("/dashboard/teams.csv")
def teams_csv(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Every grid team's figures as CSV."""
    figures = _figures(request, session, viewer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["team", "name", "dispatched", "response_rate", "resolution_rate", "satisfaction_rate"]
        + ["overdue", "on_time_rate", "extensions", "returns"]
    )
    for team in figures.teams:
        writer.writerow(
            [
                team.code,
                team.name,
                team.dispatched,
                "" if team.response_rate is None else f"{team.response_rate:.4f}",
                "" if team.resolution_rate is None else f"{team.resolution_rate:.4f}",
                "" if team.satisfaction_rate is None else f"{team.satisfaction_rate:.4f}",
                team.overdue,
                "" if team.on_time_rate is None else f"{team.on_time_rate:.4f}",
                team.extensions,
                team.returns,
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="grid-teams.csv"'},
    )

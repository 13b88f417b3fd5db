"""The dashboard: today's calls, open work, the three rates and the grid-team ranking."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from agent_console.auth import ViewerDep
from agent_console.charts import bar_chart
from agent_console.errors import domain_errors
from agent_console.i18n import translator
from agent_console.web import render
from hotline.api.deps import SessionDep
from hotline.metrics import service as metrics
from hotline.users.access import require
from hotline.users.permissions import Verb

router = APIRouter()


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
    return render(
        request,
        "dashboard.html",
        language=viewer.language,
        viewer=viewer,
        d=figures,
        hours_chart=hours,
        status_chart=statuses,
    )


@router.get("/dashboard/teams.csv")
def teams_csv(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    """Every grid team's figures as CSV."""
    figures = _figures(request, session, viewer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["team", "name", "dispatched", "response_rate", "resolution_rate", "satisfaction_rate"]
        + ["overdue"]
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
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="grid-teams.csv"'},
    )

"""GET /api/v1/metrics/seats (answer, connection and abandon rates, speed and handle times),
/api/v1/metrics/kb (calls settled at the seat, articles used, questions unanswered),
/api/v1/metrics/units (each unit's rates, extensions and returns) and /api/v1/metrics/hotspots
(tickets by place and category against the period before)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from hotline.api.deps import SessionDep, TokenDep
from hotline.hotspots import service as hotspots
from hotline.hotspots.rules import PlaceLevel
from hotline.kb.figures import kb_figures
from hotline.metrics import seats
from hotline.metrics import service as metrics
from hotline.metrics.periods import period_bounds
from hotline.metrics.rules import COUNTS, TeamFigures
from hotline.metrics.service import UP_TO_NOW

router = APIRouter(prefix="/api/v1", tags=["metrics"])
Period = Literal["day", "week", "month"]


def _bounds(request: Request, period: str, previous: bool) -> tuple[datetime, datetime]:
    """The period so far (a moment's slack for rows written this instant), or the last one."""
    state = request.app.state
    since, until = period_bounds(period, state.clock.now(), state.settings.timezone, previous)
    return since, until if previous else until + UP_TO_NOW


@router.get("/metrics/seats")
def seat_metrics(
    request: Request,
    session: SessionDep,
    _token: TokenDep,
    period: Literal["day", "week", "month"] = "day",
    previous: bool = Query(False, description="the last complete period instead"),
) -> dict[str, Any]:
    """The period so far (or the previous one): totals, per agent and per local hour.

    Definitions are in docs/seat-metrics.md."""
    since, until = _bounds(request, period, previous)
    report = seats.seat_report(
        session=session, since=since, until=until, timezone=request.app.state.settings.timezone
    )
    return {"period": period, **report.as_json()}


@router.get("/metrics/kb")
def kb_metrics(
    request: Request,
    session: SessionDep,
    _token: TokenDep,
    period: Literal["day", "week", "month"] = "day",
    previous: bool = Query(False, description="the last complete period instead"),
) -> dict[str, Any]:
    """Calls settled at the seat, articles answered from and opened, searches that found
    nothing. Definitions are in docs/kb-figures.md."""
    since, until = _bounds(request, period, previous)
    return {"period": period, **kb_figures(session=session, since=since, until=until).as_json()}


@router.get("/metrics/units")
def unit_metrics(
    request: Request,
    session: SessionDep,
    _token: TokenDep,
    period: Period = "week",
    previous: bool = Query(False, description="the last complete period instead"),
    group: Literal["team", "community", "town", "category"] = "team",
) -> dict[str, Any]:
    """Per unit: response, resolution, satisfaction and on-time completion rates, overdue,
    extensions and returns. Definitions are in docs/rates.md."""
    since, until = _bounds(request, period, previous)
    rows = metrics.figures(
        session=session, since=since, until=until, now=request.app.state.clock.now(), group=group
    )
    return {
        "period": period,
        "since": since,
        "until": until,
        "items": [_unit(row) for row in rows],
        "totals": _unit(metrics.total(rows)),
    }


def _unit(row: TeamFigures) -> dict[str, Any]:
    counts = {name: getattr(row, name) for name in COUNTS}
    rates = ("response_rate", "resolution_rate", "satisfaction_rate", "on_time_rate")
    return {"code": row.code, "name": row.name, **counts, **{r: getattr(row, r) for r in rates}}


@router.get("/metrics/hotspots")
def hotspot_metrics(
    request: Request,
    session: SessionDep,
    _token: TokenDep,
    period: Literal["week", "month"] = "month",
    previous: bool = Query(False, description="the last complete period instead"),
    level: PlaceLevel = PlaceLevel.COMMUNITY,
    min_count: int = Query(1, ge=1, le=1000),
) -> dict[str, Any]:
    """Tickets by place (grid, community or landmark) and category, with the period before."""
    state = request.app.state
    found = hotspots.report(
        session=session,
        level=level,
        period=period,
        now=state.clock.now(),
        timezone=state.settings.timezone,
        previous=previous,
        min_count=min_count,
    )
    return {
        "period": period,
        "level": level.value,
        "since": found.since,
        "until": found.until,
        "previous_since": found.previous_since,
        "items": [
            {
                "place": h.place,
                "name": h.name,
                "category": h.category,
                "count": h.count,
                "previous": h.previous,
                "change": h.change,
                "change_rate": h.change_rate,
            }
            for h in found.rows
        ],
    }

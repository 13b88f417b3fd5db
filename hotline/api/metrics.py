"""GET /api/v1/metrics/seats (answer, connection and abandon rates, speed and handle times)
and /api/v1/metrics/kb (calls settled at the seat, articles used, questions unanswered)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from hotline.api.deps import SessionDep, TokenDep
from hotline.kb.figures import kb_figures
from hotline.metrics import seats
from hotline.metrics.periods import period_bounds
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

"""GET /api/v1/metrics/seats: answer, connection and abandon rates, speed and handle times."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from hotline.api.deps import SessionDep, TokenDep
from hotline.metrics import seats
from hotline.metrics.periods import period_bounds
from hotline.metrics.service import UP_TO_NOW

router = APIRouter(prefix="/api/v1", tags=["metrics"])


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
    state = request.app.state
    now = state.clock.now()
    since, until = period_bounds(period, now, state.settings.timezone, previous)
    if not previous:
        until = until + UP_TO_NOW
    report = seats.seat_report(
        session=session, since=since, until=until, timezone=state.settings.timezone
    )
    return {"period": period, **report.as_json()}

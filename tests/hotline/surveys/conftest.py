"""A worker context whose simulated residents call back into a live server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from hotline.core.clock import FixedClock
from tests.conftest import LiveServer
from worker import context


@pytest.fixture
def survey_worker(
    live: LiveServer, clock: FixedClock, db_engine: Engine
) -> Iterator[context.WorkerContext]:
    """Jobs in this process, with the live server's settings (its base URL) and fast pacing."""
    settings = live.app.state.settings.model_copy(update={"calls_per_second": 200.0})
    ctx = context.build(settings, clock=clock)
    context.install(ctx)
    yield ctx
    ctx.engine.dispose()

"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import entry_points

from fastapi import APIRouter, FastAPI

from hotline.api import agents, calls, health, kb, metrics, open311, tickets
from hotline.calls.store import make_store
from hotline.core.clock import Clock, SystemClock
from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.settings import Settings, load_settings
from hotline.open311.ratelimit import RateLimiter
from hotline.surveys.policy import survey_policy
from hotline.transcripts.partials import PartialStore
from hotline.triage.policy import policy_from_settings
from transcription.engine import VoskEngine
from transcription.registry import resolve_models

ROUTER_PLUGINS = "hotline.routers"


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """Build the web app: API, health, and every router registered under `hotline.routers`."""
    settings = settings or load_settings()
    settings.check_for_production()
    engine = make_engine(settings.resolved_database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="Citizen hotline",
        version="0.1.0",
        description="12345-style citizen hotline: IVR intake, tickets, routing and surveys.",
    )
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.policy = policy_from_settings(settings)
    app.state.survey_policy = survey_policy(settings, app.state.policy)
    assert settings.models_dir is not None
    # Models load on the first live stream (or at start in `hotline live`), once per process.
    app.state.live_engine = VoskEngine(resolve_models(settings.vosk_models, settings.models_dir))
    app.state.live_partials = PartialStore(settings)
    app.state.open311_limiter = RateLimiter(settings)  # connects on the first keyed request
    app.state.recording_store = make_store(settings)  # no connection until a recording is read
    app.include_router(health.router)
    app.include_router(tickets.router)
    app.include_router(agents.router)
    app.include_router(calls.router)
    app.include_router(metrics.router)
    app.include_router(kb.router)
    app.include_router(open311.router)
    # The IVR and the console plug in from their own packages, so the domain never imports them.
    for plugin in entry_points(group=ROUTER_PLUGINS):
        loaded = plugin.load()
        if isinstance(loaded, APIRouter):
            app.include_router(loaded)
        else:
            loaded(app)  # an installer that also adds exception handlers
    return app

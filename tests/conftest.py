"""Shared fixtures: both backends, settings, app, signed Twilio posts, a live server."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session, sessionmaker
from twilio.request_validator import RequestValidator

from hotline.app import create_app
from hotline.core.clock import FixedClock
from hotline.core.database import Base, make_engine, make_sessionmaker
from hotline.core.models import import_all_models
from hotline.core.settings import Settings
from hotline.core.valkey import EmbeddedValkey
from hotline.grids import demo
from tests.backends import postgres_database, server_redis, sqlite_database
from transcription.engine import VoskEngine
from transcription.registry import resolve_models
from worker import context
from worker.command import drain

AUTH_TOKEN = "test-auth-token-0123456789"
ACCOUNT_SID = "AC" + "1" * 32
BASE_URL = "https://hotline.example.gov.cn"
API_TOKEN = "test-api-token"
FIXTURES = Path(__file__).resolve().parent.parent / "ivr" / "simulator" / "fixtures"
pytest_plugins = ["tests.object_store"]


@pytest.fixture(autouse=True)
def _no_outside_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("HOTLINE_") and not name.startswith("HOTLINE_TEST_"):
            monkeypatch.delenv(name)


@dataclass
class Backend:
    """Where the tests' data lives."""

    name: str
    database_url: str
    redis_url: str


@pytest.fixture(scope="session", params=["embedded", "server"])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    """SQLite + embedded Valkey, or PostgreSQL + Redis (required on CI)."""
    if request.param == "embedded":
        directory = tmp_path_factory.mktemp("embedded")
        valkey = EmbeddedValkey(directory / "valkey")
        valkey.start()
        try:
            with sqlite_database(directory) as url:
                yield Backend("embedded", url, valkey.url)
        finally:
            valkey.stop()
    else:
        redis_url = server_redis()
        with postgres_database() as url:
            yield Backend("server", url, redis_url)


@pytest.fixture
def db_engine(backend: Backend) -> Iterator[Engine]:
    """An observer's engine on the backend's database; every table is emptied after the test.

    On SQLite its transactions are deferred, so a test reading rows never blocks the app.
    """
    import_all_models()
    engine = make_engine(backend.database_url, immediate=False)
    yield engine
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
    engine.dispose()


@pytest.fixture
def sessions(db_engine: Engine) -> sessionmaker[Session]:
    """Session factory on the test database."""
    return make_sessionmaker(db_engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session for arranging and checking; commit explicitly when the app must see data."""
    with sessions() as s:
        yield s


@pytest.fixture
def redis(backend: Backend) -> Redis:
    """The backend's Redis, flushed."""
    client = Redis.from_url(backend.redis_url)
    client.flushdb()
    return client


@pytest.fixture
def clock() -> FixedClock:
    """Time stands still unless a test moves it."""
    return FixedClock(datetime(2026, 11, 20, 9, 30, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path, backend: Backend, db_engine: Engine) -> Settings:
    """Settings for one test: its own data directory, the backend, known secrets."""
    return Settings(
        data_dir=tmp_path,
        database_url=backend.database_url,
        redis_url=backend.redis_url,
        public_base_url=BASE_URL,
        telephony="simulator",
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        api_tokens=[API_TOKEN],
        job_retry_seconds=[0, 0],
    )


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> None:
    """The demo registry."""
    with sessions.begin() as s:
        demo.seed(session=s)


@pytest.fixture
def app(settings: Settings, clock: FixedClock, seeded: None) -> FastAPI:
    """The web app on the test backend."""
    return create_app(settings, clock=clock)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """In-process HTTP client."""
    with TestClient(app) as test_client:
        yield test_client


class Twilio:
    """Posts forms to the app signed the way Twilio signs them."""

    def __init__(self, client: TestClient, call_sid: str = "CA" + "a" * 32) -> None:
        self.client = client
        self.validator = RequestValidator(AUTH_TOKEN)
        self.call_sid = call_sid
        self.caller = "+8613812345678"

    def params(self, **extra: str) -> dict[str, str]:
        """The fields Twilio sends on every voice webhook."""
        return {
            "CallSid": self.call_sid,
            "AccountSid": ACCOUNT_SID,
            "From": self.caller,
            "To": "+861012345",
            "CallStatus": "in-progress",
            "Direction": "inbound",
            **extra,
        }

    def post(self, path: str, **extra: str) -> httpx.Response:
        """A correctly signed POST."""
        params = self.params(**extra)
        signature = self.validator.compute_signature(BASE_URL + path, params)
        return self.client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def signed_post(url: str, params: dict[str, str]) -> httpx.Response:
    """POST to a live server's webhook, signed as Twilio signs with the test auth token."""
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    return httpx.post(url, data=params, headers={"X-Twilio-Signature": signature})


@pytest.fixture
def twilio(client: TestClient) -> Twilio:
    """Signed Twilio posts into the app."""
    return Twilio(client)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """The app served by uvicorn on a loopback port, in a thread."""

    def __init__(self, app: FastAPI, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.app = app
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live(settings: Settings, clock: FixedClock, seeded: None) -> Iterator[LiveServer]:
    """A real HTTP server whose public base URL is its own loopback address."""
    port = free_port()
    served = settings.model_copy(update={"public_base_url": f"http://127.0.0.1:{port}"})
    with LiveServer(create_app(served, clock=clock), port) as server:
        yield server


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> VoskEngine:
    """The packaged Korean model, loaded once for the whole run."""
    engine = VoskEngine(resolve_models({}, tmp_path_factory.mktemp("models")))
    assert engine.preload() == {"ko": None}
    return engine


@pytest.fixture
def worker_context(
    settings: Settings, clock: FixedClock, speech: VoskEngine, db_engine: Engine
) -> Iterator[context.WorkerContext]:
    """The context jobs in this process use, on the test backend."""
    ctx = context.build(settings, clock=clock)
    ctx.speech = speech
    context.install(ctx)
    yield ctx
    ctx.engine.dispose()


def run_jobs(ctx: context.WorkerContext, redis: Redis) -> int:
    """Relay the outbox and work every queued job in this process."""
    return drain(ctx, redis, worker_class=SimpleWorker)


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

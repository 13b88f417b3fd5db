"""Test backends: embedded (SQLite + Valkey) and server (PostgreSQL + Redis)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from hotline.core.migrate import upgrade

POSTGRES_URL = os.environ.get(
    "HOTLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def unavailable(what: str, error: Exception) -> None:
    """Skip locally, fail on CI: CI must run the server backend."""
    message = f"{what} not reachable: {error}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI=true requires it)")
    pytest.skip(message)


@contextmanager
def sqlite_database(directory: Path) -> Iterator[str]:
    """A migrated SQLite file."""
    url = f"sqlite:///{directory / 'hotline.db'}"
    upgrade(url)
    yield url


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh migrated PostgreSQL database, dropped afterwards."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"hotline_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        unavailable("PostgreSQL", error)
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_redis() -> str:
    """The machine's Redis, on a database the tests may flush."""
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except (RedisError, OSError) as error:
        unavailable("Redis", error)
    return REDIS_URL

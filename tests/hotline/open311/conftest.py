"""Open311 test helpers: API keys, schema validation, XML parsing."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.open311 import clients

SCHEMAS = Path(__file__).with_name("schemas")


@cache
def _schema(name: str) -> dict[str, Any]:
    return dict(json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8")))


def valid(name: str, body: Any) -> Any:
    """The body, after checking it against the named GeoReport v2 schema."""
    jsonschema.Draft202012Validator(_schema(name)).validate(body)
    return body


def xml(text: str) -> ElementTree.Element:
    """The parsed XML document's root."""
    return ElementTree.fromstring(text.encode("utf-8"))


def make_key(
    sessions: sessionmaker[Session], clock: FixedClock, name: str = "citizen-app", limit: int = 1000
) -> str:
    """A fresh API key for a new client."""
    with unit_of_work(sessions) as session:
        _, key = clients.create(
            session=session, clock=clock, name=name, rate_limit_per_minute=limit, created_by="test"
        )
    return key


@pytest.fixture
def api_key(sessions: sessionmaker[Session], clock: FixedClock) -> str:
    """A key for the citizen app."""
    return make_key(sessions, clock)

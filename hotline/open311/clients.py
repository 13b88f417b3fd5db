"""API clients: keys shown once and stored hashed, looked up on every request."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, NotFound
from hotline.open311.models import ApiClient

KEY_PREFIX = "o311_"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")


def hash_key(key: str) -> str:
    """sha256 of the key: keys are 192 random bits, so a fast hash cannot be reversed."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create(
    *, session: Session, clock: Clock, name: str, rate_limit_per_minute: int, created_by: str
) -> tuple[ApiClient, str]:
    """A new client and its key; the key is returned here and never again."""
    name = name.strip()
    if not NAME.match(name):
        raise Conflict("name: letters, digits, spaces, dot, dash or underscore, up to 64")
    if not 1 <= rate_limit_per_minute <= 100_000:
        raise Conflict("rate limit: between 1 and 100000 requests a minute")
    if session.scalar(select(ApiClient).where(ApiClient.name == name)) is not None:
        raise Conflict(f"an API client named {name!r} already exists")
    key = KEY_PREFIX + secrets.token_urlsafe(24)
    client = ApiClient(
        name=name,
        key_prefix=key[: len(KEY_PREFIX) + 4],
        key_hash=hash_key(key),
        rate_limit_per_minute=rate_limit_per_minute,
        active=True,
        created_by=created_by,
        created_at=clock.now(),
    )
    session.add(client)
    session.flush()
    return client, key


def list_clients(*, session: Session) -> Sequence[ApiClient]:
    """Every client, newest first."""
    return session.scalars(select(ApiClient).order_by(ApiClient.id.desc())).all()


def get_by_name_or_raise(*, session: Session, name: str) -> ApiClient:
    """The client with this name."""
    client = session.scalar(select(ApiClient).where(ApiClient.name == name))
    if client is None:
        raise NotFound(f"no API client named {name!r}")
    return client


def revoke(*, session: Session, clock: Clock, name: str) -> ApiClient:
    """The key stops working at once; the client's requests stay."""
    client = get_by_name_or_raise(session=session, name=name)
    if client.active:
        client.active = False
        client.revoked_at = clock.now()
    return client


def set_rate_limit(*, session: Session, name: str, per_minute: int) -> ApiClient:
    """Change how many requests a minute the key may make."""
    if not 1 <= per_minute <= 100_000:
        raise Conflict("rate limit: between 1 and 100000 requests a minute")
    client = get_by_name_or_raise(session=session, name=name)
    client.rate_limit_per_minute = per_minute
    return client


def authenticate(*, session: Session, key: str) -> ApiClient | None:
    """The active client holding this key, if any."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    client = session.scalar(select(ApiClient).where(ApiClient.key_hash == hash_key(key)))
    return client if client is not None and client.active else None

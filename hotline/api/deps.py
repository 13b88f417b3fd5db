"""Shared API dependencies: sessions and bearer tokens."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from hotline.core.database import unit_of_work


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request, committed when the handler returns."""
    with unit_of_work(request.app.state.sessions) as session:
        yield session


def require_token(request: Request) -> str:
    """Accept `Authorization: Bearer TOKEN` for a token in HOTLINE_API_TOKENS."""
    tokens: list[str] = request.app.state.settings.api_tokens
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if not tokens:
        raise HTTPException(401, "the API is disabled: set HOTLINE_API_TOKENS")
    if scheme.lower() != "bearer" or not any(
        hmac.compare_digest(token.strip(), known) for known in tokens
    ):
        raise HTTPException(
            401, "missing or unknown bearer token", headers={"WWW-Authenticate": "Bearer"}
        )
    return token


# "function" scope: the session commits before the response leaves, so a client that follows a
# redirect (or reads after a 200) sees the change, and a failed commit is an error, not a 200.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
TokenDep = Annotated[str, Depends(require_token)]

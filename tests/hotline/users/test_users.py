"""Accounts: argon2 hashes, roles tied to teams, disabling, and the users CLI."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.errors import Conflict
from hotline.users import service as users
from hotline.users.models import UserRole

PASSWORD = "correct horse battery"


def add(sessions: sessionmaker[Session], clock: FixedClock, **fields: object) -> None:
    with unit_of_work(sessions) as session:
        users.create(session=session, clock=clock, password=PASSWORD, **fields)  # type: ignore[arg-type]


def login(sessions: sessionmaker[Session], clock: FixedClock, name: str, password: str) -> bool:
    with unit_of_work(sessions) as session:
        return (
            users.authenticate(session=session, clock=clock, username=name, password=password)
            is not None
        )


def test_password_is_hashed_and_checked(
    sessions: sessionmaker[Session], session: Session, clock: FixedClock, seeded: None
) -> None:
    add(sessions, clock, username="wang.agent", role=UserRole.AGENT)
    stored = users.get_by_username(session=session, username="wang.agent")
    assert stored is not None and stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash
    assert login(sessions, clock, "wang.agent", PASSWORD)
    assert not login(sessions, clock, "wang.agent", PASSWORD + "!")
    assert not login(sessions, clock, "nobody", PASSWORD)
    with unit_of_work(sessions) as s:
        users.disable(session=s, username="wang.agent")
    assert not login(sessions, clock, "wang.agent", PASSWORD)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "Bad Name", "role": UserRole.AGENT}, "username"),
        ({"username": "li", "role": UserRole.GRID_WORKER}, "grid worker needs --team"),
        ({"username": "li", "role": UserRole.GRID_WORKER, "team_code": "1101"}, "grid code"),
        ({"username": "li", "role": UserRole.SUPERVISOR, "team_code": "1101-01"}, "town"),
        ({"username": "li", "role": UserRole.AGENT, "team_code": "X9"}, "no unit"),
    ],
)
def test_invalid_accounts_are_refused(
    sessions: sessionmaker[Session],
    clock: FixedClock,
    seeded: None,
    fields: dict[str, object],
    message: str,
) -> None:
    with pytest.raises(users.InvalidUser, match=message):
        add(sessions, clock, **fields)


def test_short_password_and_duplicates(
    sessions: sessionmaker[Session], clock: FixedClock, seeded: None
) -> None:
    with unit_of_work(sessions) as session, pytest.raises(users.InvalidUser, match="password"):
        users.create(
            session=session, clock=clock, username="zhao", password="short", role=UserRole.ADMIN
        )
    add(sessions, clock, username="zhao", role=UserRole.GRID_WORKER, team_code="1101-01")
    with pytest.raises(Conflict):
        add(sessions, clock, username="zhao", role=UserRole.ADMIN)

"""Create, list, disable and authenticate users; passwords are stored as argon2 hashes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.errors import Conflict, NotFound
from hotline.core.phones import is_agent_phone
from hotline.grids import service as grids
from hotline.grids.models import UnitLevel
from hotline.users import sessions
from hotline.users.models import User, UserRole

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
MIN_PASSWORD = 10
CONSOLE_LANGUAGES = ("zh-CN", "en")
CALL_LANGUAGES = ("zh-CN", "en", "ko")  # the IVR's languages; an agent takes calls in some
_hasher = PasswordHasher()
# Verifying against this keeps the time of "no such user" equal to "wrong password".
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


class InvalidUser(ValueError):
    """The account data is not acceptable; the message says what to change."""


def get_by_username(*, session: Session, username: str) -> User | None:
    """A user by username."""
    return session.scalar(select(User).where(User.username == username))


def list_users(*, session: Session) -> Sequence[User]:
    """All users by username."""
    return session.scalars(select(User).order_by(User.username)).all()


def create(
    *,
    session: Session,
    clock: Clock,
    username: str,
    password: str,
    role: UserRole,
    team_code: str | None = None,
    language: str = "zh-CN",
    phone: str | None = None,
    member_code: str | None = None,
    languages: tuple[str, ...] = ("zh-CN",),
) -> User:
    """Add a user; grid workers must belong to a grid team, supervisors to a town or district."""
    if language not in CONSOLE_LANGUAGES:
        raise InvalidUser(f"language: one of {', '.join(CONSOLE_LANGUAGES)}")
    unknown = [code for code in languages if code not in CALL_LANGUAGES]
    if unknown or not languages:
        raise InvalidUser(f"languages: some of {', '.join(CALL_LANGUAGES)}, comma-separated")
    if phone and not is_agent_phone(phone):
        raise InvalidUser("phone: an E.164 number such as +8613800000000 or a SIP URI")
    if not USERNAME.match(username):
        raise InvalidUser("username: 2-64 lower-case letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise InvalidUser(f"password: at least {MIN_PASSWORD} characters")
    if get_by_username(session=session, username=username) is not None:
        raise Conflict(f"user {username} already exists")
    team = None
    if team_code:
        team = grids.get_unit_by_code(session=session, code=team_code)
        if team is None:
            raise InvalidUser(f"team: no unit with code {team_code!r}")
    if role is UserRole.GRID_WORKER and (team is None or team.level != UnitLevel.GRID):
        raise InvalidUser("team: a grid worker needs --team with a grid code, such as 1101-01")
    if role is UserRole.SUPERVISOR and (
        team is None or team.level not in (UnitLevel.TOWN, UnitLevel.DISTRICT)
    ):
        raise InvalidUser("team: a supervisor needs --team with a town or district code")
    member = None
    if member_code:
        member = grids.get_member_by_code(session=session, code=member_code)
        if member is None or team is None or member.unit_id != team.id:
            raise InvalidUser(f"member: no member {member_code!r} in team {team_code}")
    user = User(
        username=username,
        phone=phone or None,
        member=member,
        password_hash=_hasher.hash(password),
        role=role.value,
        team=team,
        language=language,
        languages=",".join(dict.fromkeys(languages)),
        active=True,
        created_at=clock.now(),
    )
    session.add(user)
    session.flush()
    return user


def disable(*, session: Session, username: str) -> User:
    """Stop a user from signing in (the account and its history stay)."""
    user = get_by_username(session=session, username=username)
    if user is None:
        raise NotFound(f"no user {username}")
    user.active = False
    sessions.close_all(session=session, user=user)
    return user


def authenticate(*, session: Session, clock: Clock, username: str, password: str) -> User | None:
    """The active user whose password matches, or None; rehashes when parameters change."""
    user = get_by_username(session=session, username=username)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = clock.now()
    return user

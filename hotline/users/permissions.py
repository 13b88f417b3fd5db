"""Pure role rules: which verbs each role may use, which tickets it sees, when numbers show."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from hotline.users.models import UserRole


class Verb(StrEnum):
    """Something a console user or API client may do."""

    VIEW = "view"
    TRIAGE = "triage"
    CREATE = "create"
    ANSWER = "answer"
    DISPATCH = "dispatch"
    MERGE = "merge"
    ACCEPT = "accept"
    RETURN = "return"
    RESOLVE = "resolve"
    PAUSE = "pause"
    CLOSE = "close"
    REOPEN = "reopen"
    NOTE = "note"
    EXPORT = "export"
    LISTEN = "listen"
    TAKE_CALLS = "take_calls"
    MONITOR = "monitor"  # listen to, whisper into or barge into agents' calls
    REPORTS = "reports"
    MANAGE_USERS = "manage_users"
    MANAGE_REGISTRY = "manage_registry"
    READ_KB = "read_kb"
    EDIT_KB = "edit_kb"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    HAND_OVER = "hand_over"  # end first-receiver responsibility (首接负责)
    RELEASE_ASSIST = "release_assist"  # let an assisting unit go without its report (协办)
    REVEAL_IDENTITY = "reveal_identity"  # see a confidential caller's number (保密), audited
    HOLD = "hold"  # keep a ticket's recordings past the retention period (legal hold)
    MANAGE_INTEGRATIONS = "manage_integrations"  # Open311 keys and webhook subscriptions


SYSTEM = "system"
V = Verb
_INTAKE = {V.VIEW, V.TRIAGE, V.CREATE, V.ANSWER, V.DISPATCH, V.MERGE, V.NOTE, V.EXPORT, V.LISTEN}
PERMISSIONS: dict[str, frozenset[Verb]] = {
    UserRole.AGENT: frozenset(_INTAKE | {V.TAKE_CALLS, V.READ_KB}),
    UserRole.SUPERVISOR: frozenset(
        _INTAKE
        | {V.CLOSE, V.REOPEN, V.REPORTS, V.TAKE_CALLS, V.MONITOR, V.READ_KB, V.EDIT_KB}
        | {V.REQUEST_EXTENSION, V.DECIDE_EXTENSION, V.HAND_OVER, V.RELEASE_ASSIST}
        | {V.REVEAL_IDENTITY, V.HOLD}
    ),
    UserRole.GRID_WORKER: frozenset(
        {V.VIEW, V.ACCEPT, V.RETURN, V.RESOLVE, V.PAUSE, V.NOTE, V.EXPORT, V.LISTEN, V.READ_KB}
        | {V.REQUEST_EXTENSION}
    ),
    UserRole.ADMIN: frozenset(
        {V.VIEW, V.EXPORT, V.REPORTS, V.MANAGE_USERS, V.MANAGE_REGISTRY, V.READ_KB, V.EDIT_KB}
        | {V.MANAGE_INTEGRATIONS}
    ),
    UserRole.KB_EDITOR: frozenset({V.READ_KB, V.EDIT_KB}),
    # The bearer-token API acts for an integration with every ticket verb; department systems
    # are handling units, so it never learns who a confidential caller is.
    SYSTEM: frozenset(Verb)
    - {V.MANAGE_USERS, V.MANAGE_REGISTRY, V.MANAGE_INTEGRATIONS, V.REVEAL_IDENTITY},
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: name for the timeline, role, and the org units they may see."""

    name: str
    role: str
    scope: frozenset[int] | None = None  # unit ids; None: every ticket
    member_id: int | None = None
    language: str = "zh-CN"
    places: frozenset[str] = frozenset()  # codes of the units in scope, for keyed places
    unplaced: bool = False  # also sees tickets with no place yet (the top of the hierarchy)

    def may(self, verb: Verb) -> bool:
        """Whether the role allows the verb at all."""
        return verb in PERMISSIONS.get(self.role, frozenset())

    def sees(
        self, *, team_id: int | None, grid_id: int | None, location_code: str | None = None
    ) -> bool:
        """Whether a ticket with this team, grid and keyed place is within the actor's scope."""
        if self.scope is None:
            return True
        if self.role == UserRole.GRID_WORKER:
            return team_id is not None and team_id in self.scope
        if team_id is None and grid_id is None and location_code is None:
            return self.unplaced
        return (
            (team_id is not None and team_id in self.scope)
            or (grid_id is not None and grid_id in self.scope)
            or (location_code is not None and location_code in self.places)
        )

    def sees_phone(self, *, assignee_id: int | None) -> bool:
        """Grid workers see callers' numbers only on tickets assigned to them (a confidential
        caller's number nobody sees unless a supervisor reveals it)."""
        if self.role != UserRole.GRID_WORKER:
            return True
        return self.member_id is not None and assignee_id == self.member_id

    def hears_caller(self, *, confidential: bool) -> bool:
        """Whether the actor may play the caller's recorded voice: never a unit on a
        confidential ticket."""
        return not (confidential and self.role == UserRole.GRID_WORKER)

    def finds_confidential_by_number(self) -> bool:
        """Centre staff (agents, supervisors) see a caller's confidential tickets in the
        caller's history; handling units and integrations never link them to a number."""
        return self.role in (UserRole.AGENT, UserRole.SUPERVISOR)


SYSTEM_ACTOR = Actor(name="api", role=SYSTEM)
CONFIDENTIAL_MASK = "******"


def mask_phone(number: str) -> str:
    """Keep the country prefix and last four digits: +86137****5678."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:-8] + "****" + number[-4:]

"""Arrange console users and tickets in known states."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import service as calls
from hotline.calls.models import DownloadStatus, Recording
from hotline.core.clock import Clock
from hotline.core.settings import Settings
from hotline.grids import service as grids
from hotline.routing import service as routing
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketAction
from hotline.transcripts.models import Transcript, TranscriptStatus
from hotline.triage.policy import TriagePolicy, policy_from_settings
from hotline.users import service as users
from hotline.users.models import User, UserRole
from tests.conftest import API_TOKEN, FIXTURES

PASSWORD = "correct horse battery"
ROLES = ("agent", "supervisor", "grid_worker", "admin")


def add_user(
    session: Session, clock: Clock, username: str, role: str, team: str | None = None, **extra: Any
) -> User:
    """A user with the shared test password."""
    return users.create(
        session=session,
        clock=clock,
        username=username,
        password=PASSWORD,
        role=UserRole(role),
        team_code=team,
        **extra,
    )


def add_people(session: Session, clock: Clock) -> dict[str, User]:
    """One user per role; the grid worker's team is 1101-01 and the supervisor's town T01."""
    return {
        "agent": add_user(session, clock, "agent", "agent", phone="+8613900000001"),
        "supervisor": add_user(session, clock, "supervisor", "supervisor", "T01"),
        "district": add_user(session, clock, "district", "supervisor", "D01"),
        "grid_worker": add_user(session, clock, "grid_worker", "grid_worker", "1101-01"),
        "other_grid_worker": add_user(session, clock, "other_worker", "grid_worker", "1201-01"),
        "admin": add_user(session, clock, "admin", "admin"),
        "kb_editor": add_user(session, clock, "kb_editor", "kb_editor"),
    }


def intake(
    session: Session,
    clock: Clock,
    n: int,
    *,
    caller: str = "+8613700000001",
    community: str | None = "1101",
    audio_dir: Path | None = None,
) -> Ticket:
    """A received ticket from a call; with a recording file and transcript when audio_dir is set."""
    call = calls.get_or_create(
        session=session,
        clock=clock,
        call_sid=f"CA{n:032d}",
        from_number=caller,
        to_number="+861012345",
    )
    ticket, _ = tickets.get_or_create_for_call(
        session=session,
        clock=clock,
        call_id=call.id,
        caller=caller,
        language="zh-CN",
        category="utilities",
        location_code=community,
    )
    if audio_dir is not None:
        audio = audio_dir / f"RE{n:032d}.wav"
        shutil.copy(FIXTURES / sorted(p.name for p in FIXTURES.glob("*.wav"))[0], audio)
        recording = Recording(
            recording_sid=f"RE{n:032d}",
            call_id=call.id,
            source_url="http://127.0.0.1/recording",
            duration_seconds=3.0,
            local_path=str(audio),
            size_bytes=audio.stat().st_size,
            download_status=DownloadStatus.DOWNLOADED,
            created_at=clock.now(),
        )
        session.add(recording)
        session.flush()
        session.add(
            Transcript(
                recording_id=recording.id,
                status=TranscriptStatus.OK,
                text="水管 漏水 很久",
                words=[
                    {"word": "水管", "conf": 0.95, "start": 0.0, "end": 0.5},
                    {"word": "漏水", "conf": 0.41, "start": 0.5, "end": 1.0},
                    {"word": "很久", "conf": 0.88, "start": 1.0, "end": 1.5},
                ],
                mean_confidence=0.75,
                language="zh-CN",
                created_at=clock.now(),
            )
        )
    session.flush()
    return ticket


def triage(
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    ticket: Ticket,
    *,
    grid: str | None,
    review: bool = False,
) -> Ticket:
    """Triage to a grid and dispatch, or leave the ticket in the human triage queue."""
    ticket.level = "general"
    ticket.grid = grids.get_unit_by_code(session=session, code=grid) if grid else None
    ticket.needs_review = review
    ticket.review_reason = "low confidence" if review else None
    tickets.transition(
        session=session, clock=clock, ticket=ticket, action=TicketAction.TRIAGE, actor="triage"
    )
    if not review:
        routing.dispatch(session=session, clock=clock, policy=policy, ticket=ticket)
    return ticket


def dispatched(sessions: sessionmaker[Session], clock: Clock, settings: Settings) -> str:
    """A committed ticket from a call in 1101, dispatched to grid 1101-01; its reference."""
    with sessions.begin() as session:
        ticket = triage(
            session,
            clock,
            policy_from_settings(settings),
            intake(session, clock, 1),
            grid="1101-01",
        )
        return ticket.reference


def api_action(client: TestClient, reference: str, **body: object) -> tuple[int, Any]:
    """POST an action to the API as the integration; the status and the JSON answer."""
    answer = client.post(
        f"/api/v1/tickets/{reference}/actions",
        json=body,
        headers={"Authorization": f"Bearer {API_TOKEN}"},
    )
    return answer.status_code, answer.json()


@dataclass
class Cases:
    """References of the arranged tickets."""

    review: str
    mine: str
    other: str
    unplaced: str


def add_cases(session: Session, clock: Clock, policy: TriagePolicy, audio_dir: Path) -> Cases:
    """Needing triage in community 1101 and with no place at all; dispatched to 1101-01, 1201-01."""
    review = triage(
        session,
        clock,
        policy,
        intake(session, clock, 1, audio_dir=audio_dir),
        grid=None,
        review=True,
    )
    mine = triage(
        session, clock, policy, intake(session, clock, 2, audio_dir=audio_dir), grid="1101-01"
    )
    other = triage(
        session,
        clock,
        policy,
        intake(session, clock, 3, caller="+8613700000003", community="1201", audio_dir=audio_dir),
        grid="1201-01",
    )
    unplaced = triage(
        session,
        clock,
        policy,
        intake(session, clock, 4, caller="+8613700000004", community=None),
        grid=None,
        review=True,
    )
    return Cases(review.reference, mine.reference, other.reference, unplaced.reference)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real form (fetching its CSRF token first)."""
    client.cookies.clear()
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    answer = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def csrf(client: TestClient) -> str:
    """The signed-in session's CSRF token, read from a page."""
    page = client.get("/console/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    return token.group(1)


Routes = list[tuple[str, dict[str, int]]]
FormRoutes = list[tuple[str, dict[str, Any], dict[str, int]]]


def unexpected_statuses(
    console: TestClient, role: str, ids: dict[str, str], gets: Routes, posts: FormRoutes
) -> list[str]:
    """Sign in as `role` (unless anonymous) and list every route whose status differs from the
    table's; each POST carries a valid CSRF token, so a refusal is the role's, not the form's."""
    token = ""
    if role != "anonymous":
        sign_in(console, role)
        token = csrf(console)
    wrong = []
    for path, table in gets:
        url = path.format(**ids)
        got = console.get(url, follow_redirects=False).status_code
        if got != table[role]:
            wrong.append(f"GET {url}: {got}, expected {table[role]}")
    for path, form, table in posts:
        url = path.format(**ids)
        got = console.post(
            url, data={**form, "csrf_token": token}, follow_redirects=False
        ).status_code
        if got != table[role]:
            wrong.append(f"POST {url}: {got}, expected {table[role]}")
    return wrong

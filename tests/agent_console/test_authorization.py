"""Every console route × every role → the expected status, enforced on the server."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls.models import Recording
from hotline.tickets.models import Ticket
from tests.agent_console.arrange import Cases, sign_in, unexpected_statuses

ANON, AGENT, SUP, DISTRICT, GRID, OTHER, ADMIN = (
    "anonymous",
    "agent",
    "supervisor",
    "district",
    "grid_worker",
    "other_worker",
    "admin",
)
ROLES = (ANON, AGENT, SUP, DISTRICT, GRID, OTHER, ADMIN)


def expected(**by_role: int) -> dict[str, int]:
    """Signed-out visitors are always sent to the sign-in page."""
    return {ANON: 303, **by_role}


def everyone(status: int) -> dict[str, int]:
    return expected(**{r: status for r in ROLES if r != ANON})


# Tickets: review (keyed community 1101 in town T01, no grid or team yet), unplaced (no place at
# all), mine (grid 1101-01, town T01), other (grid 1201-01, town T02). The supervisor oversees
# town T01; the district supervisor oversees D01, the top of the hierarchy, so also the unplaced.
GETS: list[tuple[str, dict[str, int]]] = [
    ("/console/", everyone(200)),
    ("/console/tickets", everyone(200)),
    ("/console/tickets?status=dispatched&sort=due&overdue=1", everyone(200)),
    ("/console/tickets.csv", everyone(200)),
    ("/console/inbox/counts", everyone(200)),
    ("/console/inbox/list?inbox=overdue", everyone(200)),
    ("/console/static/htmx.min.js", {**everyone(200), ANON: 200}),
    ("/console/static/console.css", {**everyone(200), ANON: 200}),
    ("/console/static/..%2F..%2Fpyproject.toml", {**everyone(404), ANON: 404}),
    ("/console/static/htmx.LICENSE.txt", {**everyone(404), ANON: 404}),
    (
        "/console/tickets/{review}",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=404, other_worker=404, admin=200
        ),
    ),
    (
        "/console/tickets/{unplaced}",
        expected(
            agent=200, supervisor=404, district=200, grid_worker=404, other_worker=404, admin=200
        ),
    ),
    (
        "/console/tickets/{mine}",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=200, other_worker=404, admin=200
        ),
    ),
    (
        "/console/tickets/{other}",
        expected(
            agent=200, supervisor=404, district=200, grid_worker=404, other_worker=200, admin=200
        ),
    ),
    (
        "/console/tickets/{mine}/recordings/{mine_rec}",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=200, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{other}/recordings/{other_rec}",
        expected(
            agent=200, supervisor=404, district=200, grid_worker=404, other_worker=200, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/recordings/{other_rec}",
        expected(
            agent=404, supervisor=404, district=404, grid_worker=404, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/2026-999999",
        expected(
            agent=404, supervisor=404, district=404, grid_worker=404, other_worker=404, admin=404
        ),
    ),
    (
        "/console/new",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/callers/%2B8613700000001",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/dashboard",
        expected(
            agent=403, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=200
        ),
    ),
    (
        "/console/dashboard/teams.csv",
        expected(
            agent=403, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=200
        ),
    ),
    (
        "/console/calls",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/calls/queue",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/seat",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/seat/now",
        expected(
            agent=200, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/seat/calls/CA00000000000000000000000000000000",
        expected(
            agent=404, supervisor=404, district=404, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/seat/calls/CA00000000000000000000000000000000/live",
        expected(
            agent=404, supervisor=404, district=404, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/board",
        expected(
            agent=403, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/board/rows",
        expected(
            agent=403, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/admin/users",
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=200
        ),
    ),
    (
        "/console/admin/registry?unit=1101-01",
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=200
        ),
    ),
    (
        "/console/admin/integrations",
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=200
        ),
    ),
    (
        "/console/admin/audit",
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=200
        ),
    ),
]

# State-changing routes, each with a valid CSRF token; 303 means it was done.
POSTS: list[tuple[str, dict[str, str], dict[str, int]]] = [
    (
        "/console/tickets/{other}/actions",
        {"action": "accept"},
        expected(
            agent=403, supervisor=404, district=403, grid_worker=404, other_worker=303, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/actions",
        {"action": "accept"},
        expected(
            agent=403, supervisor=403, district=403, grid_worker=303, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/notes",
        {"body": "rang the resident", "visibility": "internal"},
        expected(
            agent=303, supervisor=303, district=303, grid_worker=303, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{review}/triage",
        {"category": "utilities", "level": "general", "grid": "1101-02"},
        expected(
            agent=303, supervisor=303, district=303, grid_worker=404, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{unplaced}/notes",
        {"body": "no place given; rang back", "visibility": "internal"},
        expected(
            agent=303, supervisor=404, district=303, grid_worker=404, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{other}/transcript",
        {"text": "corrected"},
        expected(
            agent=303, supervisor=404, district=303, grid_worker=404, other_worker=403, admin=403
        ),
    ),
    (
        "/console/new",
        {"caller": "+8613700000009", "category": "other", "summary": "question", "answered": "1"},
        expected(
            agent=303, supervisor=303, district=303, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/admin/registry/members/1101-01-01",
        {"phone": "+8613900000099", "active": "1"},
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=303
        ),
    ),
    (
        "/console/tickets/{mine}/limits/extension",
        {"days": "3", "note": "the part is on order"},
        expected(
            agent=403, supervisor=303, district=303, grid_worker=303, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/limits/urgency",
        {"urgency": "complex", "note": "needs two departments"},
        expected(
            agent=303, supervisor=303, district=303, grid_worker=403, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/limits/hand-over",  # the first unit is still the one handling it
        {},
        expected(
            agent=403, supervisor=409, district=409, grid_worker=403, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/limits/assist",
        {"unit": "1201-01", "note": "close the valve upstream"},
        expected(
            agent=303, supervisor=303, district=303, grid_worker=403, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/limits/hold",
        {"note": "court order"},
        expected(
            agent=403, supervisor=303, district=303, grid_worker=403, other_worker=404, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/reveal",  # not confidential: nothing to reveal
        {"why": "the police asked"},
        expected(
            agent=403, supervisor=409, district=409, grid_worker=403, other_worker=404, admin=403
        ),
    ),
    (
        "/console/hotspots/case",
        {"level": "community", "place": "1101", "category": "utilities"},
        expected(
            agent=403, supervisor=303, district=303, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/tickets/{mine}/reassign",
        {"member": "1101-01-02"},
        expected(
            agent=303, supervisor=303, district=303, grid_worker=403, other_worker=404, admin=403
        ),
    ),
    (
        "/console/seat/state",
        {"state": "paused", "reason": "break"},
        expected(
            agent=200, supervisor=200, district=200, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/calls/answer-next",
        {},
        expected(
            agent=409, supervisor=409, district=409, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/seat/wrap-up",
        {"action": "end"},  # nobody is in after-call work
        expected(
            agent=409, supervisor=409, district=409, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/seat/calls/CA00000000000000000000000000000000/ticket",
        {"category": "other", "summary": "question"},
        expected(
            agent=404, supervisor=404, district=404, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/seat/calls/CA00000000000000000000000000000000/third-party",
        {"phone": "+8613900000099"},
        expected(
            agent=404, supervisor=404, district=404, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/board/calls/CA00000000000000000000000000000000/monitor",
        {"mode": "listen"},
        expected(
            agent=403, supervisor=409, district=409, grid_worker=403, other_worker=403, admin=403
        ),
    ),
    (
        "/console/admin/integrations/keys",
        {"name": "city-app", "per_minute": "60"},
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=200
        ),
    ),
    (
        "/console/admin/integrations/webhooks",
        {"url": "https://dept.example/hook", "events": "created"},
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=200
        ),
    ),
    (
        "/console/admin/users",
        {"username": "newagent", "role": "agent", "password": "another long password"},
        expected(
            agent=403, supervisor=403, district=403, grid_worker=403, other_worker=403, admin=303
        ),
    ),
]


def _ids(session: Session, cases: Cases) -> dict[str, str]:
    recordings = {}
    for name in ("mine", "other"):
        ticket = session.scalars(
            select(Ticket).where(Ticket.reference == getattr(cases, name))
        ).one()
        recordings[f"{name}_rec"] = str(
            session.scalars(select(Recording.id).where(Recording.call_id == ticket.call_id)).one()
        )
    return {
        "review": cases.review,
        "unplaced": cases.unplaced,
        "mine": cases.mine,
        "other": cases.other,
        **recordings,
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(
    role: str, console: TestClient, cases: Cases, session: Session
) -> None:
    wrong = unexpected_statuses(console, role, _ids(session, cases), GETS, POSTS)
    assert wrong == []


@pytest.mark.parametrize("role", [GRID, OTHER])
def test_a_grid_workers_export_holds_only_their_teams_tickets(
    role: str, console: TestClient, cases: Cases
) -> None:
    sign_in(console, role)
    exported = console.get("/console/tickets.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    mine, other = (cases.mine, cases.other) if role == GRID else (cases.other, cases.mine)
    assert mine in exported.text
    assert other not in exported.text
    assert cases.review not in exported.text


@pytest.mark.parametrize(
    ("role", "listed"),
    [
        (SUP, {"review", "mine"}),
        (DISTRICT, {"review", "unplaced", "mine", "other"}),
        (GRID, {"mine"}),
        (AGENT, {"review", "unplaced", "mine", "other"}),
    ],
)
def test_each_role_lists_the_tickets_of_its_area_at_any_status(
    role: str, listed: set[str], console: TestClient, cases: Cases
) -> None:
    sign_in(console, role)
    names = {"review": cases.review, "unplaced": cases.unplaced, "mine": cases.mine}
    names["other"] = cases.other
    page = console.get("/console/tickets", params={"per_page": 100}).text
    exported = console.get("/console/tickets.csv").text
    assert {name for name, ref in names.items() if ref in page} == listed
    assert {name for name, ref in names.items() if ref in exported} == listed
    review = console.get("/console/", params={"inbox": "review"}).text
    assert {name for name, ref in names.items() if ref in review} == listed & {"review", "unplaced"}

"""Working tickets through the console: triage, dispatch, accept, resolve, close, reopen."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.audit.models import AuditEntry
from hotline.core.clock import FixedClock
from hotline.seats.models import CallOffer
from hotline.tickets.models import Ticket, TicketNote
from hotline.transcripts.models import Transcript
from hotline.users.models import User
from tests.agent_console.arrange import Cases, csrf, sign_in


def ticket(session: Session, reference: str) -> Ticket:
    session.rollback()
    return session.scalars(select(Ticket).where(Ticket.reference == reference)).one()


def act(client: TestClient, reference: str, action: str, note: str = "") -> int:
    return client.post(
        f"/console/tickets/{reference}/actions",
        data={"action": action, "note": note, "csrf_token": csrf(client)},
        follow_redirects=False,
    ).status_code


def test_a_review_ticket_goes_from_triage_to_closed(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    triaged = console.post(
        f"/console/tickets/{cases.review}/triage",
        data={
            "category": "roads_facilities",
            "level": "general",
            "grid": "1101-01",
            "csrf_token": csrf(console),
        },
        follow_redirects=False,
    )
    assert triaged.status_code == 303
    found = ticket(session, cases.review)
    assert (found.needs_review, found.category, found.grid.code) == (  # type: ignore[union-attr]
        False,
        "roads_facilities",
        "1101-01",
    )
    assert act(console, cases.review, "dispatch") == 303
    dispatched = ticket(session, cases.review)
    assert dispatched.status == "dispatched"
    assert dispatched.team is not None and dispatched.team.code == "1101-01"
    assert dispatched.events[-1].actor == "agent"

    sign_in(console, "grid_worker")
    assert act(console, cases.review, "accept") == 303
    assert act(console, cases.review, "resolve", "pipe replaced") == 303
    assert ticket(session, cases.review).status == "resolved"

    sign_in(console, "supervisor")
    assert act(console, cases.review, "close", "confirmed with the resident") == 303
    closed = ticket(session, cases.review)
    assert closed.status == "closed" and closed.closed_at is not None
    assert [e.action for e in closed.events][-4:] == ["dispatch", "accept", "resolve", "close"]


def test_an_action_not_allowed_now_is_a_409_and_changes_nothing(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "supervisor")
    answer = console.post(
        f"/console/tickets/{cases.mine}/actions",
        data={"action": "close", "note": "", "csrf_token": csrf(console)},
    )
    assert answer.status_code == 409
    assert "cannot close a ticket that is dispatched" in answer.text
    assert ticket(session, cases.mine).status == "dispatched"


def test_return_and_reopen_need_a_reason(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "grid_worker")
    assert act(console, cases.mine, "return") == 409
    assert act(console, cases.mine, "return", "not our grid") == 303
    returned = ticket(session, cases.mine)
    assert returned.status == "returned" and returned.needs_review
    assert act(console, cases.mine, "nonsense") == 400


def test_the_supervisor_reopens_a_closed_ticket(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "grid_worker")
    act(console, cases.mine, "accept")
    act(console, cases.mine, "resolve", "done")
    sign_in(console, "supervisor")
    act(console, cases.mine, "close")
    assert act(console, cases.mine, "reopen") == 409
    assert act(console, cases.mine, "reopen", "resident says still leaking") == 303
    reopened = ticket(session, cases.mine)
    assert reopened.status == "reopened" and reopened.closed_at is None
    assert "reopened" in console.get("/console/?inbox=reopened").text


def test_numbers_are_masked_for_grid_workers_unless_the_ticket_is_theirs(
    console: TestClient, cases: Cases, session: Session
) -> None:
    mine = ticket(session, cases.mine)
    sign_in(console, "grid_worker")
    page = console.get(f"/console/tickets/{cases.mine}").text
    assert "+8613700000001" not in page and "+86137****0001" in page
    assignee_id, ticket_id = mine.assignee_id, mine.id
    session.rollback()  # SQLite: write from a fresh snapshot
    user = session.scalars(select(User).where(User.username == "grid_worker")).one()
    user.member_id = assignee_id
    session.commit()
    page = console.get(f"/console/tickets/{cases.mine}").text
    assert "+8613700000001" in page
    seen = session.scalars(
        select(AuditEntry).where(
            AuditEntry.username == "grid_worker", AuditEntry.action == "view_phone"
        )
    ).all()
    assert [entry.ticket_id for entry in seen] == [ticket_id]


def test_the_recording_streams_with_ranges_and_each_listen_is_audited(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    page = console.get(f"/console/tickets/{cases.review}").text
    src = page.split('<audio controls preload="none" src="', 1)[1].split('"', 1)[0]
    whole = console.get(src)
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    part = console.get(src, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.content == whole.content[100:200]
    listens = session.scalar(
        select(func.count()).where(AuditEntry.action == "listen", AuditEntry.username == "agent")
    )
    assert listens == 1  # the later range request continues the same listen


def test_corrections_keep_what_the_recogniser_heard(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    console.post(
        f"/console/tickets/{cases.review}/transcript",
        data={"text": "水管漏水很久了", "csrf_token": csrf(console)},
    )
    session.rollback()
    transcript = session.scalars(select(Transcript).order_by(Transcript.id)).first()
    assert transcript is not None
    assert transcript.text == "水管 漏水 很久"
    assert (transcript.corrected_text, transcript.corrected_by) == ("水管漏水很久了", "agent")
    page = console.get(f"/console/tickets/{cases.review}").text
    assert '<span class="lowconf" title="41%">漏水</span>' in page


def test_notes_are_internal_or_for_the_resident_and_join_the_timeline(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    for visibility in ("internal", "resident"):
        console.post(
            f"/console/tickets/{cases.mine}/notes",
            data={
                "body": f"{visibility} note",
                "visibility": visibility,
                "csrf_token": csrf(console),
            },
        )
    bad = console.post(
        f"/console/tickets/{cases.mine}/notes",
        data={"body": "x", "visibility": "public", "csrf_token": csrf(console)},
    )
    assert bad.status_code == 409
    session.rollback()
    notes = session.scalars(select(TicketNote).order_by(TicketNote.id)).all()
    assert [(n.visibility, n.author) for n in notes] == [
        ("internal", "agent"),
        ("resident", "agent"),
    ]
    assert "internal note" in console.get(f"/console/tickets/{cases.mine}").text


def test_merging_into_a_ticket_the_agent_can_see(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    answer = console.post(
        f"/console/tickets/{cases.review}/merge",
        data={"into": cases.mine, "csrf_token": csrf(console)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    merged = ticket(session, cases.review)
    assert merged.status == "merged" and merged.merged_into_id == ticket(session, cases.mine).id
    missing = console.post(
        f"/console/tickets/{cases.other}/merge",
        data={"into": "2026-999999", "csrf_token": csrf(console)},
    )
    assert missing.status_code == 404


def test_a_ticket_taken_on_the_phone_is_routed_or_answered(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "agent")
    form = {
        "caller": "+8613700000042",
        "language": "zh-CN",
        "category": "sanitation_environment",
        "community": "1102",
        "summary": "垃圾没人收",
        "csrf_token": csrf(console),
    }
    routed = console.post("/console/new", data=form, follow_redirects=False)
    assert routed.status_code == 303
    reference = routed.headers["location"].split("/")[-1].split("?")[0]
    created = ticket(session, reference)
    assert (created.channel, created.created_by, created.summary) == (
        "agent",
        "agent",
        "垃圾没人收",
    )
    assert created.status in ("triaged", "dispatched")
    answered = console.post(
        "/console/new",
        data={**form, "summary": "问开放时间", "answered": "1"},
        follow_redirects=False,
    )
    reference = answered.headers["location"].split("/")[-1].split("?")[0]
    assert ticket(session, reference).status == "answered"
    bad = console.post("/console/new", data={**form, "caller": "12345"})
    assert bad.status_code == 422 and "E.164" in bad.text


def test_the_caller_view_lists_every_ticket_and_call_from_one_number(
    console: TestClient, cases: Cases
) -> None:
    sign_in(console, "agent")
    page = console.get("/console/callers/%2B8613700000001").text
    assert cases.review in page and cases.mine in page and cases.other not in page


def test_list_filters_search_sort_and_pages(console: TestClient, cases: Cases) -> None:
    sign_in(console, "agent")
    assert cases.other in console.get("/console/tickets?unit=T02").text
    assert cases.mine not in console.get("/console/tickets?unit=T02").text
    assert cases.review in console.get("/console/tickets?q=漏水").text  # transcript words
    assert cases.other in console.get("/console/tickets?q=0000003").text  # phone digits
    page = console.get("/console/tickets?per_page=25&sort=oldest&status=dispatched").text
    assert page.index(cases.mine) < page.index(cases.other)
    assert cases.review not in page
    assert console.get("/console/tickets?status=bogus").status_code == 400
    assert console.get("/console/tickets?from=yesterday").status_code == 400


def test_csv_export_matches_the_filtered_list(console: TestClient, cases: Cases) -> None:
    sign_in(console, "agent")
    exported = console.get("/console/tickets.csv?status=dispatched")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert {r["reference"] for r in rows} == {cases.mine, cases.other}
    assert {r["team"] for r in rows} == {"1101-01", "1201-01"}


def test_answer_next_offers_the_agent_the_longest_waiting_caller(
    console: TestClient, cases: Cases, session: Session, clock: FixedClock
) -> None:
    from hotline.calls import service as calls
    from hotline.queue import service as queue

    for n, number in enumerate(("+8613700000101", "+8613700000102")):
        call = calls.get_or_create(
            session=session,
            clock=clock,
            call_sid=f"CA{n + 100:032d}",
            from_number=number,
            to_number="+861012345",
        )
        queue.enqueue(session=session, clock=clock, call=call)
        clock.advance(seconds=20)
    session.commit()
    sign_in(console, "agent")
    rows = console.get("/console/calls/queue").text
    assert rows.index("+8613700000101") < rows.index("+8613700000102")
    assert "0:40" in rows
    answer = console.post("/console/calls/answer-next", data={"csrf_token": csrf(console)})
    assert answer.status_code == 200 and "+8613700000101" in answer.text
    # The distributor rings the agent's phone for this offer on its next pass.
    session.rollback()
    offer = session.scalars(select(CallOffer)).one()
    assert (offer.state, offer.manual, offer.agent_phone) == ("pending", True, "+8613900000001")
    assert offer.entry.from_number == "+8613700000101"
    again = console.post("/console/calls/answer-next", data={"csrf_token": csrf(console)})
    assert again.status_code == 409 and "already have a call" in again.text


def test_the_dashboard_counts_and_ranks_within_the_supervisors_town(
    console: TestClient, cases: Cases, session: Session, clock: FixedClock
) -> None:
    sign_in(console, "grid_worker")
    act(console, cases.mine, "accept")  # within its response deadline
    sign_in(console, "supervisor")
    page = console.get("/console/dashboard").text
    assert 'id="response-rate">100.0%' in page
    assert "1101-01" in page and "1201-01" not in page
    assert "<svg" in page and 'role="img"' in page
    teams = console.get("/console/dashboard/teams.csv").text.lstrip("\ufeff").splitlines()
    assert teams[0].startswith("team,name,dispatched,response_rate")
    assert teams[1].startswith("1101-01,") and ",1.0000," in teams[1]


def test_the_ticket_page_shows_the_callback_survey(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "grid_worker")
    act(console, cases.mine, "accept")
    act(console, cases.mine, "resolve", "fixed")
    sign_in(console, "supervisor")
    act(console, cases.mine, "close")
    page = console.get(f"/console/tickets/{cases.mine}").text
    assert '<dd id="survey">待回访' in page


def test_a_dispatched_ticket_is_reassigned_within_its_team(
    console: TestClient, cases: Cases, session: Session
) -> None:
    before = ticket(session, cases.mine)
    assert before.team is not None and before.assignee is not None
    from hotline.grids import service as grids

    members = [
        m.code
        for m in grids.list_members(session=session, unit_id=before.team.id)
        if m.code != before.assignee.code
    ]
    sign_in(console, "agent")
    answer = console.post(
        f"/console/tickets/{cases.mine}/reassign",
        data={"member": members[0], "csrf_token": csrf(console)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    after = ticket(session, cases.mine)
    assert after.assignee is not None and after.assignee.code == members[0]
    assert after.events[-1].rule == "manual-reassign"
    outsider = console.post(
        f"/console/tickets/{cases.mine}/reassign",
        data={"member": "1201-01-01", "csrf_token": csrf(console)},
    )
    assert outsider.status_code == 409 and "not an active member" in outsider.text

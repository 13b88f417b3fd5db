"""Grid workers show the work done: photos before and after, attached when resolving."""

from __future__ import annotations

import io
import re
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.audit.models import AuditEntry
from hotline.core.settings import Settings
from hotline.photos.models import TicketPhoto
from hotline.tickets.models import Ticket
from tests.agent_console.arrange import Cases, csrf, sign_in


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, format="JPEG")
    return out.getvalue()


def act(console: TestClient, reference: str, action: str, files: list, note: str = "") -> int:
    return console.post(
        f"/console/tickets/{reference}/actions",
        data={"action": action, "note": note, "csrf_token": csrf(console)},
        files=files,
        follow_redirects=False,
    ).status_code


def status_of(session: Session, reference: str) -> str:
    session.expire_all()
    return session.scalars(select(Ticket.status).where(Ticket.reference == reference)).one()


def stored_files(settings: Settings) -> list[Path]:
    assert settings.photos_dir is not None
    return [p for p in settings.photos_dir.rglob("*") if p.is_file()]


def test_photos_go_with_the_resolve_and_show_to_everyone_in_scope(
    console: TestClient, cases: Cases, session: Session, settings: Settings
) -> None:
    sign_in(console, "grid_worker")
    assert act(console, cases.mine, "accept", []) == 303
    before, after = jpeg((90, 60, 30)), jpeg((30, 140, 60))
    files = [
        ("before", ("broken.jpg", before, "image/jpeg")),
        ("after", ("fixed.jpg", after, "image/jpeg")),
        ("after", ("", b"", "application/octet-stream")),  # an empty file input
    ]
    assert act(console, cases.mine, "resolve", files, note="换了新灯") == 303
    assert status_of(session, cases.mine) == "resolved"
    photos = session.scalars(select(TicketPhoto).order_by(TicketPhoto.id)).all()
    assert [(p.kind, p.uploaded_by, p.width, p.content_type) for p in photos] == [
        ("before", "grid_worker", 120, "image/jpeg"),
        ("after", "grid_worker", 120, "image/jpeg"),
    ]
    assert photos[0].event_id is not None and photos[0].event_id == photos[1].event_id
    assert sorted(p.read_bytes() for p in stored_files(settings)) == sorted([before, after])

    for role, expected in (("supervisor", 200), ("agent", 200), ("other_worker", 404)):
        sign_in(console, role)
        page = console.get(f"/console/tickets/{cases.mine}")
        shown = re.findall(rf"/console/tickets/{cases.mine}/photos/(\d+)", page.text)
        assert bool(shown) is (expected == 200), role
        got = console.get(f"/console/tickets/{cases.mine}/photos/{photos[1].id}")
        assert got.status_code == expected, role
        if expected == 200:
            assert got.content == after
            assert got.headers["content-type"] == "image/jpeg"
            assert got.headers["x-content-type-options"] == "nosniff"
    session.rollback()  # a fresh read: the views were committed after this session's snapshot
    viewed = session.scalars(
        select(AuditEntry.username).where(AuditEntry.action == "view_photo")
    ).all()
    assert sorted(viewed) == ["agent", "supervisor"]


def test_a_bad_photo_refuses_the_whole_resolve_and_keeps_nothing(
    console: TestClient, cases: Cases, session: Session, settings: Settings
) -> None:
    sign_in(console, "grid_worker")
    assert act(console, cases.mine, "accept", []) == 303
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    bad = [
        ("after", ("ok.jpg", jpeg((1, 2, 3)), "image/jpeg")),
        ("after", ("anim.gif", gif.getvalue(), "image/gif")),
    ]
    refused = console.post(
        f"/console/tickets/{cases.mine}/actions",
        data={"action": "resolve", "csrf_token": csrf(console)},
        files=bad,
    )
    assert refused.status_code == 400
    assert "anim.gif: GIF is not accepted" in refused.text
    seven = [("before", (f"{n}.jpg", jpeg((n, n, n)), "image/jpeg")) for n in range(7)]
    assert act(console, cases.mine, "resolve", seven) == 400
    assert act(console, cases.mine, "return", [bad[0]], note="不是我们的") == 400
    assert status_of(session, cases.mine) == "accepted"
    assert session.scalars(select(TicketPhoto)).all() == []
    assert stored_files(settings) == []


def test_a_photo_of_another_ticket_is_not_found_through_this_one(
    console: TestClient, cases: Cases, session: Session
) -> None:
    sign_in(console, "grid_worker")
    act(console, cases.mine, "accept", [])
    act(console, cases.mine, "resolve", [("after", ("a.jpg", jpeg((5, 5, 5)), "image/jpeg"))])
    photo = session.scalars(select(TicketPhoto)).one()
    sign_in(console, "agent")
    assert console.get(f"/console/tickets/{cases.other}/photos/{photo.id}").status_code == 404
    assert console.get(f"/console/tickets/{cases.mine}/photos/999999").status_code == 404

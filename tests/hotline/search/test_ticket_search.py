"""Ticket search through the segmented index, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.grids import service as grids
from hotline.search.models import TicketDocument
from hotline.tickets.models import Ticket
from hotline.tickets.queries import TicketQuery, search
from hotline.transcripts.models import Transcript
from hotline.users.permissions import Actor
from tests.agent_console.arrange import intake

AGENT = Actor(name="agent", role="agent")


def found(session: Session, text: str) -> list[str]:
    session.rollback()  # a fresh read: SQLite keeps a reader's snapshot until it ends
    page = search(
        session=session,
        actor=AGENT,
        query=TicketQuery(text=text, sort="oldest", per_page=100),
        now=datetime(2026, 11, 20, tzinfo=UTC),
        timezone="Asia/Shanghai",
    )
    return [t.summary or "" for t in page.items]


def file(sessions: sessionmaker[Session], clock: FixedClock, n: int, summary: str) -> int:
    with sessions.begin() as session:
        ticket = intake(session, clock, n, caller=f"+86137000{n:05d}")
        ticket.summary = summary
        session.flush()
        return ticket.id


def test_two_character_words_find_exactly_the_tickets_that_hold_them(
    sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    file(sessions, clock, 1, "3号楼门口井盖丢了")
    file(sessions, clock, 2, "小区停水一整天")
    file(sessions, clock, 3, "井冈山路的路灯不亮")  # 井 but not 井盖
    file(sessions, clock, 4, "停车场收费太高")  # 停 but not 停水
    assert found(session, "井盖") == ["3号楼门口井盖丢了"]
    assert found(session, "停水") == ["小区停水一整天"]
    assert found(session, "路灯 不亮") == ["井冈山路的路灯不亮"]
    assert found(session, "路灯 停水") == []  # every word must match
    assert found(session, "井") == ["3号楼门口井盖丢了", "井冈山路的路灯不亮"]  # contains 井
    assert found(session, "的") == ["井冈山路的路灯不亮"]  # only a stopword: the summary's text


def test_the_registry_names_places_as_words(
    sessions: sessionmaker[Session], clock: FixedClock, seeded: None, session: Session
) -> None:
    file(sessions, clock, 1, "东湖社区3号楼漏水")
    file(sessions, clock, 2, "东边的湖里有垃圾")
    assert found(session, "东湖社区") == ["东湖社区3号楼漏水"]
    assert found(session, "东湖") == ["东湖社区3号楼漏水"]


def test_transcripts_and_corrections_reach_the_index_as_they_are_written(
    sessions: sessionmaker[Session], clock: FixedClock, tmp_path: object, session: Session
) -> None:
    from pathlib import Path

    with sessions.begin() as writing:
        ticket = intake(writing, clock, 7, audio_dir=Path(str(tmp_path)))  # heard: 水管 漏水 很久
    assert found(session, "漏水") == [""]
    with sessions.begin() as writing:
        heard = writing.scalars(select(Transcript)).one()
        heard.corrected_text = "暖气管道漏水"
    assert found(session, "暖气") == [""]
    with sessions.begin() as writing:
        writing.get(Ticket, ticket.id).summary = "暖气漏水，已派人"  # type: ignore[union-attr]
    assert found(session, "已派") == ["暖气漏水，已派人"]
    with sessions.begin() as writing:
        writing.scalars(select(Transcript)).one().corrected_text = None
    assert found(session, "管道") == []


def test_a_rolled_back_change_leaves_no_document(
    sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    with sessions() as writing:
        intake(writing, clock, 9).summary = "只在回滚之前存在"
        writing.flush()
        writing.rollback()
    assert session.scalars(select(TicketDocument)).all() == []
    session.rollback()
    file(sessions, clock, 10, "提交的")
    assert len(session.scalars(select(TicketDocument)).all()) == 1


def test_references_and_number_parts_are_matched_directly(
    sessions: sessionmaker[Session], clock: FixedClock, session: Session
) -> None:
    file(sessions, clock, 1, "一")
    file(sessions, clock, 2, "二")
    reference = session.scalars(select(Ticket.reference).order_by(Ticket.id)).all()[1]
    assert found(session, reference) == ["二"]
    assert found(session, "0002") == ["二"]  # part of the caller's number


def test_a_place_named_after_its_tickets_were_filed_finds_them_as_one_word(
    sessions: sessionmaker[Session], clock: FixedClock, seeded: None, session: Session
) -> None:
    file(sessions, clock, 1, "青石巷口积水")
    file(sessions, clock, 2, "青石路边石巷")  # the characters, but not together
    with sessions.begin() as writing:
        unit = grids.get_unit_by_code(session=writing, code="1101-01")
        assert unit is not None
        unit.landmarks = [*unit.landmarks, "青石巷"]
    assert found(session, "青石巷积水") == ["青石巷口积水"]  # 青石巷 + 积水, no re-indexing

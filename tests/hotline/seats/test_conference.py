"""Supervisors listen, whisper and barge; agents add a third party (三方通话).

The real `twilio` client drives the conference Participants API. The npm emulator serves no
conferences, so these run against the project's simulated carrier, which keeps each
participant's muted / coaching state the way Twilio reports it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.errors import Conflict, NotFound
from hotline.core.settings import Settings
from hotline.queue.models import QueueEntry
from hotline.seats import conference
from hotline.seats.models import ConferenceParticipant, ParticipantRole
from hotline.telephony.port import make_telephony
from hotline.users import service as users
from hotline.users.models import UserRole
from ivr.simulator.call import CallResult, Script
from ivr.simulator.network import Leg, PhoneScript
from tests.conftest import LiveServer
from tests.ivr.switchboard import Switchboard, switchboard

pytestmark = pytest.mark.slow
SUPERVISOR_PHONE = "+8613900000061"
WORKER_PHONE = "sip:1101-01-02@grid.hotline.example"


def eventually(check: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time limit"
        time.sleep(0.05)


def bridged(board: Switchboard) -> QueueEntry | None:
    with board.sessions() as session:
        return session.scalar(
            select(QueueEntry).where(
                QueueEntry.bridged_at.is_not(None), QueueEntry.conference_sid.is_not(None)
            )
        )


def participant(board: Switchboard, entry: QueueEntry, label_start: str) -> Leg:
    room = board.carrier.conference(entry.conference_sid or "")
    return next(leg for leg in room.legs.values() if (leg.label or "").startswith(label_start))


def test_listen_whisper_barge_and_a_third_party(
    live: LiveServer, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    with switchboard(live, sessions, clock) as board:
        # li stays on the line until the test hangs up for them.
        board.agent("li", "+8613900000062", script=PhoneScript(after=0.2))
        with board.ctx.sessions.begin() as session:
            users.create(
                session=session,
                clock=clock,
                username="zhao",
                password="a long enough password",
                role=UserRole.SUPERVISOR,
                team_code="T01",
                phone=SUPERVISOR_PHONE,
            )
        board.carrier.phones[SUPERVISOR_PHONE] = PhoneScript(after=0.1)
        board.carrier.phones[WORKER_PHONE] = PhoneScript(after=0.1)
        results: list[CallResult] = []
        caller = board.carrier.call("+8613700000071", live.url)
        talking = threading.Thread(target=lambda: results.append(caller.run(Script(keys=["1"]))))
        talking.start()
        eventually(lambda: bridged(board) is not None)
        entry = bridged(board)
        assert entry is not None
        telephony = make_telephony(board.ctx.settings)

        def act(role: ParticipantRole) -> ConferenceParticipant:
            with unit_of_work(board.ctx.sessions) as session:
                zhao = users.get_by_username(session=session, username="zhao")
                assert zhao is not None
                return conference.monitor(
                    session=session,
                    clock=clock,
                    telephony=telephony,
                    base_url=live.url,
                    call_sid=caller.call_sid,
                    supervisor=zhao,
                    role=role,
                )

        listening = act(ParticipantRole.LISTEN)
        room = board.carrier.conference(entry.conference_sid or "")
        eventually(lambda: listening.call_sid in room.legs)
        supervisor = participant(board, entry, "supervisor-zhao")
        assert supervisor.sid == listening.call_sid
        assert (supervisor.muted, supervisor.coaching) == (True, False)
        caller_leg = room.legs[caller.call_sid]
        agent_leg = participant(board, entry, "agent")
        assert supervisor not in room.heard_by(caller_leg) + room.heard_by(agent_leg)

        whispering = act(ParticipantRole.WHISPER)
        assert whispering.id == listening.id and whispering.role == "whisper"
        assert (supervisor.muted, supervisor.coaching, supervisor.coach_sid) == (
            False,
            True,
            agent_leg.sid,
        )
        assert supervisor in room.heard_by(agent_leg)
        assert supervisor not in room.heard_by(caller_leg)  # the caller hears no coaching

        act(ParticipantRole.BARGE)
        assert (supervisor.muted, supervisor.coaching) == (False, False)
        assert supervisor in room.heard_by(caller_leg)

        with unit_of_work(board.ctx.sessions) as session:
            added = conference.add_third_party(
                session=session,
                clock=clock,
                telephony=telephony,
                base_url=live.url,
                call_sid=caller.call_sid,
                phone=WORKER_PHONE,
                added_by="li",
                label="1101-01 duty",
            )
        eventually(lambda: added.call_sid in room.legs)
        assert room.legs[added.call_sid or ""].to == WORKER_PHONE
        board.carrier.hang_up(agent_leg.sid, "completed")  # li ends the call
        talking.join(timeout=30)
    assert results and results[0].errors == []
    with sessions() as session:
        rows = session.scalars(select(ConferenceParticipant).order_by(ConferenceParticipant.id))
        ended = [(p.role, p.ended_at is not None) for p in rows]
    assert ended == [("barge", True), ("third_party", True)]  # both left when the call ended


def test_monitoring_needs_a_live_call_and_a_phone(
    sessions: sessionmaker[Session], clock: FixedClock, settings: Settings, seeded: None
) -> None:
    with sessions.begin() as session:
        zhao = users.create(
            session=session,
            clock=clock,
            username="zhao",
            password="a long enough password",
            role=UserRole.SUPERVISOR,
            team_code="T01",
        )
        with pytest.raises(Conflict, match="no phone"):
            conference.monitor(
                session=session,
                clock=clock,
                telephony=make_telephony(settings),
                base_url="https://hotline.example",
                call_sid="CA" + "0" * 32,
                supervisor=zhao,
                role=ParticipantRole.LISTEN,
            )
        zhao.phone = SUPERVISOR_PHONE
        with pytest.raises(NotFound, match="no call"):
            conference.monitor(
                session=session,
                clock=clock,
                telephony=make_telephony(settings),
                base_url="https://hotline.example",
                call_sid="CA" + "0" * 32,
                supervisor=zhao,
                role=ParticipantRole.LISTEN,
            )
        with pytest.raises(Conflict, match="phone"):
            conference.add_third_party(
                session=session,
                clock=clock,
                telephony=make_telephony(settings),
                base_url="https://hotline.example",
                call_sid="CA" + "0" * 32,
                phone="12345",
                added_by="li",
            )

"""Arrange a finished call with a recording, as the webhooks would leave it."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import intake
from hotline.calls import service as calls
from hotline.core.clock import Clock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.tickets.models import Ticket
from hotline.transcripts.models import Transcript
from hotline.triage.policy import policy_from_settings


def finished_call(
    sessions: sessionmaker[Session],
    clock: Clock,
    *,
    recording_url: str,
    language: str = "ko",
    status: str = "completed",
) -> int:
    """Commit a call, its recording and its outbox row; returns the recording id."""
    with unit_of_work(sessions) as session:
        call = calls.get_or_create(
            session=session,
            clock=clock,
            call_sid="CA" + secrets.token_hex(16),
            from_number="+8613800001111",
            to_number="+861012345",
        )
        calls.update_choices(
            call=call, clock=clock, language=language, category="utilities", location_code="1101"
        )
        sid = "RE" + secrets.token_hex(16)
        intake.add_recording(
            session=session,
            clock=clock,
            policy=policy_from_settings(Settings()),
            call=call,
            recording_sid=sid,
            recording_url=recording_url,
            duration="5",
            status=status,
        )
        recording = calls.get_recording_by_sid(session=session, recording_sid=sid)
        assert recording is not None
        return recording.id


def outcome(session: Session) -> tuple[Ticket, Transcript]:
    """The single ticket and transcript after the jobs ran."""
    session.rollback()
    ticket = session.scalars(select(Ticket)).one()
    transcript = session.scalars(select(Transcript)).one()
    return ticket, transcript

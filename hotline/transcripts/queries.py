"""Read-only transcript queries shared by services that must not depend on each other."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls.models import Recording
from hotline.transcripts.models import Transcript


def latest_by_call(*, session: Session, call_ids: list[int]) -> dict[int, Transcript]:
    """For each call, the transcript of its most recent recording that has one."""
    if not call_ids:
        return {}
    query = (
        select(Recording.call_id, Transcript)
        .join(Transcript, Transcript.recording_id == Recording.id)
        .where(Recording.call_id.in_(call_ids))
        .order_by(Recording.id)
    )
    return {call_id: transcript for call_id, transcript in session.execute(query)}

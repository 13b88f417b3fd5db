"""Live transcripts of calls with an agent: streams, final segments, and the call's view of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls import service as calls
from hotline.core.clock import Clock
from hotline.core.errors import NotFound
from hotline.core.persistence import get_or_insert
from hotline.queue import service as queue
from hotline.queue.models import QueueOutcome
from hotline.transcripts.models import LiveSegment, LiveStream, StreamStatus
from transcription.live import Segment

CALLER_TRACK = "inbound"


@dataclass(frozen=True)
class LiveTranscript:
    """Everything heard on a call so far, in order."""

    call_sid: str
    status: str  # live while a stream is open, final after
    language: str | None
    segments: list[dict[str, Any]]

    def caller_text(self) -> str:
        """What the caller has said, finals and the current partial."""
        return " ".join(s["text"] for s in self.segments if s["track"] == CALLER_TRACK)

    def as_text(self) -> str:
        """One line per utterance, marked caller or agent with its time; a guess still being
        revised ends with an ellipsis."""
        return "\n".join(
            f"[{'caller' if s['track'] == CALLER_TRACK else 'agent'} "
            f"{int(s['start']) // 60}:{int(s['start']) % 60:02d}] {s['text']}"
            + ("" if s["final"] else " …")
            for s in self.segments
        )


def start_stream(
    *, session: Session, clock: Clock, call_sid: str, stream_sid: str, language: str
) -> LiveStream:
    """Open a stream for a call an agent has answered (NotFound for any other call)."""
    call = calls.get_by_sid(session=session, call_sid=call_sid)
    entry = queue.get_entry(session=session, call_sid=call_sid)
    if call is None or entry is None or entry.outcome != QueueOutcome.ANSWERED:
        raise NotFound(f"no call {call_sid} with an agent")
    stream, _ = get_or_insert(
        session=session,
        find=lambda: session.scalar(select(LiveStream).where(LiveStream.stream_sid == stream_sid)),
        build=lambda: LiveStream(
            call_id=call.id,
            stream_sid=stream_sid,
            language=language,
            status=StreamStatus.LIVE,
            frames=0,
            started_at=clock.now(),
        ),
    )
    return stream


def add_segments(
    *, session: Session, clock: Clock, stream_id: int, segments: Iterable[Segment]
) -> int:
    """Keep the final segments; returns how many were stored."""
    stored = 0
    for segment in segments:
        if not segment.final:
            continue
        session.add(
            LiveSegment(
                stream_id=stream_id,
                track=segment.track,
                text=segment.text,
                start_seconds=segment.start,
                end_seconds=segment.end,
                confidence=segment.confidence,
                created_at=clock.now(),
            )
        )
        stored += 1
    return stored


def finish_stream(
    *, session: Session, clock: Clock, stream_id: int, frames: int, problem: str | None
) -> None:
    """The stream stopped (or broke): its transcript is final."""
    stream = session.get(LiveStream, stream_id)
    if stream is None:
        return
    stream.status = StreamStatus.FINAL
    stream.frames = frames
    stream.problem = problem
    stream.ended_at = stream.ended_at or clock.now()


def note_problem(*, session: Session, stream_id: int, problem: str) -> None:
    """Say why text is missing (no model, bad frames) while the stream goes on."""
    stream = session.get(LiveStream, stream_id)
    if stream is not None and stream.problem is None:
        stream.problem = problem


def transcript(
    *, session: Session, call_sid: str, partials: dict[str, dict[str, Any]]
) -> LiveTranscript:
    """A call's live transcript: stored finals plus the partials of a stream still open."""
    call = calls.get_by_sid(session=session, call_sid=call_sid)
    if call is None:
        raise NotFound(f"no call {call_sid}")
    streams = session.scalars(
        select(LiveStream).where(LiveStream.call_id == call.id).order_by(LiveStream.id)
    ).all()
    if not streams:
        entry = queue.get_entry(session=session, call_sid=call_sid)
        if entry is None or entry.outcome != QueueOutcome.ANSWERED:
            raise NotFound(f"no live transcript for call {call_sid}")
    live = any(s.status == StreamStatus.LIVE for s in streams) or not streams
    rows = session.scalars(
        select(LiveSegment)
        .where(LiveSegment.stream_id.in_([s.id for s in streams]))
        .order_by(LiveSegment.start_seconds, LiveSegment.id)
    ).all()
    segments = [
        {
            "track": row.track,
            "text": row.text,
            "start": row.start_seconds,
            "end": row.end_seconds,
            "final": True,
            "confidence": row.confidence,
        }
        for row in rows
    ]
    if live:
        segments.extend(dict(p, final=False) for _, p in sorted(partials.items()))
    return LiveTranscript(
        call_sid=call_sid,
        status=StreamStatus.LIVE if live else StreamStatus.FINAL,
        language=streams[-1].language if streams else call.language,
        segments=segments,
    )


def problems(*, session: Session, call_id: int) -> list[str]:
    """Why parts of a call's live transcript are missing, if anything went wrong."""
    return [
        stream.problem
        for stream in session.scalars(select(LiveStream).where(LiveStream.call_id == call_id))
        if stream.problem
    ]

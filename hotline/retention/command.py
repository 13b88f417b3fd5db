"""`hotline retention`: run the recording-retention sweep now (the relay runs it daily)."""

from __future__ import annotations

import argparse

from hotline.calls.store import make_store
from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work
from hotline.core.settings import load_settings
from hotline.retention import service as retention
from hotline.telephony.port import make_telephony


def register(commands: argparse._SubParsersAction) -> None:
    """Add `retention`."""
    sweep = commands.add_parser(
        "retention",
        help="delete recordings older than HOTLINE_RECORDING_RETENTION_DAYS, here and at Twilio",
    )
    sweep.set_defaults(handler=_sweep)


def _sweep(args: argparse.Namespace) -> int:
    settings = load_settings()
    engine = make_engine(settings.resolved_database_url)
    telephony = make_telephony(settings)
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            report = retention.sweep(
                session=session,
                clock=SystemClock(),
                days=settings.recording_retention_days,
                recordings_dir=settings.recordings_dir,
                store=make_store(settings),
                delete_remote=telephony.delete_recording,
            )
    finally:
        engine.dispose()
    print(
        f"retention {settings.recording_retention_days} days: deleted {len(report.deleted)}, "
        f"deleted at the carrier {len(report.remote_deleted)}, kept on legal hold {report.held}, "
        f"carrier deletions to retry {len(report.failed)}"
    )
    for sid, error in sorted(report.failed.items()):
        print(f"  {sid}: {error}")
    return 1 if report.failed else 0

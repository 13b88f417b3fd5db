"""The demo town's knowledge base, loaded through the same importer operators use."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.kb.files import read_entries
from hotline.kb.importer import ImportReport, import_entries

DEMO_FILE = Path(__file__).with_name("demo.yaml")


def seed(*, session: Session, clock: Clock) -> ImportReport:
    """Insert or refresh the demo articles (idempotent)."""
    return import_entries(
        session=session, clock=clock, entries=read_entries(DEMO_FILE), author="demo"
    )

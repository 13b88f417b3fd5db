"""`hotline kb import|export`."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.settings import load_settings
from hotline.core.sourcefiles import print_document, run_import
from hotline.kb.export import export_articles
from hotline.kb.files import read_entries
from hotline.kb.importer import import_entries


def register(commands: argparse._SubParsersAction) -> None:
    """Add `kb`."""
    kb = commands.add_parser("kb", help="import or export the knowledge base")
    verbs = kb.add_subparsers(dest="verb", required=True)
    importing = verbs.add_parser(
        "import", help="upsert articles by code (YAML, JSON, CSV or a folder of Markdown)"
    )
    importing.add_argument("file", type=Path)
    importing.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    importing.add_argument("--author", default="import", help="name kept in each new version")
    importing.set_defaults(handler=_import)
    exporting = verbs.add_parser("export", help="print every article")
    exporting.add_argument("--format", choices=["yaml", "json"], default="yaml")
    exporting.set_defaults(handler=_export)


def _import(args: argparse.Namespace) -> int:
    return run_import(
        args.file,
        dry_run=args.dry_run,
        work=lambda session: import_entries(
            session=session,
            clock=SystemClock(),
            entries=read_entries(args.file),
            author=args.author,
        ).lines(),
    )


def _export(args: argparse.Namespace) -> int:
    engine = make_engine(load_settings().resolved_database_url)
    with make_sessionmaker(engine)() as session:
        data = export_articles(session=session)
    engine.dispose()
    return print_document(data, format=args.format)

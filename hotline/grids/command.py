"""`hotline grids import|export` and `hotline households import`."""

from __future__ import annotations

import argparse
from pathlib import Path

from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.settings import load_settings
from hotline.core.sourcefiles import print_document, run_import
from hotline.grids.export import export_registry
from hotline.grids.files import read_registry
from hotline.grids.importer import import_records


def register(commands: argparse._SubParsersAction) -> None:
    """Add `grids` and `households`."""
    grids = commands.add_parser("grids", help="import or export the grid registry")
    verbs = grids.add_subparsers(dest="verb", required=True)
    importing = verbs.add_parser("import", help="upsert units, members, households (YAML/CSV)")
    importing.add_argument("file", type=Path)
    importing.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    importing.set_defaults(handler=_import, section=None)
    exporting = verbs.add_parser("export", help="print the registry")
    exporting.add_argument("--format", choices=["json", "yaml"], default="yaml")
    exporting.set_defaults(handler=_export)
    households = commands.add_parser("households", help="import households from CSV")
    verb = households.add_subparsers(dest="verb", required=True)
    csv_import = verb.add_parser(
        "import", help="upsert households: code,address,phones,grid,member"
    )
    csv_import.add_argument("file", type=Path)
    csv_import.add_argument("--dry-run", action="store_true")
    csv_import.set_defaults(handler=_import, section="households")


def _import(args: argparse.Namespace) -> int:
    return run_import(
        args.file,
        dry_run=args.dry_run,
        work=lambda session: import_records(
            session=session, records=read_registry(args.file, args.section)
        ).lines(),
    )


def _export(args: argparse.Namespace) -> int:
    engine = make_engine(load_settings().resolved_database_url)
    with make_sessionmaker(engine)() as session:
        data = export_registry(session=session)
    engine.dispose()
    return print_document(data, format=args.format)

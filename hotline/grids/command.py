"""`hotline grids import|export` and `hotline households import`."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yaml

from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.settings import load_settings
from hotline.grids.export import export_registry
from hotline.grids.files import RegistryFileError, read_registry
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
    started = time.perf_counter()
    engine = make_engine(load_settings().resolved_database_url)
    session = make_sessionmaker(engine)()
    try:
        records = read_registry(args.file, args.section)
        report = import_records(session=session, records=records)
        if args.dry_run:
            session.rollback()
        else:
            session.commit()
    except RegistryFileError as error:
        session.rollback()
        print(f"error: nothing imported, {len(error.problems)} problem(s):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    finally:
        session.close()
        engine.dispose()
    elapsed = time.perf_counter() - started
    verb = "would import (dry run)" if args.dry_run else "imported"
    print(f"{verb} {args.file} in {elapsed:.1f} s:")
    for line in report.lines():
        print(f"  {line}")
    return 0


def _export(args: argparse.Namespace) -> int:
    engine = make_engine(load_settings().resolved_database_url)
    with make_sessionmaker(engine)() as session:
        data = export_registry(session=session)
    engine.dispose()
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), end="")
    return 0

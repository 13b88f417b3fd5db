"""Household import speed: 100,000 CSV rows into SQLite and (if reachable) PostgreSQL.

Usage: .venv/bin/python bench/households.py [--rows 100000] [--postgres URL]
Prints a table; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.grids.files import read_registry  # noqa: E402
from hotline.grids.importer import import_records  # noqa: E402


def write_csv(path: Path, rows: int, suffix: str = "") -> None:
    """Households spread over the demo grids, one or two phones each."""
    grids = [g["code"] for g in demo.registry()["grids"]]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "address", "phones", "grid", "member"])
        for n in range(1, rows + 1):
            grid = grids[n % len(grids)]
            phones = f"+86135{n:08d}" + (f";+86134{n:08d}" if n % 7 == 0 else "")
            writer.writerow([f"B{n:07d}", f"测试路{n}号{suffix}", phones, grid, f"{grid}-02"])


def timed_import(url: str, path: Path) -> tuple[float, str]:
    engine = make_engine(url)
    started = time.perf_counter()
    with unit_of_work(make_sessionmaker(engine)) as session:
        report = import_records(session=session, records=read_registry(path, "households"))
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, report.lines()[0]


def run(name: str, url: str, rows: int, directory: Path) -> list[str]:
    upgrade(url)
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        demo.seed(session=session)
    engine.dispose()
    first, changed = directory / "first.csv", directory / "changed.csv"
    write_csv(first, rows)
    write_csv(changed, rows, suffix="A")
    lines = []
    for label, path in (
        ("first import", first),
        ("same file again", first),
        ("every address changed", changed),
    ):
        seconds, summary = timed_import(url, path)
        lines.append(
            f"| {name} | {label} | {rows} | {seconds:.1f} s | {rows / seconds:,.0f} | {summary} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        rows += run("SQLite", f"sqlite:///{directory / 'bench.db'}", args.rows, directory)
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        name = f"hotline_bench_{uuid.uuid4().hex[:8]}"
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError:
            rows.append("| PostgreSQL | not reachable, skipped | | | | |")
        else:
            try:
                url = admin.url.set(database=name).render_as_string(hide_password=False)
                rows += run("PostgreSQL", url, args.rows, directory)
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
    print("| database | pass | rows | time | rows/s | result |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()

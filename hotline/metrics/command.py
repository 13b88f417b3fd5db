"""`hotline report`: the three rates, volume, overdue and the grid-team ranking (红黑榜)."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy.exc import OperationalError, ProgrammingError

from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work
from hotline.core.settings import Settings, load_settings
from hotline.hotspots import service as hotspots
from hotline.hotspots.report import write_hotspots
from hotline.hotspots.rules import PlaceLevel
from hotline.kb.figures import kb_figures
from hotline.kb.report import write_kb
from hotline.metrics import seats
from hotline.metrics import service as metrics
from hotline.metrics.periods import period_bounds
from hotline.metrics.rules import TeamFigures, ranking
from hotline.metrics.seat_report import write_seats

COLUMNS = (
    "group",
    "code",
    "name",
    "volume",
    "dispatched",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "overdue",
    "rank",
    "responded_in_time",
    "response_decided",
    "solved",
    "solved_answers",
    "satisfied",
    "scored",
    "on_time_rate",
    "completed_on_time",
    "completion_decided",
    "extensions",
    "returns",
)


def register(commands: argparse._SubParsersAction) -> None:
    """Add `report`."""
    report = commands.add_parser("report", help="response, resolution and satisfaction rates")
    report.add_argument("--period", choices=["day", "week", "month"], default="week")
    report.add_argument("--previous", action="store_true", help="the last complete period")
    report.add_argument("--format", choices=["md", "csv"], default="md")
    report.add_argument("--group", choices=list(metrics.GROUPS), default="team")
    report.add_argument(
        "--seats",
        action="store_true",
        help="seat figures instead: 15-second answers, connection, abandons, handle times",
    )
    report.add_argument(
        "--kb",
        action="store_true",
        help="knowledge-base figures instead: calls settled at the seat, top articles, misses",
    )
    report.add_argument(
        "--hotspots",
        action="store_true",
        help="hotspots instead: tickets by place and category, against the period before",
    )
    report.add_argument(
        "--level",
        choices=[level.value for level in PlaceLevel],
        help="with --hotspots: only this kind of place (default: grid, community and landmark)",
    )
    report.add_argument(
        "--at",
        type=_moment,
        help="report as of this ISO 8601 moment with a zone (default: now)",
    )
    report.set_defaults(handler=run)


def _moment(text: str) -> datetime:
    """An ISO 8601 moment that names its zone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 moment: {text!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} has no zone; add +08:00 or Z")
    return moment.astimezone(UTC)


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _row(group: str, row: TeamFigures, rank: str) -> list[str]:
    return [
        group,
        row.code,
        row.name,
        str(row.volume),
        str(row.dispatched),
        _pct(row.response_rate),
        _pct(row.resolution_rate),
        _pct(row.satisfaction_rate),
        str(row.overdue),
        rank,
        str(row.responded_in_time),
        str(row.response_decided),
        str(row.solved),
        str(row.solved_answers),
        str(row.satisfied),
        str(row.scored),
        _pct(row.on_time_rate),
        str(row.completed_on_time),
        str(row.completion_decided),
        str(row.extensions),
        str(row.returns),
    ]


def write_csv(out: TextIO, group: str, rows: Sequence[TeamFigures]) -> None:
    """Totals first, then each group in ranking order."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow(_row("all", metrics.total(list(rows)), ""))
    best, _ = ranking(rows, size=len(rows))
    ranked = {row.code: str(n) for n, row in enumerate(best, start=1)}
    for row in sorted(rows, key=lambda r: (int(ranked.get(r.code, "9999")), r.code)):
        writer.writerow(_row(group, row, ranked.get(row.code, "")))


def write_markdown(out: TextIO, title: str, group: str, rows: Sequence[TeamFigures]) -> None:
    """A readable report: totals, the ranking's best and worst, then every group."""

    def pct(value: float | None) -> str:
        return "—" if value is None else f"{value * 100:.1f}%"

    totals = metrics.total(list(rows))
    out.write(f"# {title}\n\n")
    out.write(
        f"- volume (tickets received): {totals.volume}\n"
        f"- response rate: {pct(totals.response_rate)} "
        f"({totals.responded_in_time}/{totals.response_decided})\n"
        f"- resolution rate: {pct(totals.resolution_rate)} "
        f"({totals.solved}/{totals.solved_answers})\n"
        f"- satisfaction rate: {pct(totals.satisfaction_rate)} "
        f"({totals.satisfied}/{totals.scored})\n"
        f"- on-time completion rate (按期办结率): {pct(totals.on_time_rate)} "
        f"({totals.completed_on_time}/{totals.completion_decided})\n"
        f"- extensions asked: {totals.extensions}; returned as not ours: {totals.returns}\n"
        f"- overdue now: {totals.overdue}\n\n"
    )
    header = (
        f"| {group} | volume | dispatched | response | resolution | satisfaction | on time "
        "| overdue | extensions | returns |\n"
    )
    rule = "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"

    def table(items: Sequence[TeamFigures]) -> None:
        out.write(header + rule)
        for r in items:
            out.write(
                f"| {r.code} {r.name} | {r.volume} | {r.dispatched} | {pct(r.response_rate)} | "
                f"{pct(r.resolution_rate)} | {pct(r.satisfaction_rate)} | {pct(r.on_time_rate)} | "
                f"{r.overdue} | {r.extensions} | {r.returns} |\n"
            )
        out.write("\n")

    best, worst = ranking(rows)
    out.write("## 红榜 (best)\n\n")
    table(best)
    out.write("## 黑榜 (needs attention)\n\n")
    table(worst)
    out.write(f"## every {group}\n\n")
    table(rows)


def run(args: argparse.Namespace) -> int:
    """Print the report for the chosen period."""
    settings = load_settings()
    now = args.at or SystemClock().now()
    if args.hotspots:
        return _hotspots(args, settings, now)
    since, until = period_bounds(args.period, now, settings.timezone, args.previous)
    if not args.previous:
        until = until + metrics.UP_TO_NOW
    engine = make_engine(settings.resolved_database_url)
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            if args.kb:
                kb_report = kb_figures(session=session, since=since, until=until)
            elif args.seats:
                seat_report = seats.seat_report(
                    session=session, since=since, until=until, timezone=settings.timezone
                )
            else:
                rows = metrics.figures(
                    session=session, since=since, until=until, now=now, group=args.group
                )
    except (OperationalError, ProgrammingError) as error:
        reason = str(error.orig).splitlines()[0]
        print(f"error: cannot read the database ({reason}); run `hotline init`", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if args.kb:
        write_kb(sys.stdout, args.format, kb_report, settings.timezone)
    elif args.seats:
        write_seats(sys.stdout, args.format, seat_report, settings.timezone)
    elif args.format == "csv":
        write_csv(sys.stdout, args.group, rows)
    else:
        title = f"12345 report {since:%Y-%m-%d} – {until:%Y-%m-%d %H:%M} ({settings.timezone})"
        write_markdown(sys.stdout, title, args.group, rows)
    return 0


def _hotspots(args: argparse.Namespace, settings: Settings, now: datetime) -> int:
    """Print the hotspots of the week or month."""
    if args.period not in hotspots.PERIODS:
        print("error: --hotspots compares weeks or months: --period week|month", file=sys.stderr)
        return 2
    levels = [PlaceLevel(args.level)] if args.level else list(PlaceLevel)
    engine = make_engine(settings.resolved_database_url)
    try:
        with unit_of_work(make_sessionmaker(engine)) as session:
            reports = [
                hotspots.report(
                    session=session,
                    level=level,
                    period=args.period,
                    now=now,
                    timezone=settings.timezone,
                    previous=args.previous,
                )
                for level in levels
            ]
    except (OperationalError, ProgrammingError) as error:
        reason = str(error.orig).splitlines()[0]
        print(f"error: cannot read the database ({reason}); run `hotline init`", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    write_hotspots(sys.stdout, args.format, reports, settings.timezone)
    return 0

"""`hotline webhooks add|list|deliveries|replay|pause|resume`."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work
from hotline.core.errors import Conflict, NotFound
from hotline.core.settings import load_settings
from hotline.webhooks import rules
from hotline.webhooks import service as webhooks


def register(commands: argparse._SubParsersAction) -> None:
    """Add the `webhooks` command group."""
    parser = commands.add_parser("webhooks", help="event webhooks for department systems")
    verbs = parser.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="subscribe a URL to ticket events")
    add.add_argument("url")
    add.add_argument("--events", required=True, help=f"comma-separated: {','.join(rules.EVENTS)}")
    add.add_argument("--secret", help="signing secret (16+ characters); made for you if absent")
    add.set_defaults(handler=_add)
    verbs.add_parser("list", help="subscriptions and their deliveries").set_defaults(handler=_list)
    log = verbs.add_parser("deliveries", help="the delivery log, newest first")
    log.add_argument("--subscription", type=int)
    log.add_argument("--status", choices=["pending", "delivered", "failed"])
    log.add_argument("--limit", type=int, default=50)
    log.set_defaults(handler=_deliveries)
    replay = verbs.add_parser("replay", help="send a delivery (or every failed one) again")
    replay.add_argument("delivery", type=int, nargs="?")
    replay.add_argument("--subscription", type=int, help="replay its failed deliveries")
    replay.add_argument("--since", help="with --subscription: only those since (ISO 8601)")
    replay.set_defaults(handler=_replay)
    for verb in ("pause", "resume"):
        command = verbs.add_parser(verb, help=f"{verb} a subscription")
        command.add_argument("subscription", type=int)
        command.set_defaults(handler=_pause if verb == "pause" else _resume)


def _sessions() -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(load_settings().resolved_database_url))


def _who() -> str:
    return f"cli:{getpass.getuser()}"


def _add(args: argparse.Namespace) -> int:
    try:
        events = rules.parse_events(args.events)
        with unit_of_work(_sessions()) as session:
            made = webhooks.subscribe(
                session=session,
                clock=SystemClock(),
                url=args.url,
                events=events,
                secret=args.secret,
                by=_who(),
            )
            number, secret = made.id, made.secret
    except (ValueError, Conflict) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"subscription {number}: {args.url} ({', '.join(events)})")
    if not args.secret:
        print(f"secret: {secret}")
    return 0


def _list(args: argparse.Namespace) -> int:
    with unit_of_work(_sessions()) as session:
        counts = webhooks.waiting_counts(session=session)
        print(f"{'id':>4} {'state':<7} {'pending':>7} {'failed':>6} {'sent':>6} url / events")
        for item in webhooks.list_subscriptions(session=session):
            mine = counts.get(item.id, {})
            state = "active" if item.active else "paused"
            print(
                f"{item.id:>4} {state:<7} {mine.get('pending', 0):>7} {mine.get('failed', 0):>6} "
                f"{mine.get('delivered', 0):>6} {item.url} ({','.join(item.events)})"
            )
            if item.pause_reason:
                print(f"{'':>4} paused: {item.pause_reason}")
    return 0


def _deliveries(args: argparse.Namespace) -> int:
    with unit_of_work(_sessions()) as session:
        found = webhooks.list_deliveries(
            session=session,
            subscription_id=args.subscription,
            status=args.status,
            limit=args.limit,
        )
        print(f"{'id':>6} {'sub':>4} {'event':<18} {'status':<9} {'tries':>5} {'last':>4} ticket")
        for d in found:
            replay = f" (replay of {d.replay_of_id})" if d.replay_of_id else ""
            print(
                f"{d.id:>6} {d.subscription_id:>4} ticket.{d.event.kind:<11} {d.status:<9} "
                f"{d.attempts:>5} {d.last_status_code or '-':>4} "
                f"{d.event.payload['ticket']['reference']}{replay}"
            )
            if d.last_error and d.status != "delivered":
                print(f"{'':>6} {d.last_error[:120]}")
    return 0


def _replay(args: argparse.Namespace) -> int:
    try:
        with unit_of_work(_sessions()) as session:
            if args.delivery is not None:
                made = [
                    webhooks.replay(
                        session=session,
                        clock=SystemClock(),
                        delivery_id=args.delivery,
                        by=_who(),
                    )
                ]
            elif args.subscription is not None:
                since = datetime.fromisoformat(args.since) if args.since else None
                if since is not None and since.tzinfo is None:
                    raise ValueError("--since needs a time zone, such as 2026-12-01T00:00+08:00")
                made = webhooks.replay_failed(
                    session=session,
                    clock=SystemClock(),
                    subscription_id=args.subscription,
                    since=since,
                    by=_who(),
                )
            else:
                raise ValueError("give a delivery id, or --subscription")
            ids = [d.id for d in made]
    except (NotFound, Conflict, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"replaying {len(ids)} deliver{'y' if len(ids) == 1 else 'ies'}: {ids}")
    return 0


def _pause(args: argparse.Namespace) -> int:
    try:
        with unit_of_work(_sessions()) as session:
            found = webhooks.get_or_raise(session=session, subscription_id=args.subscription)
            webhooks.pause(
                session=session, clock=SystemClock(), subscription=found, reason=f"by {_who()}"
            )
    except NotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"paused subscription {args.subscription}")
    return 0


def _resume(args: argparse.Namespace) -> int:
    try:
        with unit_of_work(_sessions()) as session:
            found = webhooks.get_or_raise(session=session, subscription_id=args.subscription)
            waiting = webhooks.resume(session=session, clock=SystemClock(), subscription=found)
    except NotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"resumed subscription {args.subscription}; {waiting} waiting deliveries go out now")
    return 0

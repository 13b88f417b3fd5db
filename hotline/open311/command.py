"""`hotline open311 keys add|list|revoke|limit`: the API keys of Open311 clients."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work
from hotline.core.errors import Conflict, NotFound
from hotline.core.settings import load_settings
from hotline.open311 import clients


def register(commands: argparse._SubParsersAction) -> None:
    """Add the `open311` command group."""
    parser = commands.add_parser("open311", help="Open311 GeoReport v2 clients")
    groups = parser.add_subparsers(dest="group", required=True)
    keys = groups.add_parser("keys", help="API keys").add_subparsers(dest="verb", required=True)
    add = keys.add_parser("add", help="make a key for a client; it is printed once")
    add.add_argument("name", help="who the key is for, such as wechat-miniprogram")
    add.add_argument(
        "--rate-limit", type=int, help="requests a minute (default HOTLINE_OPEN311_RATE_LIMIT)"
    )
    add.set_defaults(handler=_add)
    listing = keys.add_parser("list", help="every client and its key's prefix")
    listing.set_defaults(handler=_list)
    revoke = keys.add_parser("revoke", help="stop a key working at once")
    revoke.add_argument("name")
    revoke.set_defaults(handler=_revoke)
    limit = keys.add_parser("limit", help="change a key's requests a minute")
    limit.add_argument("name")
    limit.add_argument("per_minute", type=int)
    limit.set_defaults(handler=_limit)


def _sessions() -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(load_settings().resolved_database_url))


def _add(args: argparse.Namespace) -> int:
    settings = load_settings()
    try:
        with unit_of_work(_sessions()) as session:
            client, key = clients.create(
                session=session,
                clock=SystemClock(),
                name=args.name,
                rate_limit_per_minute=args.rate_limit or settings.open311_rate_limit,
                created_by=f"cli:{getpass.getuser()}",
            )
            limit = client.rate_limit_per_minute
    except Conflict as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(key)
    print(
        f"api_key for {args.name} ({limit} requests a minute); it is not shown again",
        file=sys.stderr,
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    with unit_of_work(_sessions()) as session:
        print(f"{'name':<28} {'key':<12} {'per min':>7} {'active':<6} last used")
        for client in clients.list_clients(session=session):
            last = client.last_used_at.isoformat(timespec="minutes") if client.last_used_at else "-"
            print(
                f"{client.name:<28} {client.key_prefix + '…':<12} "
                f"{client.rate_limit_per_minute:>7} {client.active!s:<6} {last}"
            )
    return 0


def _revoke(args: argparse.Namespace) -> int:
    try:
        with unit_of_work(_sessions()) as session:
            clients.revoke(session=session, clock=SystemClock(), name=args.name)
    except NotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"revoked the key of {args.name}")
    return 0


def _limit(args: argparse.Namespace) -> int:
    try:
        with unit_of_work(_sessions()) as session:
            clients.set_rate_limit(session=session, name=args.name, per_minute=args.per_minute)
    except (NotFound, Conflict) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.name}: {args.per_minute} requests a minute")
    return 0

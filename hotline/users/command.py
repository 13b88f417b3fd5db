"""`hotline users add|list|disable`."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import SystemClock
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work
from hotline.core.errors import Conflict, NotFound
from hotline.core.settings import load_settings
from hotline.users import service as users
from hotline.users.models import UserRole


def register(commands: argparse._SubParsersAction) -> None:
    """Add the `users` command group."""
    parser = commands.add_parser("users", help="console accounts")
    verbs = parser.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="create a user")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in UserRole])
    add.add_argument("--team", help="grid code for grid workers, town/district for supervisors")
    add.add_argument("--language", default="zh-CN", choices=["zh-CN", "en"])
    add.add_argument(
        "--phone",
        help="where the agent's calls ring: E.164 number or SIP URI (sip:li@seats.example)",
    )
    add.add_argument("--member", help="registry member code of a grid worker, such as 1101-01-02")
    add.add_argument(
        "--languages",
        default="zh-CN",
        help="languages an agent takes calls in, comma-separated: zh-CN,en,ko (default zh-CN)",
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the password from standard input",
    )
    add.set_defaults(handler=_add)
    listing = verbs.add_parser("list", help="list users")
    listing.set_defaults(handler=_list)
    off = verbs.add_parser("disable", help="stop a user from signing in")
    off.add_argument("username")
    off.set_defaults(handler=_disable)


def _sessions() -> sessionmaker[Session]:
    return make_sessionmaker(make_engine(load_settings().resolved_database_url))


def _add(args: argparse.Namespace) -> int:
    password = sys.stdin.readline().rstrip("\n")
    try:
        with unit_of_work(_sessions()) as session:
            user = users.create(
                session=session,
                clock=SystemClock(),
                username=args.username,
                password=password,
                role=UserRole(args.role),
                team_code=args.team,
                language=args.language,
                phone=args.phone,
                member_code=args.member,
                languages=tuple(code.strip() for code in args.languages.split(",") if code.strip()),
            )
            team = user.team.code if user.team else "-"
    except (users.InvalidUser, Conflict) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"added {args.username} ({args.role}, team {team})")
    return 0


def _list(args: argparse.Namespace) -> int:
    with unit_of_work(_sessions()) as session:
        print(f"{'username':<20} {'role':<12} {'team':<8} {'active':<6} last login")
        for user in users.list_users(session=session):
            team = user.team.code if user.team else "-"
            last = user.last_login_at.isoformat(timespec="minutes") if user.last_login_at else "-"
            print(f"{user.username:<20} {user.role:<12} {team:<8} {user.active!s:<6} {last}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    try:
        with unit_of_work(_sessions()) as session:
            users.disable(session=session, username=args.username)
    except NotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"disabled {args.username}")
    return 0

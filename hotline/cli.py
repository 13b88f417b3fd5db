"""The `hotline` command."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from hotline.core.database import make_engine, make_sessionmaker, unit_of_work
from hotline.core.migrate import upgrade
from hotline.core.settings import ConfigurationError, load_settings
from hotline.grids import command as grids_command
from hotline.kb import command as kb_command
from hotline.metrics import command as report_command
from hotline.open311 import command as open311_command
from hotline.retention import command as retention_command
from hotline.users import command as users_command
from hotline.webhooks import command as webhooks_command

if TYPE_CHECKING:
    from fastapi import FastAPI

COMMAND_PLUGINS = "hotline.commands"


def _init(args: argparse.Namespace) -> int:
    """Create or migrate the database; --demo seeds the demo town and its knowledge base."""
    from hotline.core.clock import SystemClock
    from hotline.search import maintenance

    settings = load_settings()
    url = settings.resolved_database_url
    upgrade(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    print(f"database ready: {engine.url.render_as_string(hide_password=True)}")
    indexed = maintenance.index_missing(sessions=sessions)
    if indexed:
        print(f"search index: {indexed} ticket(s) indexed")
    if args.demo:
        from hotline.grids import demo
        from hotline.kb import demo as kb_demo

        with unit_of_work(sessions) as session:
            report = demo.seed(session=session)
            articles = kb_demo.seed(session=session, clock=SystemClock())
        print("demo registry seeded:")
        for line in [*report.lines(), *articles.lines()]:
            print(f"  {line}")
    engine.dispose()
    return 0


GRACEFUL_SHUTDOWN_SECONDS = 30  # in-flight webhooks finish; Twilio waits 15 s at most


def serve_app() -> FastAPI:
    """The web app of one `hotline serve` process, built from the environment."""
    from hotline.app import create_app

    settings = load_settings()
    app = create_app(settings)
    if settings.intake_mode == "agent-first" and settings.media_stream_url is None:
        # Media Streams come to this process: load the models now, not on the first call.
        threading.Thread(target=app.state.live_engine.preload, daemon=True).start()
    return app


def _serve(args: argparse.Namespace) -> int:
    """Run the web app with uvicorn: one process, or --workers processes on one socket."""
    import uvicorn

    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    load_settings().check_for_production()  # fail here, not in every worker process
    uvicorn.run(
        "hotline.cli:serve_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, including commands other packages register."""
    parser = argparse.ArgumentParser(prog="hotline", description="Citizen hotline")
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser("init", help="create or migrate the database")
    init.add_argument("--demo", action="store_true", help="also seed the demo town registry")
    init.set_defaults(handler=_init)
    serve = commands.add_parser("serve", help="run the web server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--workers", type=int, default=1, help="web processes sharing the port (default 1)"
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1)",
    )
    serve.set_defaults(handler=_serve)
    grids_command.register(commands)
    kb_command.register(commands)
    users_command.register(commands)
    report_command.register(commands)
    retention_command.register(commands)
    open311_command.register(commands)
    webhooks_command.register(commands)
    for plugin in sorted(entry_points(group=COMMAND_PLUGINS), key=lambda e: e.name):
        plugin.load()(commands)
    return parser


def _exit_on_sigterm(*_: object) -> None:
    # Turn SIGTERM into a normal exit so cleanups (embedded Valkey, child processes) run.
    raise SystemExit(143)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `hotline` console script."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ConfigurationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

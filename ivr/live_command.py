"""`hotline live`: a process that takes Twilio Media Streams, with its speech models loaded."""

from __future__ import annotations

import argparse
import logging
import time

log = logging.getLogger(__name__)


def register(commands: argparse._SubParsersAction) -> None:
    """Add `live`."""
    live = commands.add_parser(
        "live",
        help="serve live transcription of agent calls (route /ivr/media-stream here at scale)",
    )
    live.add_argument("--host", default="127.0.0.1")
    live.add_argument("--port", type=int, default=8001)
    live.add_argument("--log-level", default="info")
    live.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Load every configured model once, then serve the app (its media-stream route is used)."""
    import uvicorn

    from hotline.app import create_app
    from hotline.core.settings import load_settings

    app = create_app(load_settings())
    started = time.perf_counter()
    for language, problem in app.state.live_engine.preload().items():
        log.info("model %s: %s", language, problem or "loaded")
    log.info("models ready in %.1f s", time.perf_counter() - started)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0

"""`hotline worker` (RQ worker, outbox relay, distributor), `hotline relay`, `hotline acd`."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time

from redis import Redis
from rq import Worker
from rq.worker.base import BaseWorker

from hotline.core.processes import spawn, stop
from hotline.core.redis import open_redis
from hotline.core.settings import load_settings
from worker import acd, context
from worker.queues import QUEUES, queue
from worker.relay import relay_once, run_forever
from worker.rq_worker import HotlineWorker, work_forever

log = logging.getLogger(__name__)
MAX_BURST_PASSES = 50
MAINTENANCE_SECONDS = 30  # RQ's registry clean-up; the relays requeue abandoned jobs sooner


def register(commands: argparse._SubParsersAction) -> None:
    """Add `worker` and `relay`."""
    worker = commands.add_parser(
        "worker", help="run the RQ worker, the outbox relay and the call distributor"
    )
    worker.add_argument("--burst", action="store_true", help="process what is queued, then exit")
    worker.add_argument(
        "--jobs-only",
        action="store_true",
        help="run only the RQ worker (a host's `hotline relay` and `hotline acd` run beside it)",
    )
    worker.set_defaults(handler=run_worker)
    relay = commands.add_parser("relay", help="run only the outbox relay")
    relay.set_defaults(handler=run_relay)
    distributor = commands.add_parser(
        "acd", help="run only the call distributor (rings agents, bridges callers)"
    )
    distributor.set_defaults(handler=run_acd)


def drain(
    ctx: context.WorkerContext, redis: Redis, *, worker_class: type[BaseWorker] = Worker
) -> int:
    """Relay and work until the outbox and the queues are empty; returns jobs relayed."""
    total = 0
    for _ in range(MAX_BURST_PASSES):
        moved = relay_once(
            sessions=ctx.sessions, redis=redis, clock=ctx.clock, settings=ctx.settings
        )
        total += moved
        worker_class(list(QUEUES), connection=redis).work(burst=True)
        if moved == 0 and all(queue(name, redis).count == 0 for name in QUEUES):
            break
    return total


def run_worker(args: argparse.Namespace) -> int:
    """Preload speech models, then work jobs (forking per job) while a relay process runs."""
    settings = load_settings()
    stop_requested = False

    def request_stop(*_: object) -> None:
        # Until RQ installs its own handlers, note the request instead of raising mid-start-up.
        nonlocal stop_requested
        stop_requested = True
        HotlineWorker.stop_before_start = True

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    handle = open_redis(settings)
    try:
        ctx = context.build(settings)
        context.install(ctx)
        started = time.perf_counter()
        for language, problem in ctx.speech.preload().items():
            if problem:
                log.warning("model %s not loaded: %s", language, problem)
            else:
                log.info("model %s loaded", language)
        log.info("models ready in %.1f s", time.perf_counter() - started)
        redis = handle.client()
        if args.burst:
            moved = drain(ctx, redis)
            log.info("burst done: %d jobs relayed", moved)
            return 0
        if stop_requested:
            return 0
        env = {**os.environ, "HOTLINE_REDIS_URL": handle.url}
        helpers = [] if args.jobs_only else ["relay", "acd"]
        spawned = [spawn([sys.executable, "-m", "hotline.cli", name], env=env) for name in helpers]
        try:

            def build() -> HotlineWorker:
                return HotlineWorker(
                    list(QUEUES),
                    connection=redis,
                    job_monitoring_interval=settings.job_heartbeat_seconds,
                    maintenance_interval=MAINTENANCE_SECONDS,
                )

            if not stop_requested:
                # RQ's scheduler runs in the relay process: forking it here raced with SIGTERM.
                work_forever(build, redis)
        finally:
            for process in reversed(spawned):
                stop(process)
        return 0
    finally:
        handle.close()


def run_relay(args: argparse.Namespace) -> int:
    """Relay outbox rows to RQ until SIGTERM."""
    settings = load_settings()
    handle = open_redis(settings, start_embedded=False)
    ctx = context.build(settings)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    run_forever(
        sessions=ctx.sessions,
        redis=handle.client(),
        clock=ctx.clock,
        settings=settings,
        should_stop=lambda: stopping,
    )
    return 0


def run_acd(args: argparse.Namespace) -> int:
    """Distribute calls to agents until SIGTERM (needs only the database and the phone network)."""
    ctx = context.build(load_settings())
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    acd.run_forever(ctx, should_stop=lambda: stopping)
    return 0

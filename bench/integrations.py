"""Open311 and webhook speed: POST and GET requests through a real server, webhook sends.

Usage: .venv/bin/python bench/integrations.py [--posts 500] [--database-url URL]
Prints a table; nothing here is asserted. The server is uvicorn on a loopback port (one
process); requests go one at a time from httpx, so the numbers are latency, not a load test.
Webhooks: every delivery the posts made (created + dispatched) sent by the job's own code to a
local receiver that answers 200.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import select  # noqa: E402

from hotline.app import create_app  # noqa: E402
from hotline.core.clock import SystemClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.open311 import clients  # noqa: E402
from hotline.webhooks import delivery  # noqa: E402
from hotline.webhooks import service as webhooks  # noqa: E402
from hotline.webhooks.models import WebhookDelivery  # noqa: E402

PLACES = [
    {"address_string": "1102"},
    {"lat": "39.9025", "long": "116.4075"},
    {"address_string": "西关小学"},
    {"address_id": "H00042"},
]


class Sink(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


def quantiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100)
    return statistics.median(samples), cuts[94], cuts[98]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-integrations-"))
    url = args.database_url or f"sqlite:///{folder / 'hotline.db'}"
    upgrade(url)
    settings = Settings(data_dir=folder, database_url=url)
    sessions = make_sessionmaker(make_engine(url))
    clock = SystemClock()
    sink = ThreadingHTTPServer(("127.0.0.1", 0), Sink)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    with unit_of_work(sessions) as session:
        demo.seed(session=session)
        _, key = clients.create(
            session=session,
            clock=clock,
            name="bench",
            rate_limit_per_minute=100_000,
            created_by="bench",
        )
        webhooks.subscribe(
            session=session,
            clock=clock,
            url=f"http://127.0.0.1:{sink.server_address[1]}/",
            events=["created", "dispatched"],
            secret="bench-secret-0000000",
            by="bench",
        )
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}/open311/v2"
    rows: list[tuple[str, int, float, float, float, float]] = []
    with httpx.Client(timeout=30) as http:
        posts: list[float] = []
        started = time.perf_counter()
        for n in range(args.posts):
            form = {
                "api_key": key,
                "service_code": "sanitation_environment",
                "description": f"第{n}号楼垃圾满了",
                **PLACES[n % len(PLACES)],
            }
            t0 = time.perf_counter()
            answer = http.post(f"{base}/requests.json", data=form)
            posts.append((time.perf_counter() - t0) * 1000)
            assert answer.status_code == 201, answer.text
        wall = time.perf_counter() - started
        rows.append(("POST requests.json", args.posts, args.posts / wall, *quantiles(posts)))
        for size in (100, 1000):
            times = []
            for _ in range(30):
                t0 = time.perf_counter()
                answer = http.get(f"{base}/requests.json?page_size={size}")
                times.append((time.perf_counter() - t0) * 1000)
                assert answer.status_code == 200
            rows.append(
                (f"GET requests.json ({size})", 30, 30 / (sum(times) / 1000), *quantiles(times))
            )
    with unit_of_work(sessions) as session:
        pending = list(session.scalars(select(WebhookDelivery.id).order_by(WebhookDelivery.id)))
    sends = []
    started = time.perf_counter()
    for delivery_id in pending:
        t0 = time.perf_counter()
        delivery.deliver(sessions=sessions, clock=clock, settings=settings, delivery_id=delivery_id)
        sends.append((time.perf_counter() - t0) * 1000)
    wall = time.perf_counter() - started
    rows.append(("webhook delivery job", len(pending), len(pending) / wall, *quantiles(sends)))
    server.should_exit = True
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"\nOpen311 and webhooks ({backend}, one uvicorn process, sequential client)\n")
    heads = ["count", "per s", "p50 ms", "p95 ms", "p99 ms"]
    print(f"| {'what':<26} | " + " | ".join(f"{h:>7}" for h in heads) + " |")
    print(f"|{'-' * 28}|" + "|".join("-" * 9 for _ in heads) + "|")
    for name, count, rate, p50, p95, p99 in rows:
        print(
            f"| {name:<26} | {count:>6} | {rate:>7.1f} | {p50:>7.1f} | {p95:>7.1f} | {p99:>7.1f} |"
        )


if __name__ == "__main__":
    main()

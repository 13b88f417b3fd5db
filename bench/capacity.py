"""Capacity at a city's volume: workers, hang-up → routed, webhooks at 10× Beijing's peak, memory.

Usage: .venv/bin/python bench/capacity.py [--workers 1,2,4] [--calls-per-worker 6]
       [--audio-seconds 30] [--burst-calls 40] [--burst-load 0.7] [--webhook-seconds 20]
       [--web-processes 2] [--postgres ADMIN_URL] [--redis URL] [--large-cost 3]
Runs real `hotline worker` processes (each with its relay) against a simulated carrier, then
`hotline serve --workers N` and a bare FastAPI endpoint under the same open-loop webhook load.
1. Throughput: a backlog of calls, each with a recording of --audio-seconds, for 1, 2, 4 workers;
   calls per hour from the first recording to the last stored transcript.
2. Burst: calls hang up at --burst-load × the measured 2-worker capacity; hang-up (the recording
   webhook's row) → transcript stored and ticket routed (the same transaction), p50/p95.
3. Webhooks: signed `/ivr/voice` posts for new calls at 10 × Beijing's peak (70,000 calls a day,
   peak hour 3× the average, 7 webhooks per IVR call), each timed from its scheduled send.
4. Memory: a worker's RSS after its model loaded, and the most a work horse added privately.
Then prints the sizing model for 70,000 calls a day. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import soundfile  # noqa: E402
from redis import Redis  # noqa: E402
from rq import Worker  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from hotline.calls import intake  # noqa: E402
from hotline.calls import service as calls  # noqa: E402
from hotline.calls.models import Recording  # noqa: E402
from hotline.core.clock import SystemClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.core.valkey import EmbeddedValkey  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.tickets.models import Ticket  # noqa: E402
from hotline.transcripts.models import Transcript  # noqa: E402
from hotline.triage.policy import policy_from_settings  # noqa: E402
from ivr.simulator.recordings import RecordingServer  # noqa: E402

FIXTURES = ROOT / "ivr" / "simulator" / "fixtures"
TOKEN, ACCOUNT = "bench-auth-token", "AC" + "c" * 32
CLOCK = SystemClock()
CALLS_PER_DAY = 70_000
PEAK_FACTOR = 3.0  # the peak hour carries three times the average hour
WEBHOOKS_PER_CALL = 7  # voice, language, kind, place, recording, recording status, call status
PEAK_CALLS_PER_HOUR = CALLS_PER_DAY / 24 * PEAK_FACTOR
HEADROOM = 0.7  # plan cores to run at most 70 % busy in the peak hour
LIVE_CORES_PER_CALL = 0.75  # bench/live.py: both tracks of one agent call, small model


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


@contextmanager
def backend(args: argparse.Namespace) -> Iterator[tuple[str, str, Path]]:
    """A fresh migrated database (PostgreSQL if given, else SQLite) and a flushed Redis."""
    with tempfile.TemporaryDirectory(prefix="capacity-") as directory:
        tmp = Path(directory)
        admin, name, valkey = None, "", None
        if args.postgres:
            admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            name = f"hotline_capacity_{secrets.token_hex(4)}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = admin.url.set(database=name).render_as_string(hide_password=False)
        else:
            url = f"sqlite:///{tmp / 'hotline.db'}"
        try:
            upgrade(url)
            engine = make_engine(url)
            with unit_of_work(make_sessionmaker(engine)) as session:
                demo.seed(session=session)
            engine.dispose()
            if args.redis:
                redis_url = args.redis
                Redis.from_url(redis_url).flushdb()
            else:
                valkey = EmbeddedValkey(tmp / "valkey")
                valkey.start()
                redis_url = valkey.url
            yield url, redis_url, tmp
        finally:
            if valkey is not None:
                valkey.stop()
            if admin is not None:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


def description(seconds: float, folder: Path) -> Path:
    """A caller's description of about `seconds`: the fixtures' speech with pauses, 8 kHz."""
    parts = [
        soundfile.read(FIXTURES / n, dtype="int16")[0] for n in ("ko_water.wav", "ko_pothole.wav")
    ]
    pause = np.zeros(4000, dtype=np.int16)
    pieces: list[np.ndarray] = []
    total = 0
    while total < seconds * 8000:
        said = parts[len(pieces) // 2 % 2]
        pieces += [said, pause]
        total += len(said) + len(pause)
    path = folder / f"description-{int(seconds)}s.wav"
    soundfile.write(path, np.concatenate(pieces)[: int(seconds * 8000)], 8000, subtype="PCM_16")
    return path


def environment(database: str, redis: str, data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        HOTLINE_DATABASE_URL=database,
        HOTLINE_REDIS_URL=redis,
        HOTLINE_DATA_DIR=str(data),
        HOTLINE_TELEPHONY="simulator",
        HOTLINE_TWILIO_ACCOUNT_SID=ACCOUNT,
        HOTLINE_TWILIO_AUTH_TOKEN=TOKEN,
        HOTLINE_INTAKE_MODE="ivr",
        **extra,
    )
    return env


def hang_up(sessions: sessionmaker[Session], url: str, n: int) -> int:
    """One IVR call that ends with its recording (what the recording webhook writes)."""
    with unit_of_work(sessions) as session:
        call = calls.get_or_create(
            session=session,
            clock=CLOCK,
            call_sid="CA" + secrets.token_hex(16),
            from_number=f"+86138{n:08d}",
            to_number="+861012345",
        )
        calls.update_choices(
            call=call, clock=CLOCK, language="ko", category="utilities", location_code="1101"
        )
        sid = "RE" + secrets.token_hex(16)
        intake.add_recording(
            session=session,
            clock=CLOCK,
            policy=policy_from_settings(Settings()),
            call=call,
            recording_sid=sid,
            recording_url=url,
            duration="30",
        )
        recording = calls.get_recording_by_sid(session=session, recording_sid=sid)
        assert recording is not None
        return recording.id


@dataclass
class Workers:
    """`hotline worker --jobs-only` processes and one `hotline relay`, as on a worker host."""

    processes: list[subprocess.Popen[bytes]]
    relay: subprocess.Popen[bytes]

    @classmethod
    def start(cls, count: int, database: str, redis: str, tmp: Path) -> Workers:
        def launch(*args: str, data: Path) -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [sys.executable, "-m", "hotline.cli", *args],
                env=environment(database, redis, data),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )

        relay = launch("relay", data=tmp / "relay")
        started = [launch("worker", "--jobs-only", data=tmp / f"worker-{n}") for n in range(count)]
        client = Redis.from_url(redis)
        deadline = time.monotonic() + 120
        while Worker.count(connection=client) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        if Worker.count(connection=client) < count:
            raise SystemExit("workers did not start within 120 s")
        return cls(started, relay)

    def stop(self) -> None:
        for process in [*self.processes, self.relay]:
            os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.processes, self.relay]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class MemoryWatch:
    """Samples the workers' RSS and their work horses' private memory every 100 ms."""

    def __init__(self, workers: Workers) -> None:
        self.pids = [p.pid for p in workers.processes]
        self.parent_rss = {pid: rss_mb(pid) for pid in self.pids}
        self.horse_private = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.1):
            for pid in self.pids:
                for child in children(pid):
                    self.horse_private = max(self.horse_private, private_mb(child))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def private_mb(pid: int) -> float:
    """Private (unshared) memory of a process: what a forked work horse costs on top."""
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0.0
    total = 0
    for line in lines:
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total += int(line.split()[1])
    return total / 1024


def transcribed(sessions: sessionmaker[Session], ids: list[int]) -> int:
    with sessions() as session:
        query = select(func.count()).select_from(Transcript).where(Transcript.recording_id.in_(ids))
        return int(session.scalar(query) or 0)


def wait_for(sessions: sessionmaker[Session], ids: list[int], limit: float) -> float:
    """Seconds until every recording in `ids` has its transcript (raises after `limit`)."""
    started = time.monotonic()
    while transcribed(sessions, ids) < len(ids):
        if time.monotonic() - started > limit:
            raise SystemExit(f"only {transcribed(sessions, ids)}/{len(ids)} done in {limit:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


def commits(database: str) -> int | None:
    """Transactions committed in this PostgreSQL database so far (None on SQLite)."""
    if not database.startswith("postgresql"):
        return None
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            query = "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
            return int(connection.execute(text(query)).scalar_one())
    finally:
        engine.dispose()


def redis_commands(redis: str) -> int:
    """Commands the Redis server has processed so far."""
    return int(Redis.from_url(redis).info("stats")["total_commands_processed"])


IDLE_SECONDS = 10.0
SETTLE_SECONDS = 10.0


def idle_rates(database: str, redis: str, seconds: float) -> tuple[float | None, float]:
    """Commits and Redis commands per second while nothing happens (polling, heartbeats)."""
    first, commands = commits(database), redis_commands(redis)
    time.sleep(seconds)
    last = commits(database)
    idle = None if first is None or last is None else (last - first) / seconds
    return idle, (redis_commands(redis) - commands) / seconds


@dataclass
class Round:
    workers: int
    calls: int
    seconds: float
    parent_rss: float
    horse_private: float
    commits: float | None  # PostgreSQL transactions per call beyond idle polling (not the IVR's)
    redis_commands: float  # Redis commands per call beyond the idle workers' own

    @property
    def per_hour(self) -> float:
        return self.calls / self.seconds * 3600


def throughput(
    count: int, per_worker: int, database: str, redis: str, tmp: Path, url_of: UrlSource
) -> Round:
    workers = Workers.start(count, database, redis, tmp)
    sessions = make_sessionmaker(make_engine(database))
    try:
        watch = MemoryWatch(workers)
        time.sleep(SETTLE_SECONDS)  # past the workers' start-up (registration, registry clean-up)
        idle_commits, idle_commands = idle_rates(database, redis, IDLE_SECONDS)
        before, commands, started = commits(database), redis_commands(redis), time.monotonic()
        ids = [hang_up(sessions, url_of(), n) for n in range(per_worker * count)]
        seconds = wait_for(sessions, ids, limit=600)
        time.sleep(2)  # the text messages the transcripts queued
        after, elapsed = commits(database), time.monotonic() - started
        per_call = None
        if before is not None and after is not None and idle_commits is not None:
            per_call = (after - before - idle_commits * elapsed) / len(ids)
        used = (redis_commands(redis) - commands - idle_commands * elapsed) / len(ids)
        watch.stop()
        rss = statistics.mean(watch.parent_rss.values())
        return Round(count, len(ids), seconds, rss, watch.horse_private, per_call, used)
    finally:
        workers.stop()


def burst(
    calls_per_second: float, count: int, database: str, redis: str, tmp: Path, url_of: UrlSource
) -> list[float]:
    """Hang-up → routed seconds for `count` calls arriving evenly at `calls_per_second`."""
    workers = Workers.start(2, database, redis, tmp)
    sessions = make_sessionmaker(make_engine(database))
    try:
        ids = []
        start = time.monotonic()
        for n in range(count):
            time.sleep(max(0.0, start + n / calls_per_second - time.monotonic()))
            ids.append(hang_up(sessions, url_of(), 10_000 + n))
        wait_for(sessions, ids, limit=900)
    finally:
        workers.stop()
    with sessions() as session:
        rows = session.execute(
            select(Recording.created_at, Transcript.created_at, Ticket.status)
            .join(Transcript, Transcript.recording_id == Recording.id)
            .join(Ticket, Ticket.call_id == Recording.call_id)
            .where(Recording.id.in_(ids))
        ).all()
    routed = [r for r in rows if r[2] in ("triaged", "dispatched", "accepted")]
    if len(routed) < len(rows):
        print(f"note: {len(rows) - len(routed)} burst tickets were not routed (sent to review)")
    return [seconds(end) - seconds(begin) for begin, end, _ in rows]


def seconds(moment: datetime) -> float:
    return moment.timestamp()


class UrlSource:
    """Publishes one recording per call on the simulated carrier."""

    def __init__(self, server: RecordingServer, audio: Path) -> None:
        self.server, self.audio = server, audio

    def __call__(self) -> str:
        return self.server.add(self.audio)[1]


@dataclass
class Load:
    target: str
    rate: float
    sent: int
    errors: int
    latencies: list[float]
    most_in_flight: int  # the concurrency the web tier (and its database pool) had to serve
    seconds: float  # from the first send to the last answer

    @property
    def served(self) -> float:
        """Answers per second actually achieved (below the rate when the target falls behind)."""
        return self.sent / self.seconds


async def open_loop(
    base: str, rate: float, duration: float, sign: bool
) -> tuple[int, list[float], int, float]:
    """POST /ivr/voice for new calls at `rate` per second; latency from each scheduled send."""
    validator = RequestValidator(TOKEN)
    url = f"{base}/ivr/voice"
    latencies: list[float] = []
    errors = in_flight = most = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(scheduled: float) -> None:
            nonlocal errors, in_flight, most
            params = {
                "CallSid": "CA" + secrets.token_hex(16),
                "AccountSid": ACCOUNT,
                "From": f"+86139{secrets.randbelow(10**8):08d}",
                "To": "+861012345",
                "CallStatus": "ringing",
                "Direction": "inbound",
            }
            headers = (
                {"X-Twilio-Signature": validator.compute_signature(url, params)} if sign else {}
            )
            in_flight += 1
            most = max(most, in_flight)
            try:
                answer = await client.post(url, data=params, headers=headers)
                if answer.status_code != 200:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            in_flight -= 1
            latencies.append(time.monotonic() - scheduled)

        start = time.monotonic() + 0.5
        tasks = []
        for n in range(int(rate * duration)):
            scheduled = start + n / rate
            await asyncio.sleep(max(0.0, scheduled - time.monotonic()))
            tasks.append(asyncio.create_task(one(scheduled)))
        await asyncio.gather(*tasks)
    return errors, latencies, most, time.monotonic() - start


def serve(command: list[str], env: dict[str, str], base: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        command,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                time.sleep(2)  # every web process up, not only the first
                return process
        except httpx.TransportError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    raise SystemExit(f"{command} did not become ready")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def webhooks(args: argparse.Namespace, database: str, redis: str, tmp: Path) -> list[Load]:
    """hotline serve at Beijing's peak and at ten times it, then the bare endpoint at ten times."""
    peak = PEAK_CALLS_PER_HOUR / 3600 * WEBHOOKS_PER_CALL
    results = []
    for target, rate in (
        ("hotline serve", peak),
        ("hotline serve", 10 * peak),
        ("bare FastAPI", 10 * peak),
    ):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = environment(database, redis, tmp / "web", HOTLINE_PUBLIC_BASE_URL=base)
        workers = str(args.web_processes)
        if target == "hotline serve":
            command = [sys.executable, "-m", "hotline.cli", "serve", "--workers", workers]
        else:
            command = [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.bare_webhook:app",
                "--workers",
                workers,
            ]
        process = serve([*command, "--port", str(port), "--log-level", "warning"], env, base)
        try:
            errors, latencies, most, seconds = asyncio.run(
                open_loop(base, rate, args.webhook_seconds, sign=target == "hotline serve")
            )
        finally:
            stop(process)
        results.append(Load(target, rate, len(latencies), errors, latencies, most, seconds))
    return results


def sizing(per_worker_hour: float, live_calls: float, rss: float, large_cost: float) -> list[str]:
    """How many of each part 70,000 calls a day need (the model, from the measured numbers)."""
    peak = PEAK_CALLS_PER_HOUR
    rows = []
    for model, cost, memory in (("small", 1.0, rss), ("large", large_cost, 16 * 1024.0)):
        workers = math.ceil(peak / (per_worker_hour / cost) / HEADROOM)
        live = math.ceil(live_calls * LIVE_CORES_PER_CALL * cost / HEADROOM)
        rows.append(
            f"| {model} | {workers} | {live} | {memory / 1024:.1f} GiB per worker host "
            f"(shared by its forks) |"
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--calls-per-worker", type=int, default=6)
    parser.add_argument("--audio-seconds", type=float, default=30.0)
    parser.add_argument("--burst-calls", type=int, default=40)
    parser.add_argument("--burst-load", type=float, default=0.7)
    parser.add_argument("--webhook-seconds", type=float, default=20.0)
    parser.add_argument("--web-processes", type=int, default=2)
    parser.add_argument("--talk-seconds", type=float, default=240.0, help="agent call length")
    parser.add_argument("--large-cost", type=float, default=3.0, help="large/small decode CPU")
    parser.add_argument("--postgres", help="admin URL; a fresh database is made and dropped")
    parser.add_argument("--redis", help="a Redis URL whose database may be flushed")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]

    with backend(args) as (database, redis, tmp):
        carrier = RecordingServer(ACCOUNT, TOKEN).start()
        url_of = UrlSource(carrier, description(args.audio_seconds, tmp))
        try:
            rounds = [
                throughput(n, args.calls_per_worker, database, redis, tmp, url_of) for n in counts
            ]
            two = next((r for r in rounds if r.workers == 2), rounds[-1])
            burst_rate = args.burst_load * two.per_hour / 3600
            latencies = burst(burst_rate, args.burst_calls, database, redis, tmp, url_of)
            loads = webhooks(args, database, redis, tmp)
        finally:
            carrier.stop()

    backend_name = "PostgreSQL + Redis" if args.postgres else "SQLite + embedded Valkey"
    print(f"\n{backend_name}; recordings of {args.audio_seconds:.0f} s; {os.cpu_count()} cores\n")
    print(
        "| workers | calls | seconds | calls/hour | calls/hour per worker | worker RSS"
        " | horse private | PG commits/call | Redis commands/call |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rounds:
        per_call = "—" if r.commits is None else f"{r.commits:.0f}"
        print(
            f"| {r.workers} | {r.calls} | {r.seconds:.1f} | {r.per_hour:.0f} | "
            f"{r.per_hour / r.workers:.0f} | {r.parent_rss:.0f} MB | {r.horse_private:.0f} MB | "
            f"{per_call} | {r.redis_commands:.0f} |"
        )
    print(f"\nBurst: {args.burst_calls} calls at {burst_rate * 3600:.0f}/hour on 2 workers")
    print("| hang-up → routed p50 | p95 | max |\n|---:|---:|---:|")
    print(
        f"| {pct(latencies, 0.5):.1f} s | {pct(latencies, 0.95):.1f} s | {max(latencies):.1f} s |"
    )
    print(f"\nWebhooks (new calls' /ivr/voice), {args.web_processes} processes each")
    print(
        "| target | rate | answered/s | errors | p50 | p99 | most in flight |\n"
        "|---|---:|---:|---:|---:|---:|---:|"
    )
    for load in loads:
        print(
            f"| {load.target} | {load.rate:.0f}/s | {load.served:.0f} | {load.errors} | "
            f"{pct(load.latencies, 0.5) * 1000:.1f} ms | "
            f"{pct(load.latencies, 0.99) * 1000:.1f} ms | {load.most_in_flight} |"
        )
    best = max(r.per_hour / r.workers for r in rounds)
    per_worker = min(r.per_hour / r.workers for r in rounds if r.workers <= (os.cpu_count() or 1))
    live_calls = PEAK_CALLS_PER_HOUR * args.talk_seconds / 3600
    print(
        f"\nSizing for {CALLS_PER_DAY:,} calls/day, peak hour {PEAK_CALLS_PER_HOUR:.0f} calls "
        f"({PEAK_FACTOR:.0f}× average), every call recorded by the IVR ({per_worker:.0f} "
        f"calls/hour per worker core measured, best {best:.0f}); agent-first: "
        f"{live_calls:.0f} agent calls at once ({args.talk_seconds:.0f} s each), "
        f"{LIVE_CORES_PER_CALL} core per live call; cores ≤ {HEADROOM:.0%} busy"
    )
    print("| model | worker cores (IVR mode) | live-transcription cores (agent-first) | memory |")
    print("|---|---:|---:|---|")
    rss = max(r.parent_rss + r.horse_private for r in rounds)
    for row in sizing(per_worker, live_calls, rss, args.large_cost):
        print(row)
    peak_calls = PEAK_CALLS_PER_HOUR / 3600
    peak_hooks = peak_calls * WEBHOOKS_PER_CALL
    served = loads[1]
    per_process = served.served / args.web_processes
    web = max(2, math.ceil(peak_hooks / per_process / HEADROOM))
    pg = [r.commits for r in rounds if r.commits is not None]
    workers = math.ceil(PEAK_CALLS_PER_HOUR / per_worker / HEADROOM)
    print("\n| part | peak-hour load | measured here | plan |\n|---|---:|---:|---|")
    print(
        f"| web processes | {peak_hooks:.0f} webhooks/s | {per_process:.0f}/s per process "
        f"(answered in the 10× run) | {web} processes on 2 hosts (N+1) |"
    )
    if pg:
        print(
            f"| PostgreSQL | {max(pg) * peak_calls + peak_hooks:.0f} commits/s | "
            f"{max(pg):.0f} commits per recorded call, 1 per webhook | one primary + a "
            f"standby; {web * 40 + workers * 2} connections at most |"
        )
    commands = max(r.redis_commands for r in rounds)
    print(
        f"| Redis | {commands * peak_calls:.0f} commands/s | {commands:.0f} per call "
        f"| one primary + a replica, 1 GB |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

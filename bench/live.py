"""Live transcription under load: N concurrent real-time Media Streams against a real server.

Usage: .venv/bin/python bench/live.py [--streams 0,1,2,4,6] [--seconds 30] [--rate 10]
       [--layouts inline,separate]
Starts `hotline serve` (and, for the `separate` layout, `hotline live` for the streams) on
SQLite with an embedded Valkey, creates answered calls, then for each N streams N calls in real
time (20 ms μ-law frames, caller speech on the inbound track, the agent's after it on the
outbound track) while a client posts signed `/ivr/voice` webhooks at `--rate` per second.
Partial-result lag is how far a partial guess trails the audio: the moment the bench first sees
it in Redis (polled every 50 ms) minus the stream's start, minus the audio time the guess
covers. CPU per stream is the servers' CPU time over the run divided by wall time and N.
Prints a table; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
from redis import Redis  # noqa: E402
from twilio.request_validator import RequestValidator  # noqa: E402

from hotline.calls import service as calls  # noqa: E402
from hotline.core.clock import SystemClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.valkey import EmbeddedValkey  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.queue import service as queue  # noqa: E402
from ivr.simulator.media import MediaStreamClient, load_8k  # noqa: E402

FIXTURES = ROOT / "ivr" / "simulator" / "fixtures"
TOKEN, ACCOUNT = "bench-auth-token", "AC" + "b" * 32
CLOCK = SystemClock()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def speech(seconds: float) -> tuple[np.ndarray, np.ndarray]:
    """Caller turns and agent turns, alternating, `seconds` long on each track."""
    caller = [load_8k(FIXTURES / name) for name in ("ko_water.wav", "ko_pothole.wav")]
    agent = load_8k(FIXTURES / "ko_noise.wav")
    inbound, outbound = [], []
    total = 0
    turn = 0
    while total < seconds * 8000:
        said = caller[turn % 2]
        pause = np.zeros(4000, dtype=np.int16)
        inbound += [said, np.zeros(len(agent), dtype=np.int16), pause]
        outbound += [np.zeros(len(said), dtype=np.int16), agent, pause]
        total += len(said) + len(agent) + len(pause)
        turn += 1
    limit = int(seconds * 8000)
    return np.concatenate(inbound)[:limit], np.concatenate(outbound)[:limit]


@dataclass
class Servers:
    """The processes under test and where they listen."""

    web: str
    stream_url: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def cpu_seconds(self) -> float:
        """User plus system CPU of every server process so far."""
        total = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for process in self.processes:
            fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        return total

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=20)


def start(layout: str, data: Path, redis_url: str, env_base: dict[str, str]) -> Servers:
    port = free_port()
    env = {
        **env_base,
        "HOTLINE_DATA_DIR": str(data),
        "HOTLINE_REDIS_URL": redis_url,
        "HOTLINE_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "HOTLINE_TWILIO_AUTH_TOKEN": TOKEN,
        "HOTLINE_TWILIO_ACCOUNT_SID": ACCOUNT,
        "HOTLINE_API_TOKENS": "bench",
    }
    stream_url = f"ws://127.0.0.1:{port}/ivr/media-stream"
    servers = Servers(f"http://127.0.0.1:{port}", stream_url)
    if layout == "separate":
        live_port = free_port()
        stream_url = f"ws://127.0.0.1:{live_port}/ivr/media-stream"
        env["HOTLINE_MEDIA_STREAM_URL"] = stream_url
        servers.stream_url = stream_url
        servers.processes.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "hotline.cli",
                    "live",
                    "--port",
                    str(live_port),
                    "--log-level",
                    "warning",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    servers.processes.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hotline.cli",
                "serve",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    )
    deadline = time.monotonic() + 60
    for url in {servers.web, stream_url.replace("ws://", "http://").rsplit("/ivr", 1)[0]}:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not start")
            time.sleep(0.2)
    return servers


def answered_calls(url: str, count: int, prefix: str) -> list[str]:
    """Calls an agent has answered (the only calls a stream is accepted for)."""
    engine = make_engine(url)
    sids = []
    with unit_of_work(make_sessionmaker(engine)) as session:
        for n in range(count):
            sid = f"CA{prefix}{n:0{32 - len(prefix)}d}"
            call = calls.get_or_create(
                session=session,
                clock=CLOCK,
                call_sid=sid,
                from_number="+8613700000001",
                to_number="",
            )
            call.language = "ko"
            entry = queue.enqueue(session=session, clock=CLOCK, call=call)
            queue.answered(entry=entry, clock=CLOCK, agent="bench")
            sids.append(sid)
    engine.dispose()
    return sids


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def webhooks(base: str, rate: float, stop: threading.Event, out: list[float]) -> None:
    """Signed /ivr/voice posts at a steady rate; latency of each in ms."""
    validator = RequestValidator(TOKEN)
    url = f"{base}/ivr/voice"
    n = 0
    with httpx.Client(timeout=15) as client:
        next_at = time.monotonic()
        while not stop.is_set():
            n += 1
            params = {
                "CallSid": f"CAw{os.getpid()}{n:020d}",
                "AccountSid": ACCOUNT,
                "From": "+8613800000000",
                "To": "+861012345",
                "CallStatus": "ringing",
            }
            signature = validator.compute_signature(url, params)
            began = time.perf_counter()
            client.post(url, data=params, headers={"X-Twilio-Signature": signature})
            out.append((time.perf_counter() - began) * 1000)
            next_at += 1 / rate
            time.sleep(max(0.0, next_at - time.monotonic()))


def watch(
    redis: Redis,
    sids: list[str],
    starts: dict[str, float],
    stop: threading.Event,
    lags: list[float],
) -> None:
    """Poll every stream's partials in Redis; lag = seen - start - audio covered."""
    seen: dict[tuple[str, str], str] = {}
    while not stop.is_set():
        now = time.monotonic()
        for sid in sids:
            if sid not in starts:
                continue
            for track, raw in redis.hgetall(f"hotline:live:{sid}").items():
                partial = json.loads(raw)
                key = (sid, str(track))
                if seen.get(key) != partial["text"]:
                    seen[key] = partial["text"]
                    lags.append(now - starts[sid] - float(partial["end"]))
        time.sleep(0.05)


def run(
    layout: str,
    count: int,
    seconds: float,
    rate: float,
    data: Path,
    redis_url: str,
    db: str,
    env: dict[str, str],
    round_no: int,
) -> dict[str, object]:
    servers = start(layout, data, redis_url, env)
    try:
        warm = answered_calls(db, 1, f"w{round_no}")
        MediaStreamClient(
            url=servers.stream_url,
            auth_token=TOKEN,
            account_sid=ACCOUNT,
            call_sid=warm[0],
            parameters={"language": "ko"},
        ).stream(load_8k(FIXTURES / "ko_water.wav")[:8000])  # load the model before measuring
        sids = answered_calls(db, count, f"r{round_no}")
        inbound, outbound = speech(seconds)
        starts: dict[str, float] = {}
        lags: list[float] = []
        latencies: list[float] = []
        stop = threading.Event()
        redis = Redis.from_url(redis_url)

        def stream(sid: str) -> None:
            client = MediaStreamClient(
                url=servers.stream_url,
                auth_token=TOKEN,
                account_sid=ACCOUNT,
                call_sid=sid,
                parameters={"language": "ko"},
            )
            starts[sid] = time.monotonic()
            client.stream(inbound, outbound, realtime=True)

        helpers = [
            threading.Thread(target=webhooks, args=(servers.web, rate, stop, latencies)),
            threading.Thread(target=watch, args=(redis, sids, starts, stop, lags)),
        ]
        cpu_before, wall_before = servers.cpu_seconds(), time.monotonic()
        for helper in helpers:
            helper.start()
        streams = [threading.Thread(target=stream, args=(sid,)) for sid in sids]
        for thread in streams:
            thread.start()
        if not streams:
            time.sleep(seconds)
        for thread in streams:
            thread.join(timeout=seconds * 3)
        stop.set()
        for helper in helpers:
            helper.join(timeout=10)
        cpu = servers.cpu_seconds() - cpu_before
        wall = time.monotonic() - wall_before
        return {
            "layout": layout,
            "streams": count,
            "lag_p50": percentile(lags, 0.5),
            "lag_p95": percentile(lags, 0.95),
            "partials": len(lags),
            "cpu_per_stream": cpu / wall / count if count else None,
            "cpu_total": cpu / wall,
            "hook_p50": percentile(latencies, 0.5),
            "hook_p99": percentile(latencies, 0.99),
            "hooks": len(latencies),
        }
    finally:
        servers.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", default="0,1,2,4,6")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=10.0, help="webhooks per second")
    parser.add_argument("--layouts", default="inline,separate")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-live-") as scratch:
        data = Path(scratch)
        db = f"sqlite:///{data / 'hotline.db'}"
        upgrade(db)
        engine = make_engine(db)
        with unit_of_work(make_sessionmaker(engine)) as session:
            demo.seed(session=session)
        engine.dispose()
        valkey = EmbeddedValkey(data / "valkey")
        valkey.start()
        try:
            round_no = 0
            for layout in args.layouts.split(","):
                for count in (int(n) for n in args.streams.split(",")):
                    round_no += 1
                    rows.append(
                        run(
                            layout,
                            count,
                            args.seconds,
                            args.rate,
                            data,
                            valkey.url,
                            db,
                            env,
                            round_no,
                        )
                    )
                    print(rows[-1], file=sys.stderr)
        finally:
            valkey.stop()

    def ms(value: object) -> str:
        return "—" if value is None else f"{float(str(value)) * 1000:.0f} ms"

    def pct(value: object) -> str:
        return "—" if value is None else f"{float(str(value)) * 100:.0f}%"

    def lat(value: object) -> str:
        return "—" if value is None else f"{float(str(value)):.1f} ms"

    print(
        f"\n{args.seconds:.0f} s of real-time audio per stream, webhooks at {args.rate:.0f}/s, "
        f"{os.cpu_count()} cores\n"
    )
    print(
        "| layout | streams | partial lag p50 | partial lag p95 | partials | CPU per stream "
        "| servers' CPU | webhook p50 | webhook p99 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['layout']} | {row['streams']} | {ms(row['lag_p50'])} | "
            f"{ms(row['lag_p95'])} | {row['partials']} | {pct(row['cpu_per_stream'])} | "
            f"{pct(row['cpu_total'])} | {lat(row['hook_p50'])} | {lat(row['hook_p99'])} |"
        )


if __name__ == "__main__":
    main()

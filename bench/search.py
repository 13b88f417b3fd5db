"""Search speed: the knowledge base and ticket search with 100,000 tickets and 5,000 articles.

Usage: .venv/bin/python bench/search.py [--tickets 100000] [--articles 5000] [--rounds 40]
       [--database postgresql+psycopg://postgres@127.0.0.1:5432/test]
Creates (and afterwards drops) a scratch database `hotline_bench_search`, bulk-loads tickets
with calls, recordings and varied Chinese transcripts, then times how long the index takes to
build for them (`hotline init` does the same for tickets written before the index existed) and
for the articles (written through the knowledge-base service, one version each). Then it times
the API as clients use it: GET /api/v1/kb/search with questions as callers put them, and
GET /api/v1/tickets?q= with two-character Chinese words, a reference and part of a number;
the console's list for a word with its total (`list+count`); beside them, the scan the engine
replaced (ILIKE over summaries and transcripts, page and total) on the same rows. Prints a
table; nothing here is asserted. Target: p95 <= 100 ms for each kind.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import func, insert, or_, select, text  # noqa: E402

from bench.scratch import drop, p50_p95, scratch_url  # noqa: E402
from hotline.app import create_app  # noqa: E402
from hotline.calls.models import Call, Recording  # noqa: E402
from hotline.core.clock import FixedClock  # noqa: E402
from hotline.core.database import make_engine, make_sessionmaker, unit_of_work  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.grids import demo  # noqa: E402
from hotline.kb import demo as kb_demo  # noqa: E402
from hotline.kb import service as kb  # noqa: E402
from hotline.kb.schemas import ArticleData, ArticleTextData  # noqa: E402
from hotline.search import maintenance  # noqa: E402
from hotline.tickets import queries  # noqa: E402
from hotline.tickets.models import Ticket  # noqa: E402
from hotline.transcripts.models import Transcript  # noqa: E402
from hotline.users.permissions import Actor  # noqa: E402

SCRATCH = "hotline_bench_search"
TOKEN = "bench-token"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
PLACES = ["东湖社区", "柳树村", "3号楼", "幼儿园门口", "菜市场", "东湖公园", "地下车库", "十字路口"]
PROBLEMS = [
    "井盖丢了",
    "停水一整天",
    "路灯不亮",
    "楼上漏水",
    "垃圾没人清运",
    "装修噪音太大",
    "暖气不热",
    "停电了",
    "占道经营",
    "积水很深",
    "低保申请",
    "老人没人照顾",
    "广场舞扰民",
    "电梯坏了",
]
FILLER = [
    "请尽快处理",
    "已经好几天了",
    "我们反映过",
    "麻烦派人来看看",
    "孩子上学不方便",
    "晚上很危险",
]
CATEGORIES = [
    "utilities",
    "roads_facilities",
    "sanitation_environment",
    "noise_disputes",
    "social_assistance",
    "other",
]
KB_QUESTIONS = [
    "我们小区今天停水了什么时候来水",
    "家里突然停电了怎么办",
    "暖气片一直不热",
    "楼上装修太吵了几点可以施工",
    "大件垃圾怎么扔",
    "低保怎么申请需要什么材料",
    "老人吃饭有没有补助",
    "我想查一下我的工单进度",
]
TICKET_WORDS = ["井盖", "停水", "路灯", "漏水", "噪音", "积水"]


def sentence(rng: random.Random) -> str:
    """A caller's complaint: a place, one or two problems, something more."""
    parts = [rng.choice(PLACES), *rng.sample(PROBLEMS, rng.choice([1, 2])), rng.choice(FILLER)]
    return "，".join(parts)


def fill_tickets(url: str, count: int) -> None:
    """Bulk-insert tickets with calls, recordings and transcripts (no index documents)."""
    rng = random.Random(11)
    engine = make_engine(url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        demo.seed(session=session)
    with engine.begin() as connection:
        for start in range(0, count, 10_000):
            calls, recordings, transcripts, tickets = [], [], [], []
            for n in range(start + 1, min(count, start + 10_000) + 1):
                created = NOW - timedelta(minutes=rng.randint(0, 180 * 24 * 60))
                caller = f"+86137{rng.randint(0, 99_999_999):08d}"
                calls.append(
                    {
                        "id": n,
                        "call_sid": f"CA{n:032d}",
                        "from_number": caller,
                        "to_number": "+861012345",
                        "language": "zh-CN",
                        "status": "completed",
                        "fallback": False,
                        "started_at": created,
                        "updated_at": created,
                    }
                )
                recordings.append(
                    {
                        "id": n,
                        "recording_sid": f"RE{n:032d}",
                        "call_id": n,
                        "source_url": "https://api.twilio.com/x",
                        "download_status": "downloaded",
                        "created_at": created,
                    }
                )
                heard = sentence(rng)
                transcripts.append(
                    {
                        "recording_id": n,
                        "status": "ok",
                        "text": heard,
                        "words": [],
                        "created_at": created,
                    }
                )
                tickets.append(
                    {
                        "id": n,
                        "reference": f"{created.year}-{n:06d}",
                        "call_id": n,
                        "status": "closed",
                        "channel": "ivr",
                        "category": rng.choice(CATEGORIES),
                        "caller": caller,
                        "language": "zh-CN",
                        "fallback": False,
                        "needs_listening": False,
                        "needs_review": False,
                        "escalation_level": 0,
                        "summary": heard[:20] if n % 3 == 0 else None,
                        "created_at": created,
                        "updated_at": created,
                    }
                )
            connection.execute(insert(Call), calls)
            connection.execute(insert(Recording), recordings)
            connection.execute(insert(Transcript), transcripts)
            connection.execute(insert(Ticket), tickets)
    engine.dispose()


def fill_articles(url: str, count: int) -> float:
    """The demo articles plus generated ones through the service; returns seconds."""
    rng = random.Random(5)
    engine = make_engine(url)
    started = time.perf_counter()
    with unit_of_work(make_sessionmaker(engine)) as session:
        clock = FixedClock(NOW)
        kb_demo.seed(session=session, clock=clock)
        for n in range(count - kb.count(session=session)):
            topic = rng.sample(PROBLEMS, 2)
            words = [p[:2] for p in topic] + [rng.choice(PLACES)]
            kb.save(
                session=session,
                clock=clock,
                author="bench",
                data=ArticleData(
                    code=f"gen-{n:05d}",
                    category=rng.choice(CATEGORIES),
                    texts={
                        "zh-CN": ArticleTextData(
                            f"{topic[0]}和{topic[1]}的处理办法（{n}）",
                            "。".join(sentence(rng) for _ in range(4)),
                            tuple(words),
                        )
                    },
                ),
            )
    engine.dispose()
    return time.perf_counter() - started


def timed(
    client: TestClient, path: str, params: dict[str, str], rounds: int
) -> tuple[float, float, int]:
    """p50 and p95 milliseconds and the hits of the last answer."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    client.get(path, params=params, headers=headers)  # warm the pool and the caches
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get(path, params=params, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
    return (*p50_p95(times), len(answer.json()["items"]))


def console_list(url: str, word: str, rounds: int) -> tuple[float, float, int]:
    """The console's list for a word: the first page and the total, as the page shows both."""
    engine = make_engine(url)
    agent = Actor(name="agent", role="agent")
    times, hits = [], 0
    with make_sessionmaker(engine)() as session:
        for _ in range(rounds + 1):
            started = time.perf_counter()
            page = queries.search(
                session=session,
                actor=agent,
                query=queries.TicketQuery(text=word),
                now=NOW,
                timezone="Asia/Shanghai",
            )
            hits = len(page.items)
            times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return (*p50_p95(times[1:]), hits)


def old_scan(url: str, word: str, rounds: int) -> tuple[float, float, int]:
    """The clause search used before (ILIKE over summaries, transcripts and corrections)."""
    engine = make_engine(url)
    pattern = f"%{word}%"
    spoken = Ticket.call_id.in_(
        select(Recording.call_id)
        .join(Transcript, Recording.id == Transcript.recording_id)
        .where(or_(Transcript.text.ilike(pattern), Transcript.corrected_text.ilike(pattern)))
    )
    query = select(Ticket.id).where(or_(Ticket.summary.ilike(pattern), spoken))
    times, hits = [], 0
    with make_sessionmaker(engine)() as session:
        for _ in range(rounds + 1):
            started = time.perf_counter()
            hits = len(session.scalars(query.order_by(Ticket.id.desc()).limit(50)).all())
            session.scalar(select(func.count()).select_from(query.subquery()))
            times.append((time.perf_counter() - started) * 1000)
    engine.dispose()
    return (*p50_p95(times[1:]), hits)


def main() -> None:
    """Fill, index, measure, print, drop."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--database", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    url = scratch_url(args.database, SCRATCH)
    try:
        upgrade(url)
        started = time.perf_counter()
        fill_tickets(url, args.tickets)
        loaded = time.perf_counter() - started
        print(f"loaded {args.tickets:,} tickets with transcripts in {loaded:.1f} s")
        engine = make_engine(url)
        started = time.perf_counter()
        indexed = maintenance.index_missing(sessions=make_sessionmaker(engine))
        ticket_index = time.perf_counter() - started
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        engine.dispose()
        article_seconds = fill_articles(url, args.articles)
        print(
            f"index built for {indexed:,} tickets in {ticket_index:.1f} s "
            f"({ticket_index / max(indexed, 1) * 1e6:.0f} µs each)"
        )
        print(f"{args.articles:,} articles saved (version, index) in {article_seconds:.1f} s")
        rows = []
        with tempfile.TemporaryDirectory() as directory:
            settings = Settings(data_dir=Path(directory), database_url=url, api_tokens=[TOKEN])
            with TestClient(create_app(settings, clock=FixedClock(NOW))) as client:
                for question in KB_QUESTIONS:
                    rows.append(
                        (
                            "kb",
                            question,
                            *timed(
                                client,
                                "/api/v1/kb/search",
                                {"q": question, "language": "zh-CN"},
                                args.rounds,
                            ),
                        )
                    )
                for word in TICKET_WORDS:
                    rows.append(
                        (
                            "tickets",
                            word,
                            *timed(client, "/api/v1/tickets", {"q": word}, args.rounds),
                        )
                    )
                rows.append(
                    (
                        "reference",
                        "2026-000123",
                        *timed(client, "/api/v1/tickets", {"q": "2026-000123"}, args.rounds),
                    )
                )
                rows.append(
                    (
                        "phone",
                        "+8613712",
                        *timed(client, "/api/v1/tickets", {"q": "+8613712"}, args.rounds),
                    )
                )
        for word in TICKET_WORDS[:2]:
            rows.append(("list+count", word, *console_list(url, word, args.rounds)))
        for word in TICKET_WORDS[:2]:
            rows.append(("old scan", word, *old_scan(url, word, max(5, args.rounds // 4))))
    finally:
        drop(args.database, SCRATCH)
    print(f"\n{'kind':<10} {'p50 ms':>8} {'p95 ms':>8} {'hits':>5}  {'target':<9} query")
    for kind, query, p50, p95, hits in rows:
        verdict = "—" if kind == "old scan" else ("ok" if p95 <= 100 else "over 100")
        print(f"{kind:<10} {p50:8.1f} {p95:8.1f} {hits:>5}  {verdict:<9} {query}")


if __name__ == "__main__":
    main()

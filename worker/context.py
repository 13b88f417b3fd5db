"""Per-process resources for jobs, rebuilt safely after RQ forks a work horse."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls.store import RecordingStore, make_store
from hotline.core.clock import Clock, SystemClock
from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.settings import Settings, load_settings
from hotline.surveys.policy import SurveyPolicy, survey_policy
from hotline.telephony.port import Telephony, make_telephony
from hotline.triage.policy import TriagePolicy, policy_from_settings
from transcription.engine import VoskEngine, use_engine
from transcription.registry import resolve_models


@dataclass
class WorkerContext:
    """Settings, database, clock, telephony and speech engine shared by this process's jobs."""

    settings: Settings
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    telephony: Telephony
    store: RecordingStore
    speech: VoskEngine
    policy: TriagePolicy
    surveys: SurveyPolicy


_context: WorkerContext | None = None
_pid: int | None = None


def build(settings: Settings, *, clock: Clock | None = None) -> WorkerContext:
    """Create the resources jobs need; the speech models are not loaded yet."""
    assert settings.models_dir is not None
    engine = make_engine(settings.resolved_database_url)
    speech = VoskEngine(resolve_models(settings.vosk_models, settings.models_dir))
    policy = policy_from_settings(settings)
    return WorkerContext(
        settings=settings,
        clock=clock or SystemClock(),
        engine=engine,
        sessions=make_sessionmaker(engine),
        telephony=make_telephony(settings),
        store=make_store(settings),
        speech=speech,
        policy=policy,
        surveys=survey_policy(settings, policy),
    )


def install(context: WorkerContext) -> None:
    """Make `context` the one jobs in this process (and forks of it) use."""
    global _context, _pid
    _context, _pid = context, os.getpid()
    use_engine(context.speech)


def current() -> WorkerContext:
    """This process's context, built from the environment on first use."""
    global _pid
    if _context is None:
        install(build(load_settings()))
    assert _context is not None
    if _pid != os.getpid():
        # A forked work horse must not share the parent's database sockets.
        _context.engine.dispose(close=False)
        _pid = os.getpid()
    return _context

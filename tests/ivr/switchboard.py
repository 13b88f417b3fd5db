"""A whole agent-first line for tests: the app, the simulated carrier, and a running distributor."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import Clock
from hotline.seats import service as seats
from hotline.users import service as users
from hotline.users.models import UserRole
from ivr.simulator.carrier import Carrier
from ivr.simulator.network import PhoneScript
from ivr.simulator.recordings import RecordingServer
from tests.agent_console.arrange import PASSWORD
from tests.conftest import ACCOUNT_SID, AUTH_TOKEN, LiveServer
from worker import acd, context

NUMBER = "+861012345"


@dataclass
class Switchboard:
    """What a test drives: the live app, the carrier, and the distributor's context."""

    live: LiveServer
    carrier: Carrier
    ctx: context.WorkerContext
    sessions: sessionmaker[Session]
    clock: Clock

    def agent(
        self,
        username: str,
        phone: str,
        *,
        languages: tuple[str, ...] = ("zh-CN",),
        script: PhoneScript | None = None,
        available: bool = True,
        role: UserRole = UserRole.AGENT,
        team: str | None = None,
    ) -> None:
        """An agent whose phone follows a script, available (or not) for calls."""
        with self.ctx.sessions.begin() as session:  # write-first: the distributor is running
            users.create(
                session=session,
                clock=self.clock,
                username=username,
                password=PASSWORD,
                role=role,
                languages=languages,
                phone=phone,
                team_code=team,
            )
            if available:
                seats.choose_state(
                    session=session, clock=self.clock, username=username, state="available"
                )
        self.carrier.phones[phone] = script or PhoneScript()


@contextmanager
def switchboard(
    live: LiveServer,
    sessions: sessionmaker[Session],
    clock: Clock,
    *,
    realtime: bool = False,
    ring_seconds: int = 20,
) -> Iterator[Switchboard]:
    """Start the carrier and a distributor polling every 0.1 s; stop both afterwards."""
    recordings = RecordingServer(ACCOUNT_SID, AUTH_TOKEN).start()
    carrier = Carrier(
        account_sid=ACCOUNT_SID,
        auth_token=AUTH_TOKEN,
        number=NUMBER,
        recordings=recordings,
        realtime=realtime,
    ).start()
    served = live.app.state.settings.model_copy(
        update={
            "twilio_api_base_url": carrier.url,
            "acd_interval_seconds": 0.1,
            "agent_ring_seconds": ring_seconds,
        }
    )
    ctx = context.build(served, clock=clock)
    stopping = threading.Event()
    distributor = threading.Thread(
        target=acd.run_forever, args=(ctx,), kwargs={"should_stop": stopping.is_set}, daemon=True
    )
    distributor.start()
    try:
        yield Switchboard(live, carrier, ctx, sessions, clock)
    finally:
        stopping.set()
        distributor.join(timeout=10)
        carrier.stop()
        recordings.stop()
        ctx.engine.dispose()

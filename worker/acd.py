"""The distributor loop (`hotline acd`): match callers to agents and drive every agent leg.

Each pass: end wrap-ups that are over, offer waiting callers to free agents, ring the offered
agents, take answered callers off hold into the conference, hang up legs nobody needs, and
give up on rings that outlived their time-out. Any number of distributors may run at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from hotline.core.database import unit_of_work
from hotline.seats import acd
from hotline.seats import service as seats
from hotline.telephony.port import TelephonyError
from worker.context import WorkerContext

log = logging.getLogger(__name__)
BUSY_PAUSE = 0.05  # after a pass that did something, look again almost at once


@dataclass
class PassReport:
    """What one pass did, for logs and tests."""

    offered: int = 0
    rung: list[str] = field(default_factory=list)  # agent CallSids
    ring_failures: int = 0
    bridged: list[str] = field(default_factory=list)  # caller CallSids
    hung_up: list[str] = field(default_factory=list)
    expired: int = 0

    def busy(self) -> bool:
        """Did anything happen?"""
        return bool(self.offered or self.rung or self.ring_failures or self.bridged or self.hung_up)


def _ring(ctx: WorkerContext, report: PassReport) -> None:
    base = ctx.settings.public_base_url
    with unit_of_work(ctx.sessions) as session:
        pending = list(acd.pending_offers(session=session))
    for offer_id in pending:
        with unit_of_work(ctx.sessions) as session:
            offer = acd.claim_ring(session=session, clock=ctx.clock, offer_id=offer_id)
            phone = offer.agent_phone if offer is not None else None
        if phone is None:
            continue  # another distributor took it
        try:
            sid = ctx.telephony.ring_agent(
                phone,
                f"{base}/ivr/agent/answer?offer={offer_id}",
                f"{base}/ivr/agent/status?offer={offer_id}",
                ctx.settings.agent_ring_seconds,
            )
        except TelephonyError as error:
            log.warning("could not ring offer %s: %s", offer_id, error)
            with unit_of_work(ctx.sessions) as session:
                acd.ring_failed(
                    session=session, clock=ctx.clock, offer_id=offer_id, error=str(error)
                )
            report.ring_failures += 1
            continue
        with unit_of_work(ctx.sessions) as session:
            acd.rung(session=session, offer_id=offer_id, agent_call_sid=sid)
        report.rung.append(sid)


def _bridge(ctx: WorkerContext, report: PassReport) -> None:
    base = ctx.settings.public_base_url
    with unit_of_work(ctx.sessions) as session:
        due = [(entry.id, entry.call_sid) for entry in acd.bridges_due(session=session)]
    for entry_id, call_sid in due:
        with unit_of_work(ctx.sessions) as session:
            if not acd.claim_bridge(session=session, clock=ctx.clock, entry_id=entry_id):
                continue
        try:
            ctx.telephony.redirect_call(call_sid, f"{base}/ivr/agent/connect?entry={entry_id}")
        except TelephonyError as error:
            log.warning("caller %s could not be taken off hold: %s", call_sid, error)
            with unit_of_work(ctx.sessions) as session:
                acd.bridge_failed(session=session, clock=ctx.clock, entry_id=entry_id)
            continue
        report.bridged.append(call_sid)


def _hang_up(ctx: WorkerContext, report: PassReport) -> None:
    with unit_of_work(ctx.sessions) as session:
        legs = [
            (offer.id, offer.agent_call_sid or "", offer.answered_at is None)
            for offer in acd.cancels_due(session=session)
        ]
    for offer_id, call_sid, ringing in legs:
        try:
            ctx.telephony.hang_up(call_sid, ringing)
            report.hung_up.append(call_sid)
        except TelephonyError as error:
            log.info("agent leg %s already over: %s", call_sid, error)
        with unit_of_work(ctx.sessions) as session:
            acd.cancelled(session=session, offer_id=offer_id)


def distribute_once(ctx: WorkerContext) -> PassReport:
    """One pass of the distributor."""
    report = PassReport()
    with unit_of_work(ctx.sessions) as session:
        seats.end_due_wrap_ups(session=session, clock=ctx.clock)
    with unit_of_work(ctx.sessions) as session:
        report.offered = len(acd.match(session=session, clock=ctx.clock))
    _ring(ctx, report)
    _bridge(ctx, report)
    with unit_of_work(ctx.sessions) as session:
        report.expired = len(
            acd.expire_rings(
                session=session, clock=ctx.clock, ring_seconds=ctx.settings.agent_ring_seconds
            )
        )
    _hang_up(ctx, report)
    return report


def run_forever(ctx: WorkerContext, should_stop: Callable[[], bool]) -> None:
    """Pass every HOTLINE_ACD_INTERVAL_SECONDS (sooner after a busy pass) until told to stop."""
    while not should_stop():
        try:
            report = distribute_once(ctx)
        except Exception:  # a database hiccup must not stop the distributor
            log.exception("distributor pass failed")
            report = PassReport()
        if report.busy():
            log.info(
                "offered %d, rang %d, bridged %d, hung up %d",
                report.offered,
                len(report.rung),
                len(report.bridged),
                len(report.hung_up),
            )
        time.sleep(BUSY_PAUSE if report.busy() else ctx.settings.acd_interval_seconds)

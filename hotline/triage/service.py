"""Triage a ticket from its call, its transcript and the registry; then dispatch it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.calls import service as calls
from hotline.calls.models import LocationSource
from hotline.core.clock import Clock
from hotline.grids import service as grids
from hotline.grids.models import Household, OrgUnit, UnitLevel
from hotline.reasons.codes import reason
from hotline.routing import service as routing
from hotline.tickets import classes
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket
from hotline.tickets.transitions import TicketAction, TicketStatus
from hotline.transcripts import queries as transcripts
from hotline.transcripts.models import Transcript, TranscriptStatus
from hotline.triage.policy import TriagePolicy
from hotline.triage.rules import Place, TriageDecision, TriageInput, similarity, triage

DUPLICATE_SIMILARITY = 0.5


def places(*, session: Session) -> tuple[Place, ...]:
    """Every community, grid and landmark name in every language, as triage looks for them."""
    units = grids.list_units(session=session)
    by_id = {unit.id: unit for unit in units}
    found: list[Place] = []
    for unit in units:
        if unit.level == UnitLevel.COMMUNITY:
            community, grid = unit.code, None
        elif unit.level == UnitLevel.GRID and unit.parent_id in by_id:
            community, grid = by_id[unit.parent_id].code, unit.code
        else:
            continue
        names = [unit.name_zh, unit.name_en, unit.name_ko or "", *unit.landmarks]
        found.extend(Place(name, community, grid) for name in names if name)
    return tuple(found)


def household_for(*, session: Session, phone: str) -> Household | None:
    """The caller's household, when exactly one lists this number."""
    if not phone or phone.lower() in ("anonymous", "restricted", "unknown"):
        return None
    found = grids.households_by_phone(session=session, phone=phone)
    return found[0] if len(found) == 1 else None


def _community_of(grid: OrgUnit | None) -> str | None:
    return grid.parent.code if grid is not None and grid.parent is not None else None


def triage_ticket(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    ticket: Ticket,
    transcript: Transcript | None,
    written: str | None = None,
    given: tuple[str | None, str | None] | None = None,
) -> TriageDecision:
    """Decide category, place and level; dispatch unless a person must look first.

    `written` is a resident's own description (read like a transcript); `given` is the
    (community, grid) an outside system's location was placed in.
    """
    call = calls.get_or_raise(session=session, call_id=ticket.call_id) if ticket.call_id else None
    household = household_for(session=session, phone=ticket.caller)
    keyed = (
        call.location_code
        if call is not None and call.location_source == LocationSource.KEYED
        else None
    )
    if written is not None:
        text, text_ok = written, bool(written.strip())
    else:
        text = transcript.text if transcript else ""
        text_ok = transcript is not None and transcript.status == TranscriptStatus.OK
    data = TriageInput(
        language=ticket.language or "zh-CN",
        transcript=text,
        transcript_ok=text_ok,
        keyed_category=call.category if call else ticket.category,
        keyed_community=keyed or (ticket.location_code if call is None and not given else None),
        given_community=given[0] if given else None,
        given_grid=given[1] if given else None,
        household_grid=household.grid.code if household else None,
        household_community=_community_of(household.grid) if household else None,
        places=places(session=session),
    )
    decision = triage(policy.config, data)
    ticket.category = decision.category
    ticket.category_confidence = decision.confidence
    classes.set_level(
        ticket=ticket, config=policy.config, level=decision.level, by=classes.INFERRED
    )
    classes.infer_intake_type(ticket=ticket, config=policy.config)
    ticket.location_code = decision.community
    grid = grids.get_unit_by_code(session=session, code=decision.grid) if decision.grid else None
    ticket.grid = grid  # the relationship, so code reading ticket.grid later sees it
    classes.note_landmark(ticket=ticket, text=f"{data.transcript} {ticket.summary or ''}")
    if decision.needs_review:
        tickets.flag_for_review(ticket=ticket, why=decision.review_reasons)
    else:
        tickets.clear_review(ticket=ticket)
    reasons = list(decision.reasons)
    duplicate = find_duplicate(session=session, policy=policy, ticket=ticket, text=data.transcript)
    if duplicate is not None:
        ticket.duplicate_of = duplicate
        reasons.append(reason("triage.duplicate", reference=duplicate.reference))
    if ticket.status in (TicketStatus.RECEIVED, TicketStatus.RETURNED, TicketStatus.REOPENED):
        tickets.transition(
            session=session,
            clock=clock,
            ticket=ticket,
            action=TicketAction.TRIAGE,
            actor="triage",
            reason=reasons,
            rule="needs-review" if decision.needs_review else "auto-triage",
        )
    if not decision.needs_review:
        member = household.member.code if household and household.member else None
        routing.dispatch(
            session=session,
            clock=clock,
            policy=policy,
            ticket=ticket,
            household_member=member
            if grid and household and household.grid_id == grid.id
            else None,
        )
    return decision


def similar_open_tickets(
    *,
    session: Session,
    since: datetime,
    category: str,
    grid_id: int | None,
    location_code: str | None,
    text: str,
    exclude_id: int | None = None,
) -> list[tuple[float, Ticket]]:
    """Open tickets of a category at a place whose description is similar, most similar first."""
    if not text or not category or not (grid_id or location_code):
        return []
    query = select(Ticket).where(
        Ticket.category == category,
        Ticket.created_at >= since,
        Ticket.status.not_in((TicketStatus.MERGED, TicketStatus.CLOSED)),
    )
    if exclude_id is not None:
        query = query.where(Ticket.id != exclude_id)
    if grid_id:
        query = query.where(Ticket.grid_id == grid_id)
    else:
        query = query.where(Ticket.location_code == location_code)
    others = session.scalars(query.order_by(Ticket.id.desc()).limit(200)).all()
    found = transcripts.latest_by_call(
        session=session, call_ids=[o.call_id for o in others if o.call_id]
    )
    scored = []
    for other in others:
        other_text = found[other.call_id].text if other.call_id in found else (other.summary or "")
        score = similarity(text, other_text)
        if score >= DUPLICATE_SIMILARITY:
            scored.append((score, other))
    return sorted(scored, key=lambda pair: -pair[0])


def find_duplicate(
    *, session: Session, policy: TriagePolicy, ticket: Ticket, text: str
) -> Ticket | None:
    """An earlier open ticket at the same place and category whose description is similar."""
    grid_id = ticket.grid.id if ticket.grid is not None else None  # set before any flush
    similar = similar_open_tickets(
        session=session,
        since=ticket.created_at - policy.duplicate_window,
        category=ticket.category or "",
        grid_id=grid_id,
        location_code=ticket.location_code,
        text=text,
        exclude_id=ticket.id,
    )
    return similar[0][1] if similar else None

"""GET /api/v1/tickets and /api/v1/tickets/{reference}."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Query

from hotline.api.deps import SessionDep, TokenDep
from hotline.core.errors import NotFound
from hotline.tickets import service as tickets
from hotline.tickets.categories import Category
from hotline.tickets.schemas import TicketDetail, TicketPage, ticket_detail, ticket_list
from hotline.tickets.transitions import TicketStatus

router = APIRouter(prefix="/api/v1", tags=["tickets"])


@router.get("/tickets", response_model=TicketPage)
def list_tickets(
    session: SessionDep,
    _token: TokenDep,
    status: TicketStatus | None = None,
    category: Category | None = None,
    phone: str | None = Query(None, description="caller number in E.164, such as +8613800000000"),
    since: datetime | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
) -> TicketPage:
    """Tickets newest first, filtered by status, category, caller phone and creation time."""
    found = tickets.list_tickets(
        session=session,
        status=status,
        category=category,
        phone=phone,
        since=since,
        limit=limit,
        offset=offset,
    )
    return TicketPage(items=ticket_list(session=session, tickets=found), limit=limit, offset=offset)


@router.get("/tickets/{reference}", response_model=TicketDetail)
def get_ticket(reference: str, session: SessionDep, _token: TokenDep) -> TicketDetail:
    """One ticket with its events and transcript."""
    try:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=reference)
    except NotFound as error:
        raise HTTPException(404, str(error)) from error
    return ticket_detail(session=session, ticket=ticket)

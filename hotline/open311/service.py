"""POST requests: check what a client sent and open a ticket the way a call would."""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import asdict, dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.core.phones import is_e164
from hotline.grids import service as grids
from hotline.notifications import service as notifications
from hotline.open311 import catalog, places
from hotline.open311.models import ApiClient, Open311Request
from hotline.open311.rules import EMAIL, MAX_DESCRIPTION, Open311Error, check_attributes
from hotline.reasons.codes import reason
from hotline.tickets import service as tickets
from hotline.tickets.categories import Category
from hotline.tickets.models import Ticket, TicketNote
from hotline.tickets.transitions import TicketStatus
from hotline.triage import service as triage
from hotline.triage.policy import TriagePolicy

CHANNEL = "open311"
PHONE_NOISE = re.compile(r"[\s()\-.]")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # not text; XML cannot carry them


@dataclass(frozen=True)
class Posted:
    """The fields of one POST requests, as the client sent them."""

    service_code: str = ""
    jurisdiction_id: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str | None = None
    address_id: str | None = None
    description: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    media_url: str | None = None
    client_request_id: str | None = None
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """Same fields, same fingerprint: how a retried POST is told from a different one."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _short(value: str | None, limit: int, name: str, problems: list[str]) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        problems.append(f"{name}: at most {limit} characters")
    if CONTROL.search(text):
        problems.append(f"{name}: control characters are not allowed")
    return text or None


def _coordinates(posted: Posted, problems: list[str]) -> tuple[float, float] | None:
    if not posted.lat and not posted.long:
        return None
    try:
        lat, long = float(posted.lat or ""), float(posted.long or "")
    except ValueError:
        problems.append("lat and long: decimal degrees (WGS 84), both of them")
        return None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        problems.append("lat and long: out of range")
        return None
    return lat, long


def _phone(value: str | None, problems: list[str]) -> str | None:
    if not value or not value.strip():
        return None
    phone = PHONE_NOISE.sub("", value)
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if not is_e164(phone):
        problems.append("phone: an international number such as +8613800000000")
    return phone


@dataclass(frozen=True)
class Checked:
    """A POST that passed every check, ready to become a ticket."""

    category: Category
    point: tuple[float, float] | None
    phone: str | None
    values: dict[str, str | float | list[str]]


def check(*, policy: TriagePolicy, posted: Posted, jurisdiction: str | None) -> Checked:
    """Every problem at once (400), or a wrong jurisdiction (404)."""
    if jurisdiction and posted.jurisdiction_id and posted.jurisdiction_id != jurisdiction:
        raise Open311Error(404, f"jurisdiction_id {posted.jurisdiction_id!r} is not served here")
    problems: list[str] = []
    if posted.service_code not in {c.value for c in Category}:
        problems.append(
            f"service_code: {posted.service_code or 'missing'}; GET services lists the codes"
        )
    point = _coordinates(posted, problems)
    if point is None and not (posted.address_string or "").strip() and not posted.address_id:
        problems.append("a location is required: lat and long, address_string or address_id")
    if not (posted.description or "").strip():
        problems.append("description: say what the problem is")
    _short(posted.description, MAX_DESCRIPTION, "description", problems)
    for name, limit in (
        ("first_name", 100),
        ("last_name", 100),
        ("address_string", 500),
        ("address_id", 64),
        ("device_id", 100),
        ("account_id", 100),
        ("client_request_id", 64),
    ):
        _short(getattr(posted, name), limit, name, problems)
    phone = _phone(posted.phone, problems)
    if posted.email and not EMAIL.match(posted.email.strip()):
        problems.append("email: not an e-mail address")
    media = (posted.media_url or "").strip()
    if media and (not media.startswith(("http://", "https://")) or len(media) > 2000):
        problems.append("media_url: an http:// or https:// address of at most 2000 characters")
    values: dict[str, str | float | list[str]] = {}
    if posted.service_code in {c.value for c in Category}:
        answers = check_attributes(
            catalog.questions_for(policy.config, posted.service_code), posted.attributes
        )
        problems.extend(answers.problems)
        values = answers.values
    if problems:
        raise Open311Error(400, *problems)
    return Checked(Category(posted.service_code), point, phone, values)


def place_of(*, session: Session, posted: Posted, checked: Checked) -> places.Placed:
    """address_id first, then the point, then the words; a community attribute wins."""
    found = None
    if posted.address_id:
        found = places.by_household(session=session, code=posted.address_id.strip())
        if found is None:
            raise Open311Error(400, f"address_id: no address {posted.address_id!r}")
    if found is None and checked.point is not None:
        found = places.by_point(session=session, lat=checked.point[0], long=checked.point[1])
    if found is None and posted.address_string:
        found = places.by_words(session=session, text=posted.address_string)
    chosen = checked.values.get("community")
    if isinstance(chosen, str) and chosen:
        if grids.get_community_by_code(session=session, code=chosen) is None:
            raise Open311Error(400, f"attribute[community]: no community {chosen!r}")
        if found is None or found.community != chosen:
            found = places.Placed(chosen, None, "attribute")
    return found or places.NOWHERE


def find_by_client_id(
    *, session: Session, client: ApiClient, client_request_id: str
) -> Open311Request | None:
    """The request this client already posted under its own id."""
    return session.scalar(
        select(Open311Request).where(
            Open311Request.client_id == client.id,
            Open311Request.client_request_id == client_request_id,
        )
    )


def find_by_token(*, session: Session, token: str) -> Open311Request | None:
    """The request a POST answered with this token."""
    return session.scalar(select(Open311Request).where(Open311Request.token == token))


def _earlier(*, session: Session, client: ApiClient, posted: Posted) -> Open311Request | None:
    if not posted.client_request_id:
        return None
    found = find_by_client_id(
        session=session, client=client, client_request_id=posted.client_request_id.strip()
    )
    if found is not None and found.fingerprint != posted.fingerprint():
        raise Open311Error(
            409,
            f"client_request_id {posted.client_request_id!r} was already used for request "
            f"{found.ticket.reference} with different content",
        )
    return found


def create(
    *,
    session: Session,
    clock: Clock,
    policy: TriagePolicy,
    client: ApiClient,
    posted: Posted,
    language: str,
    jurisdiction: str | None,
) -> tuple[Open311Request, bool]:
    """Open, triage and route a ticket (channel open311); a retried POST gets the first answer."""
    checked = check(policy=policy, posted=posted, jurisdiction=jurisdiction)
    earlier = _earlier(session=session, client=client, posted=posted)
    if earlier is not None:
        return earlier, False
    placed = place_of(session=session, posted=posted, checked=checked)
    try:
        with session.begin_nested():
            request = _open(
                session=session,
                clock=clock,
                client=client,
                posted=posted,
                checked=checked,
                placed=placed,
                language=language,
            )
    except IntegrityError:
        again = _earlier(session=session, client=client, posted=posted)
        if again is None:
            raise
        return again, False
    ticket = request.ticket
    notifications.notify_resident(
        session=session,
        clock=clock,
        ticket=ticket,
        kind="intake",
        timezone=policy.calendar.timezone,
    )
    triage.triage_ticket(
        session=session,
        clock=clock,
        policy=policy,
        ticket=ticket,
        transcript=None,
        written=ticket.summary or "",
        given=(placed.community, placed.grid) if placed.community else None,
    )
    return request, True


def _open(
    *,
    session: Session,
    clock: Clock,
    client: ApiClient,
    posted: Posted,
    checked: Checked,
    placed: places.Placed,
    language: str,
) -> Open311Request:
    now = clock.now()
    intake_type = checked.values.get("intake_type")
    by = f"open311:{client.name}"
    ticket = Ticket(
        reference=tickets.next_reference(session=session, year=now.year),
        status=TicketStatus.RECEIVED,
        channel=CHANNEL,
        category=checked.category.value,
        location_code=placed.community,
        caller=checked.phone or "",
        language=language,
        summary=(posted.description or "").strip()[:MAX_DESCRIPTION],
        intake_type=intake_type if isinstance(intake_type, str) else None,
        intake_type_by=by if isinstance(intake_type, str) else None,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    ticket.events.append(
        tickets.opening_event(actor=by, why=reason("intake.open311", client=client.name), at=now)
    )
    session.add(ticket)
    session.flush()
    request = Open311Request(
        client_id=client.id,
        ticket_id=ticket.id,
        token=secrets.token_urlsafe(18),
        client_request_id=(posted.client_request_id or "").strip() or None,
        fingerprint=posted.fingerprint(),
        service_code=checked.category.value,
        latitude=checked.point[0] if checked.point else None,
        longitude=checked.point[1] if checked.point else None,
        address_string=(posted.address_string or "").strip() or None,
        address_id=(posted.address_id or "").strip() or None,
        email=(posted.email or "").strip() or None,
        first_name=(posted.first_name or "").strip() or None,
        last_name=(posted.last_name or "").strip() or None,
        phone=checked.phone,
        device_id=(posted.device_id or "").strip() or None,
        account_id=(posted.account_id or "").strip() or None,
        media_url=(posted.media_url or "").strip() or None,
        attributes=checked.values,
        created_at=now,
    )
    session.add(request)
    session.add(
        TicketNote(
            ticket_id=ticket.id,
            author=by,
            visibility="internal",
            body=_staff_note(request, placed),
            created_at=now,
        )
    )
    session.flush()
    tickets.announce_created(session=session, clock=clock, ticket=ticket)
    return request


def _staff_note(request: Open311Request, placed: places.Placed) -> str:
    """What staff see of the posted fields that have no column on the ticket."""
    lines = [f"Open311 ({placed.how}): {request.address_string or ''}".rstrip()]
    if request.latitude is not None:
        lines.append(f"lat/long: {request.latitude}, {request.longitude}")
    if request.address_id:
        lines.append(f"address_id: {request.address_id}")
    name = " ".join(p for p in (request.first_name, request.last_name) if p)
    contact = ", ".join(p for p in (name, request.email, request.phone) if p)
    if contact:
        lines.append(f"contact: {contact}")
    for code, value in request.attributes.items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        lines.append(f"{code}: {shown}")
    if request.media_url:
        lines.append(f"media: {request.media_url}")
    return "\n".join(lines)

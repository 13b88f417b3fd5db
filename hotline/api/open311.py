"""GeoReport v2 under /open311/v2: discovery, services, requests and tokens, JSON or XML."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from hotline.api.deps import SessionDep
from hotline.grids import service as grids
from hotline.grids.models import UnitLevel
from hotline.open311 import catalog, clients, formats, queries
from hotline.open311 import service as open311
from hotline.open311.models import ApiClient
from hotline.open311.ratelimit import RateLimiter
from hotline.open311.rules import Open311Error, form_attributes, parse_query
from hotline.tickets.categories import Category

PREFIX = "/open311/v2"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00+00:00"
router = APIRouter(prefix=PREFIX, tags=["open311"])
POSTED_FIELDS = (
    "service_code",
    "jurisdiction_id",
    "lat",
    "long",
    "address_string",
    "address_id",
    "description",
    "first_name",
    "last_name",
    "phone",
    "email",
    "device_id",
    "account_id",
    "media_url",
    "client_request_id",
)


def _answer(fmt: str, root: str, body: Any, status: int = 200, **headers: str) -> Response:
    if fmt == "xml":
        return Response(formats.to_xml(root, body), status, headers, media_type=formats.XML_TYPE)
    return Response(formats.to_json(body), status, headers, media_type=formats.JSON_TYPE)


def _error(fmt: str, error: Open311Error, **headers: str) -> Response:
    fmt = fmt if fmt == "xml" else "json"
    return _answer(
        fmt, "errors", formats.errors(error.status, error.descriptions), error.status, **headers
    )


def _format(fmt: str) -> str:
    if fmt not in ("json", "xml"):
        raise Open311Error(404, f"no format {fmt!r}: use .json or .xml")
    return fmt


def _language(request: Request, params: Any) -> str:
    return catalog.pick_language(params.get("locale") or request.headers.get("accept-language"))


def _jurisdiction(request: Request, params: Any) -> None:
    served = request.app.state.settings.open311_jurisdiction_id
    given = params.get("jurisdiction_id")
    if served and given and given != served:
        raise Open311Error(404, f"jurisdiction_id {given!r} is not served here")


def _client(
    request: Request, session: Session, key: str | None, *, required: bool
) -> ApiClient | None:
    """The key's client (403 when unknown or revoked), counted against its rate limit (429)."""
    if not key:
        if required or not request.app.state.settings.open311_public_reads:
            raise Open311Error(403, "api_key: required; ask the hotline's administrators for one")
        return None
    client = clients.authenticate(session=session, key=key)
    if client is None:
        raise Open311Error(403, "api_key: not a valid key")
    limiter: RateLimiter = request.app.state.open311_limiter
    wait = limiter.hit(client.key_hash[:24], client.rate_limit_per_minute)
    if wait:
        limit = client.rate_limit_per_minute
        raise Open311Error(
            429,
            f"rate limit of {limit} requests a minute reached; retry in {wait} s",
            retry_after=wait,
        )
    return client


def _check_read(fmt: str, request: Request, session: Session) -> None:
    """What every GET checks: the format, the jurisdiction, and the key if one is given."""
    _format(fmt)
    _jurisdiction(request, request.query_params)
    _client(request, session, request.query_params.get("api_key"), required=False)


def _fail(session: Session, fmt: str, error: Open311Error) -> Response:
    session.rollback()
    if error.retry_after:
        return _error(fmt, error, **{"Retry-After": str(error.retry_after)})
    return _error(fmt, error)


@router.get("/discovery.{fmt}")
def discovery(fmt: str, request: Request) -> Response:
    """Where the endpoint is and what it speaks."""
    try:
        _format(fmt)
    except Open311Error as error:
        return _error(fmt, error)
    base = request.app.state.settings.public_base_url.rstrip("/")
    body = {
        "changeset": CHANGESET,
        "contact": "12345 citizen hotline",
        "key_service": f"{base}/console/admin/integrations",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{base}{PREFIX}",
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return _answer(fmt, "discovery", body)


@router.get("/services.{fmt}")
def list_services(fmt: str, request: Request, session: SessionDep) -> Response:
    """Every category as a service, in the requested language."""
    params = request.query_params
    try:
        _check_read(fmt, request, session)
    except Open311Error as error:
        return _fail(session, fmt, error)
    config = request.app.state.policy.config
    return _answer(fmt, "services", catalog.services(config, _language(request, params)))


@router.get("/services/{code}.{fmt}")
def service_definition(code: str, fmt: str, request: Request, session: SessionDep) -> Response:
    """A service's attributes: intake type, community, and the category's questions."""
    params = request.query_params
    try:
        _check_read(fmt, request, session)
        if code not in {c.value for c in Category}:
            raise Open311Error(404, f"service_code {code!r} not found")
    except Open311Error as error:
        return _fail(session, fmt, error)
    config = request.app.state.policy.config
    body = catalog.definition(config, code, _language(request, params))
    return _answer(fmt, "service_definition", body)


def _posted(form: FormData) -> open311.Posted:
    values = {name: str(form.get(name)) for name in POSTED_FIELDS if form.get(name) is not None}
    items = [(key, value) for key, value in form.multi_items() if isinstance(value, str)]
    return open311.Posted(**values, attributes=form_attributes(items))


@router.post("/requests.{fmt}")
async def post_request(fmt: str, request: Request, session: SessionDep) -> Response:
    """A new service request: a ticket through the hotline's intake, triage and routing."""
    try:
        _format(fmt)
        try:
            form = await request.form()
        except Exception:  # a body that is not a form at all
            raise Open311Error(
                400, "send the fields form-encoded (application/x-www-form-urlencoded)"
            ) from None
        posted = _posted(form)
        key = form.get("api_key")
        client = _client(request, session, key if isinstance(key, str) else None, required=True)
        assert client is not None
        language = _language(request, form)
        made, created = open311.create(
            session=session,
            clock=request.app.state.clock,
            policy=request.app.state.policy,
            client=client,
            posted=posted,
            language=language,
            jurisdiction=request.app.state.settings.open311_jurisdiction_id,
        )
    except Open311Error as error:
        return _fail(session, fmt, error)
    client.last_used_at = request.app.state.clock.now()
    body = [
        {
            "service_request_id": made.ticket.reference,
            "token": made.token,
            "service_notice": queries.SERVICE_NOTICE.get(language),
            "account_id": made.account_id,
        }
    ]
    return _answer(fmt, "service_requests", body, 201 if created else 200)


def _communities(session: Session) -> dict[str, Any]:
    return {u.code: u for u in grids.list_units(session=session, level=UnitLevel.COMMUNITY)}


@router.get("/requests.{fmt}")
def list_requests(fmt: str, request: Request, session: SessionDep) -> Response:
    """Requests by id list, or by service, dates (90 days at most) and status; paged."""
    params = request.query_params
    try:
        _check_read(fmt, request, session)
        query = parse_query(
            params, now=request.app.state.clock.now(), service_codes=[c.value for c in Category]
        )
    except Open311Error as error:
        return _fail(session, fmt, error)
    found = queries.find(session=session, query=query)
    body = queries.views(
        session=session,
        found=found,
        language=_language(request, params),
        communities=_communities(session),
    )
    return _answer(fmt, "service_requests", body)


@router.get("/requests/{reference}.{fmt}")
def get_request(reference: str, fmt: str, request: Request, session: SessionDep) -> Response:
    """One request by its service_request_id (the ticket reference)."""
    params = request.query_params
    try:
        _check_read(fmt, request, session)
        ticket = queries.get(session=session, reference=reference)
        if ticket is None:
            raise Open311Error(404, f"service_request_id {reference!r} not found")
    except Open311Error as error:
        return _fail(session, fmt, error)
    body = queries.views(
        session=session,
        found=[ticket],
        language=_language(request, params),
        communities=_communities(session),
    )
    return _answer(fmt, "service_requests", body)


@router.get("/tokens/{token}.{fmt}")
def get_token(token: str, fmt: str, request: Request, session: SessionDep) -> Response:
    """The service_request_id a POST's token stands for."""
    try:
        _check_read(fmt, request, session)
        found = open311.find_by_token(session=session, token=token)
        if found is None:
            raise Open311Error(404, f"token {token!r} not found")
    except Open311Error as error:
        return _fail(session, fmt, error)
    body = [{"service_request_id": found.ticket.reference, "token": found.token}]
    return _answer(fmt, "service_requests", body)

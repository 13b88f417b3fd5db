"""Open311 client libraries from PyPI create and read requests against the running server."""

from __future__ import annotations

from civicbot.http import HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport
from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.tickets import service as tickets
from tests.conftest import LiveServer
from tests.hotline.open311.conftest import make_key


def civicbot_client(live: LiveServer) -> Open311Client:
    endpoint = Endpoint(id="hotline", name="12345", base_url=f"{live.url}/open311/v2", write=True)
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0.0))
    return Open311Client(endpoint, transport=transport)


def test_civicbot_creates_a_request_that_georeport_reads(
    live: LiveServer, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    key = make_key(sessions, clock)
    client = civicbot_client(live)
    services = client.list_services()
    assert "noise_disputes" in {s["service_code"] for s in services}
    sent = client.create_request(
        "noise_disputes",
        dry_run=False,
        confirm="SEND",
        api_key=key,
        validate_remote=True,  # the library checks the form against our service definition
        lat=39.9175,
        lng=116.4175,  # Taoyuan (1202), its north-east quarter: grid 4 on the demo map
        description="楼下餐馆每晚十二点后还很吵",
        attributes={"when": ["night"], "intake_type": "complaint"},
        phone="+8613800000031",
    )
    reference = sent.response[0]["service_request_id"]
    token = sent.response[0]["token"]
    with unit_of_work(sessions) as session:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=reference)
        assert ticket.channel == "open311" and ticket.status == "dispatched"
        assert ticket.grid is not None and ticket.grid.code == "1202-04"
    assert client.get_token(token) == [{"service_request_id": reference, "token": token}]
    assert client.get_request(reference)["status"] == "open"

    for output in ("json", "xml"):
        reader = GeoReport(f"{live.url}/open311/v2", output_format=output)
        one = reader.get_service_request(reference)
        assert one["service_request_id"] == reference
        assert one["service_code"] == "noise_disputes"
        listed = reader.get_service_requests(service_code="noise_disputes", status="open")
        if isinstance(listed, dict):  # xmltodict gives a single request as a mapping
            listed = [listed]
        assert [r["service_request_id"] for r in listed] == [reference]
        definition = reader.get_service_definition("noise_disputes")
        assert "attributes" in definition


def test_civicbot_sees_our_errors(live: LiveServer) -> None:
    client = civicbot_client(live)
    from civicbot.http import HttpError

    try:
        client.create_request(
            "other",
            dry_run=False,
            confirm="SEND",
            api_key="o311_not-a-key",
            address_string="1101",
            description="问",
        )
    except HttpError as error:
        assert error.status == 403
        assert '"code": 403' in error.body
    else:
        raise AssertionError("a bad key was accepted")

"""POST requests: a ticket through the same intake, triage and routing as a call."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from hotline.calls import intake
from hotline.calls import service as calls
from hotline.calls.models import LocationSource
from hotline.core.clock import FixedClock
from hotline.core.database import unit_of_work
from hotline.core.settings import Settings
from hotline.notifications.models import Message
from hotline.open311 import clients
from hotline.open311.models import Open311Request
from hotline.tickets import service as tickets
from hotline.tickets.models import Ticket, TicketNote
from hotline.transcripts import service as transcripts
from hotline.triage.policy import policy_from_settings
from tests.hotline.open311.conftest import make_key, valid, xml
from transcription.result import Transcription

URL = "/open311/v2/requests.json"


def post(client: TestClient, key: str, **fields: str) -> tuple[int, list[dict[str, object]]]:
    response = client.post(URL, data={"api_key": key, **fields})
    return response.status_code, response.json()


def ticket_of(sessions: sessionmaker[Session], reference: str) -> Ticket:
    with unit_of_work(sessions) as session:
        ticket = tickets.get_by_reference_or_raise(session=session, reference=reference)
        session.expunge(ticket)
        return ticket


def count(sessions: sessionmaker[Session], model: type) -> int:
    with unit_of_work(sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def keyed_call(
    sessions: sessionmaker[Session], clock: FixedClock, community: str, text: str
) -> str:
    """An IVR call whose caller keyed a category and a community, then spoke."""
    policy = policy_from_settings(Settings())
    with unit_of_work(sessions) as session:
        call = calls.get_or_create(
            session=session,
            clock=clock,
            call_sid="CA" + "7" * 32,
            from_number="+8613900000077",
            to_number="+861012345",
        )
        calls.update_choices(
            call=call,
            clock=clock,
            language="zh-CN",
            category="roads_facilities",
            location_code=community,
            location_source=LocationSource.KEYED,
        )
        ticket = intake.add_recording(
            session=session,
            clock=clock,
            policy=policy,
            call=call,
            recording_sid="RE" + "7" * 32,
            recording_url="https://api.twilio.com/r",
            duration="5",
        )
        assert ticket is not None
        recording = calls.get_recording_by_sid(session=session, recording_sid="RE" + "7" * 32)
        assert recording is not None
        transcripts.save_transcript(
            session=session,
            clock=clock,
            policy=policy,
            recording_id=recording.id,
            result=Transcription(
                status="ok",
                language="zh-CN",
                text=text,
                words=[{"word": text, "start": 0.1, "end": 1.0, "conf": 0.9}],
                mean_confidence=0.9,
            ),
        )
        return ticket.reference


def test_a_request_naming_a_community_is_routed_like_a_keyed_call(
    client: TestClient, api_key: str, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    status, body = post(
        client,
        api_key,
        service_code="roads_facilities",
        address_string="1102",
        description="路面有个大坑",
        **{"attribute[hazard]": "yes"},
    )
    assert status == 201
    reference = valid("post_response", body)[0]["service_request_id"]
    by_phone = ticket_of(sessions, keyed_call(sessions, clock, "1102", "路面有个大坑"))
    by_app = ticket_of(sessions, str(reference))
    assert by_app.channel == "open311"
    assert by_app.status == by_phone.status == "dispatched"
    assert by_app.location_code == by_phone.location_code == "1102"
    assert (by_app.team_id, by_app.grid_id) == (by_phone.team_id, by_phone.grid_id)
    assert by_app.team_id is not None


def test_a_point_inside_a_grid_goes_to_that_grid(
    client: TestClient, api_key: str, sessions: sessionmaker[Session]
) -> None:
    # The demo map: Donghu (1101) is the square from 39.90,116.40; grid 2 is its south-east quarter.
    status, body = post(
        client,
        api_key,
        service_code="utilities",
        lat="39.9025",
        long="116.4075",
        description="整栋楼停水了",
        **{"attribute[supply]": "water"},
        phone="+86 138-0000-0009",
    )
    assert status == 201
    ticket = ticket_of(sessions, str(body[0]["service_request_id"]))
    with unit_of_work(sessions) as session:
        grid = session.get(Ticket, ticket.id).grid  # type: ignore[union-attr]
        assert grid is not None and grid.code == "1101-02"
        sent = session.scalar(select(Open311Request).where(Open311Request.ticket_id == ticket.id))
        assert sent is not None and sent.phone == "+8613800000009"
        assert sent.attributes == {"supply": "water"}
        texts = session.scalars(select(Message).where(Message.ticket_id == ticket.id)).all()
        assert "intake" in {m.kind for m in texts}  # the resident gets the ticket number
    assert ticket.caller == "+8613800000009" and ticket.assignee_id is not None


def test_a_household_id_and_a_landmark_place_a_request(
    client: TestClient, api_key: str, sessions: sessionmaker[Session]
) -> None:
    _, by_id = post(
        client,
        api_key,
        service_code="sanitation_environment",
        address_id="H00002",
        description="垃圾没人清运",
    )
    _, by_name = post(
        client,
        api_key,
        service_code="sanitation_environment",
        address_string="西关小学 门口",
        description="垃圾桶满了",
    )
    with unit_of_work(sessions) as session:
        household = ticket_of(sessions, str(by_id[0]["service_request_id"]))
        landmark = ticket_of(sessions, str(by_name[0]["service_request_id"]))
        first = session.get(Ticket, household.id)
        second = session.get(Ticket, landmark.id)
        assert first is not None and first.grid is not None and first.grid.code == "1101-02"
        assert second is not None and second.grid is not None and second.grid.code == "1102-02"


def test_a_request_with_no_known_place_waits_for_a_person(
    client: TestClient, api_key: str, sessions: sessionmaker[Session]
) -> None:
    _, body = post(
        client,
        api_key,
        service_code="roads_facilities",
        lat="31.23",
        long="121.47",
        description="路灯不亮",
        **{"attribute[hazard]": "no"},
    )
    ticket = ticket_of(sessions, str(body[0]["service_request_id"]))
    assert ticket.needs_review and ticket.status == "triaged" and ticket.team_id is None


def test_the_posted_details_go_to_staff_not_to_the_public(
    client: TestClient, api_key: str, sessions: sessionmaker[Session]
) -> None:
    _, body = post(
        client,
        api_key,
        service_code="noise_disputes",
        address_string="1201",
        description="楼上每晚装修",
        first_name="明",
        last_name="李",
        email="li@example.cn",
        media_url="https://img.example.cn/1.jpg",
        **{"attribute[when][]": "night"},
        **{"attribute[intake_type]": "complaint"},
    )
    reference = str(body[0]["service_request_id"])
    ticket = ticket_of(sessions, reference)
    assert ticket.intake_type == "complaint" and ticket.intake_type_by == "open311:citizen-app"
    with unit_of_work(sessions) as session:
        note = session.scalar(select(TicketNote).where(TicketNote.ticket_id == ticket.id))
        assert note is not None and note.visibility == "internal"
        assert "li@example.cn" in note.body and "when: night" in note.body
    public = client.get(f"/open311/v2/requests/{reference}.json").json()[0]
    assert public["media_url"] == "https://img.example.cn/1.jpg"
    assert "li@example.cn" not in str(public) and "李" not in str(public)


BAD = [
    ({"service_code": "potholes"}, "service_code"),
    ({"lat": "north"}, "lat and long"),
    ({"lat": "95", "long": "116"}, "out of range"),
    ({"address_string": "", "lat": "", "long": ""}, "a location is required"),
    ({"description": "  "}, "description: say what"),
    ({"description": "坑" * 4001}, "at most 4000"),
    ({"description": "坑\x00\x1b[2J"}, "description: control characters"),
    ({"phone": "12345"}, "phone:"),
    ({"email": "not-mail"}, "email:"),
    ({"media_url": "ftp://x/y.jpg"}, "media_url:"),
    ({"attribute[hazard]": "maybe"}, "attribute[hazard]: maybe not among"),
    ({"attribute[colour]": "red"}, "attribute[colour]: this service has no such attribute"),
    ({"attribute[community]": "9999"}, "attribute[community]: no community"),
    ({"address_id": "H99999"}, "address_id: no address"),
]


@pytest.mark.parametrize(("change", "problem"), BAD)
def test_bad_fields_get_a_400_and_change_nothing(
    client: TestClient,
    api_key: str,
    sessions: sessionmaker[Session],
    change: dict[str, str],
    problem: str,
) -> None:
    fields = {
        "service_code": "roads_facilities",
        "address_string": "1101",
        "description": "路面有坑",
        "attribute[hazard]": "no",
        **change,
    }
    before = count(sessions, Ticket)
    status, body = post(client, api_key, **fields)
    assert status == 400
    assert any(problem in str(e["description"]) for e in valid("errors", body)), body
    assert all(e["code"] == 400 for e in body)
    assert count(sessions, Ticket) == before


def test_every_problem_is_listed_at_once(client: TestClient, api_key: str) -> None:
    status, body = post(client, api_key, service_code="utilities", phone="abc")
    assert status == 400
    descriptions = " | ".join(str(e["description"]) for e in valid("errors", body))
    for part in ("a location is required", "description", "phone", "attribute[supply]: required"):
        assert part in descriptions


def test_keys_are_checked(
    client: TestClient, api_key: str, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    fields = {"service_code": "other", "address_string": "1101", "description": "咨询"}
    for key in ("", "o311_wrong", "not-even-ours"):
        response = client.post(URL, data={**fields, "api_key": key})
        assert response.status_code == 403
        assert valid("errors", response.json())[0]["code"] == 403
    with unit_of_work(sessions) as session:
        clients.revoke(session=session, clock=clock, name="citizen-app")
    assert client.post(URL, data={**fields, "api_key": api_key}).status_code == 403
    root = xml(client.post("/open311/v2/requests.xml", data=fields).text)
    assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert count(sessions, Ticket) == 0


def test_the_clients_own_id_refuses_duplicates(
    client: TestClient, api_key: str, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    fields = {
        "service_code": "other",
        "address_string": "1101",
        "description": "咨询办事时间",
        "client_request_id": "app-7781",
    }
    first_status, first = post(client, api_key, **fields)
    again_status, again = post(client, api_key, **fields)
    assert (first_status, again_status) == (201, 200)
    assert again[0]["service_request_id"] == first[0]["service_request_id"]
    assert again[0]["token"] == first[0]["token"]
    changed_status, changed = post(client, api_key, **{**fields, "description": "别的事"})
    assert changed_status == 409
    assert "app-7781" in str(valid("errors", changed)[0]["description"])
    other_app = make_key(sessions, clock, "wechat")
    assert post(client, other_app, **fields)[0] == 201  # ids are per client
    assert count(sessions, Ticket) == 2


def test_xml_answers_carry_the_spec_element_names(client: TestClient, api_key: str) -> None:
    response = client.post(
        "/open311/v2/requests.xml",
        data={
            "api_key": api_key,
            "service_code": "other",
            "address_string": "1101",
            "description": "咨询",
        },
    )
    assert response.status_code == 201
    root = xml(response.text)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert {c.tag for c in request} == {
        "service_request_id",
        "token",
        "service_notice",
        "account_id",
    }


def test_the_jurisdiction_is_checked_when_configured(
    settings: Settings, clock: FixedClock, seeded: None, sessions: sessionmaker[Session]
) -> None:
    from hotline.app import create_app

    served = settings.model_copy(update={"open311_jurisdiction_id": "shifan.gov.cn"})
    key = make_key(sessions, clock)
    fields = {
        "api_key": key,
        "service_code": "other",
        "address_string": "1101",
        "description": "问",
    }
    with TestClient(create_app(served, clock=clock)) as client:
        wrong = client.post(URL, data={**fields, "jurisdiction_id": "elsewhere.gov"})
        right = client.post(URL, data={**fields, "jurisdiction_id": "shifan.gov.cn"})
        listed = client.get("/open311/v2/services.json?jurisdiction_id=elsewhere.gov")
    assert wrong.status_code == 404 and valid("errors", wrong.json())[0]["code"] == 404
    assert right.status_code == 201
    assert listed.status_code == 404


def test_a_key_over_its_rate_limit_waits(
    client: TestClient, sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    key = make_key(sessions, clock, "busy-app", limit=2)
    codes = [client.get(f"/open311/v2/services.json?api_key={key}").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = client.get(f"/open311/v2/services.json?api_key={key}")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "2 requests a minute" in valid("errors", response.json())[0]["description"]

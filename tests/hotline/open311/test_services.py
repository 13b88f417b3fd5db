"""GET discovery, services and service definitions, in JSON and XML."""

from __future__ import annotations

from fastapi.testclient import TestClient

from hotline.tickets.categories import Category
from tests.conftest import BASE_URL
from tests.hotline.open311.conftest import valid, xml

SERVICE_ELEMENTS = {"service_code", "service_name", "description", "metadata", "type", "keywords"}


def test_services_are_the_categories_in_the_requested_language(client: TestClient) -> None:
    chinese = valid("services", client.get("/open311/v2/services.json").json())
    english = valid("services", client.get("/open311/v2/services.json?locale=en").json())
    korean = client.get("/open311/v2/services.json", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert [s["service_code"] for s in chinese] == [c.value for c in Category]
    roads = {s["service_code"]: s for s in english}["roads_facilities"]
    assert roads["service_name"] == "roads and facilities"
    assert roads["group"] == "City management"
    assert "pothole" in roads["keywords"].split(",")
    assert "manholes" in roads["description"]
    assert chinese[0]["service_name"] == "道路设施" and chinese[0]["group"] == "城市管理"
    assert valid("services", korean.json())[0]["service_name"] == "도로·시설"
    assert korean.headers["content-type"] == "application/json; charset=utf-8"


def test_services_in_xml_use_the_spec_element_names(client: TestClient) -> None:
    response = client.get("/open311/v2/services.xml?locale=en")
    root = xml(response.text)
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert root.tag == "services"
    assert [child.tag for child in root] == ["service"] * len(Category)
    first = root[0]
    assert SERVICE_ELEMENTS | {"group"} == {child.tag for child in first}
    assert first.findtext("service_code") == "roads_facilities"
    assert first.findtext("metadata") == "true"
    assert first.findtext("type") == "realtime"


def test_a_definition_has_the_common_and_the_category_questions(client: TestClient) -> None:
    body = valid("service_definition", client.get("/open311/v2/services/utilities.json").json())
    by_code = {a["code"]: a for a in body["attributes"]}
    assert list(by_code) == ["intake_type", "community", "supply", "households_affected"]
    assert by_code["supply"]["required"] is True
    assert by_code["supply"]["datatype"] == "singlevaluelist"
    assert [v["key"] for v in by_code["supply"]["values"]] == ["water", "power", "gas", "heating"]
    assert {v["key"] for v in by_code["intake_type"]["values"]} >= {"complaint", "consultation"}
    assert by_code["households_affected"]["datatype"] == "number"
    assert [a["order"] for a in body["attributes"]] == [1, 2, 3, 4]
    english = client.get("/open311/v2/services/utilities.json?locale=en").json()
    assert english["attributes"][2]["description"] == "Which supply?"


def test_a_definition_in_xml(client: TestClient) -> None:
    root = xml(client.get("/open311/v2/services/noise_disputes.xml?locale=en").text)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "noise_disputes"
    attributes = root.find("attributes")
    assert attributes is not None
    when = [a for a in attributes.findall("attribute") if a.findtext("code") == "when"][0]
    assert when.findtext("datatype") == "multivaluelist"
    assert when.findtext("variable") == "true" and when.findtext("required") == "false"
    assert [v.findtext("key") for v in when.iter("value")] == ["day", "night"]
    assert [v.findtext("name") for v in when.iter("value")] == ["Daytime", "At night"]


def test_an_unknown_service_is_a_404_in_either_format(client: TestClient) -> None:
    response = client.get("/open311/v2/services/potholes.json")
    assert response.status_code == 404
    assert valid("errors", response.json())[0]["code"] == 404
    root = xml(client.get("/open311/v2/services/potholes.xml").text)
    assert root.tag == "errors"
    assert root.find("error/code").text == "404"  # type: ignore[union-attr]
    assert "potholes" in (root.findtext("error/description") or "")


def test_an_unknown_format_is_refused(client: TestClient) -> None:
    response = client.get("/open311/v2/services.yaml")
    assert response.status_code == 404
    assert "use .json or .xml" in valid("errors", response.json())[0]["description"]


def test_discovery_points_at_this_endpoint(client: TestClient) -> None:
    body = valid("discovery", client.get("/open311/v2/discovery.json").json())
    endpoint = body["endpoints"][0]
    assert endpoint["url"] == f"{BASE_URL}/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    root = xml(client.get("/open311/v2/discovery.xml").text)
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["application/json", "text/xml"]
    assert root.findtext("endpoints/endpoint/type") == "production"

"""GeoReport v2 bodies in JSON or XML, with the spec's element names."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# List wrappers and the element each item becomes.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the zone, or None."""
    return moment.isoformat() if moment is not None else None


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: ElementTree.Element, value: Any, name: str) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ElementTree.SubElement(element, key), inner, key)
    elif isinstance(value, list):
        item = ITEMS.get(name, "item")
        for inner in value:
            _fill(ElementTree.SubElement(element, item), inner, item)
    else:
        element.text = _text(value)


def to_xml(root: str, body: Any) -> bytes:
    """`<root>` holding a list (each item named by ITEMS) or a mapping."""
    element = ElementTree.Element(root)
    _fill(element, body, root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        element, encoding="utf-8", xml_declaration=False
    )


def to_json(body: Any) -> bytes:
    """UTF-8 JSON, Chinese and Korean left readable."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def errors(status: int, descriptions: tuple[str, ...]) -> list[dict[str, Any]]:
    """The v2.1 error list: one entry per problem, each with the HTTP status as its code."""
    return [{"code": status, "description": text} for text in descriptions]

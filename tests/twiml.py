"""Parse TwiML responses so tests assert on verbs and attributes, not bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx


def parse(response: httpx.Response) -> ET.Element:
    """The <Response> element of a 200 TwiML answer."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    return root


def verbs(root: ET.Element) -> list[str]:
    """Top-level verb names in order."""
    return [child.tag for child in root]


def gather(root: ET.Element) -> ET.Element:
    """The single <Gather> of a menu."""
    found = root.findall("Gather")
    assert len(found) == 1, verbs(root)
    return found[0]


def spoken(root: ET.Element) -> list[str]:
    """Every <Say> text, including those inside <Gather>."""
    return [say.text or "" for say in root.iter("Say")]


def voices(root: ET.Element) -> set[str]:
    """The voices used by every <Say>."""
    return {say.get("voice", "") for say in root.iter("Say")}

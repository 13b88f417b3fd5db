"""Phone numbers in E.164, the only form the hotline stores and dials."""

from __future__ import annotations

import re

E164_PATTERN = r"^\+[1-9][0-9]{6,14}$"
E164 = re.compile(E164_PATTERN)


def is_e164(phone: str | None) -> bool:
    """A real, dialable number such as +8613800000000 (not withheld, not empty)."""
    return bool(phone) and E164.match(phone or "") is not None


SIP_URI = re.compile(r"^sips?:[A-Za-z0-9._~+\-%!$&'*=]+@[A-Za-z0-9.\-]+(:[0-9]{1,5})?(;[^\s<>]*)?$")


def is_agent_phone(phone: str | None) -> bool:
    """Where an agent's calls ring: an E.164 number or a SIP URI such as sip:li@seats.example."""
    return is_e164(phone) or (bool(phone) and SIP_URI.match(phone or "") is not None)

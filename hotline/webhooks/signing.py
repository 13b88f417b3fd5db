"""HMAC-SHA256 signatures over the timestamp and the body, as receivers check them."""

from __future__ import annotations

import hashlib
import hmac

TOLERANCE_SECONDS = 300  # receivers refuse older deliveries, so a captured one cannot be replayed
SIGNATURE_HEADER = "X-Hotline-Signature"
TIMESTAMP_HEADER = "X-Hotline-Timestamp"
EVENT_HEADER = "X-Hotline-Event"
EVENT_ID_HEADER = "X-Hotline-Event-Id"
DELIVERY_HEADER = "X-Hotline-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256 of `{timestamp}.{body}` under the subscription's secret."""
    message = str(timestamp).encode("ascii") + b"." + body
    return "v1=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signed: str,
    *,
    now: float,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the timestamp is recent and the signature matches."""
    try:
        moment = int(timestamp)
    except ValueError:
        return False
    if abs(now - moment) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, moment, body), signed)

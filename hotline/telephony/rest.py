"""The official Twilio REST client, optionally sending every request to another base URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

# Product hosts other than api.twilio.com live under a path prefix on an emulator or edge proxy.
PRODUCT_PREFIXES = {
    "api.twilio.com": "",
    "messaging.twilio.com": "/messaging",
    "verify.twilio.com": "/verify",
    "conversations.twilio.com": "/conversations",
}


def rebase(url: str, base_url: str) -> str:
    """https://api.twilio.com/2010-04-01/... → {base}/2010-04-01/... (other products prefixed)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    prefix = PRODUCT_PREFIXES.get(host, "/" + host.split(".")[0])
    base = urlsplit(base_url)
    return urlunsplit((base.scheme, base.netloc, base.path + prefix + parts.path, parts.query, ""))


class RebasedHttpClient(TwilioHttpClient):
    """Twilio's own HTTP client, with every request sent to HOTLINE_TWILIO_API_BASE_URL."""

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        """Send the request to the rebased URL."""
        return super().request(method, rebase(url, self.base_url), *args, **kwargs)


def make_client(account_sid: str, auth_token: str, base_url: str | None, timeout: float) -> Client:
    """A REST client for the account; talks to Twilio unless a base URL overrides it."""
    http = (
        RebasedHttpClient(base_url, timeout=timeout)
        if base_url
        else TwilioHttpClient(timeout=timeout)
    )
    return Client(account_sid, auth_token, http_client=http)

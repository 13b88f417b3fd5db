"""Twilio request signature check; forged requests are refused before anything is written."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from twilio.request_validator import RequestValidator

from hotline.core.settings import Settings


def public_url(request: Request, settings: Settings) -> str:
    """The URL Twilio signed: the configured public base URL plus this path and query."""
    query = request.url.query
    return settings.public_base_url + request.url.path + (f"?{query}" if query else "")


async def verified_twilio_form(request: Request) -> dict[str, str]:
    """The POSTed form, after its X-Twilio-Signature has been checked (403 otherwise)."""
    settings: Settings = request.app.state.settings
    signature = request.headers.get("X-Twilio-Signature", "")
    try:
        form = await request.form()
    except Exception as error:  # malformed bodies must not become a 500
        raise HTTPException(status_code=400, detail="malformed form body") from error
    params = {key: value for key, value in form.items() if isinstance(value, str)}
    validator = RequestValidator(settings.twilio_auth_token)
    if not signature or not validator.validate(public_url(request, settings), params, signature):
        raise HTTPException(status_code=403, detail="invalid Twilio signature")
    return params


TwilioForm = Annotated[dict[str, str], Depends(verified_twilio_form)]


def require(form: dict[str, str], *names: str) -> None:
    """400 when a field Twilio always sends is missing or empty."""
    missing = [name for name in names if not form.get(name)]
    if missing:
        raise HTTPException(status_code=400, detail=f"missing form field(s): {', '.join(missing)}")

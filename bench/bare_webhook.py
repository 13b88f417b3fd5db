"""The baseline for webhook latency: a bare FastAPI endpoint that reads a form, answers TwiML."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

app = FastAPI()
TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" action="/ivr/language">'
    "<Say>Welcome</Say></Gather></Response>"
)


@app.post("/ivr/voice")
async def voice(request: Request) -> Response:
    """Parse the form as the hotline does, answer a fixed document."""
    form = await request.form()
    assert form.get("CallSid")
    return Response(TWIML, media_type="application/xml")


@app.get("/readyz")
def ready() -> dict[str, bool]:
    """Ready at once."""
    return {"ready": True}

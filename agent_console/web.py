"""Template rendering shared by every console page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from agent_console.i18n import translator

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


_env.filters["percent"] = _percent


def client_address(request: Request) -> str | None:
    """The browser's address as the server sees it (behind a proxy: uvicorn --proxy-headers)."""
    return request.client.host if request.client else None


def local_time(request: Request, moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC moment in the hotline's time zone."""
    if moment is None:
        return "—"
    zone = ZoneInfo(request.app.state.settings.timezone)
    return moment.astimezone(zone).strftime(fmt)


def render(
    request: Request, name: str, *, language: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a template with the translator, time formatting and the request."""
    html = _env.get_template(name).render(
        request=request,
        t=translator(language),
        lang=language,
        when=lambda moment, fmt="%Y-%m-%d %H:%M": local_time(request, moment, fmt),
        now=request.app.state.clock.now(),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)

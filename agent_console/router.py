"""The console plug-in: every page under /console/ plus its error pages."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from agent_console.errors import PageError, page_error_handler
from agent_console.pages import (
    admin,
    assets,
    board,
    calls,
    dashboard,
    intake,
    integrations,
    kb,
    media,
    seat,
    signin,
    ticket,
    ticket_limits,
    tickets,
)

router = APIRouter(prefix="/console", include_in_schema=False)
for module in (
    assets,
    signin,
    tickets,
    ticket,
    ticket_limits,
    media,
    intake,
    calls,
    seat,
    board,
    kb,
    dashboard,
    admin,
    integrations,
):
    router.include_router(module.router)


def install(app: FastAPI) -> None:
    """Add the console's routes and error pages to the app."""
    app.include_router(router)
    app.add_exception_handler(PageError, page_error_handler)

"""Domain errors shown as console pages with the right status."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from fastapi.responses import HTMLResponse

from agent_console.web import render
from hotline.core.errors import Conflict, Forbidden, NotFound
from hotline.tickets.transitions import InvalidTransition


class PageError(Exception):
    """Show an error page with this status and message."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn NotFound, Forbidden and Conflict into 404, 403 and 409 pages."""
    try:
        yield
    except NotFound as error:
        raise PageError(404, str(error)) from error
    except Forbidden as error:
        raise PageError(403, str(error)) from error
    except (Conflict, InvalidTransition) as error:
        raise PageError(409, str(error)) from error


def page_error_handler(request: Request, error: Exception) -> HTMLResponse:
    """Render a PageError in the browser's preferred console language."""
    assert isinstance(error, PageError)
    accept = request.headers.get("accept-language", "")
    language = "en" if accept.lower().startswith("en") else "zh-CN"
    return render(
        request,
        "error.html",
        language=language,
        status_code=error.status_code,
        viewer=None,
        message=error.message,
    )

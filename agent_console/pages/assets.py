"""Static files served by the app itself (no CDN): CSS and the vendored htmx."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from agent_console.errors import PageError

router = APIRouter()
STATIC = Path(__file__).resolve().parent.parent / "static"
TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    """One file from the static folder (no sub-paths)."""
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in TYPES or not path.is_file():
        raise PageError(404, f"no static file {name}")
    return FileResponse(
        path, media_type=TYPES[path.suffix], headers={"Cache-Control": "public, max-age=3600"}
    )

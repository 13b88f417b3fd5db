"""GET /healthz (database, Redis and speech models) and GET /readyz for load balancers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from hotline.core.redis import embedded_url
from hotline.core.settings import Settings
from transcription.registry import is_model_dir, resolve_models

router = APIRouter(tags=["health"])


def _database(request: Request) -> dict[str, Any]:
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"ok": True, "dialect": request.app.state.engine.dialect.name}
    except SQLAlchemyError as error:
        return {"ok": False, "error": str(error).splitlines()[0]}


def _redis(settings: Settings) -> dict[str, Any]:
    url = settings.redis_url or embedded_url(settings)
    if url is None:
        return {"ok": False, "error": "embedded Valkey not running; start `hotline worker`"}
    try:
        Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        return {"ok": True, "embedded": settings.redis_url is None}
    except (RedisError, OSError) as error:
        return {"ok": False, "error": str(error)}


def _models(settings: Settings) -> dict[str, Any]:
    assert settings.models_dir is not None
    paths = resolve_models(settings.vosk_models, settings.models_dir)
    return {language: {"installed": is_model_dir(path)} for language, path in paths.items()}


@router.get("/healthz")
def healthz(request: Request) -> JSONResponse:
    """200 while the database answers (webhooks need nothing else); details for the rest."""
    settings: Settings = request.app.state.settings
    report: dict[str, Any] = {
        "database": _database(request),
        "redis": _redis(settings),
        "models": _models(settings),
    }
    healthy = report["database"]["ok"]
    degraded = not report["redis"]["ok"] or not any(
        m["installed"] for m in report["models"].values()
    )
    report["status"] = "down" if not healthy else ("degraded" if degraded else "ok")
    return JSONResponse(report, status_code=200 if healthy else 503)


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """200 when this process can take webhooks (its database answers), else 503."""
    database = _database(request)
    return JSONResponse(
        {"ready": database["ok"], "database": database}, status_code=200 if database["ok"] else 503
    )

"""`hotline open311 keys …` and `hotline webhooks …` on a fresh data directory."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from hotline.app import create_app
from hotline.core.settings import Settings
from tests.hotline.test_cli import run

REQUEST = {"service_code": "other", "address_string": "1101", "description": "咨询办事时间"}


def post(tmp_path: Path, key: str) -> int:
    with TestClient(create_app(Settings(data_dir=tmp_path / "data"))) as client:
        return client.post(
            "/open311/v2/requests.json", data={**REQUEST, "api_key": key}
        ).status_code


def test_a_key_is_printed_once_and_works_until_revoked(tmp_path: Path) -> None:
    assert run(tmp_path, "init", "--demo").returncode == 0
    made = run(tmp_path, "open311", "keys", "add", "wechat-miniprogram", "--rate-limit", "30")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("o311_") and len(key.splitlines()) == 1
    assert "not shown again" in made.stderr
    listed = run(tmp_path, "open311", "keys", "list").stdout
    assert "wechat-miniprogram" in listed and key[:9] in listed and key not in listed
    assert " 30 " in listed
    assert run(tmp_path, "open311", "keys", "add", "wechat-miniprogram").returncode == 1
    assert post(tmp_path, key) == 201
    assert run(tmp_path, "open311", "keys", "limit", "wechat-miniprogram", "5").returncode == 0
    assert " 5 " in run(tmp_path, "open311", "keys", "list").stdout
    assert run(tmp_path, "open311", "keys", "revoke", "wechat-miniprogram").returncode == 0
    assert post(tmp_path, key) == 403
    assert run(tmp_path, "open311", "keys", "revoke", "nobody").returncode == 1


def test_webhook_subscriptions_from_the_command_line(tmp_path: Path) -> None:
    assert run(tmp_path, "init", "--demo").returncode == 0
    bad = run(tmp_path, "webhooks", "add", "http://127.0.0.1:9/x", "--events", "created,moved")
    assert bad.returncode == 1 and "events: choose from" in bad.stderr
    made = run(tmp_path, "webhooks", "add", "http://127.0.0.1:9/x", "--events", "created,closed")
    assert made.returncode == 0, made.stderr
    assert "subscription 1:" in made.stdout and "secret: " in made.stdout
    key = run(tmp_path, "open311", "keys", "add", "app").stdout.strip()
    assert post(tmp_path, key) == 201
    assert run(tmp_path, "worker", "--burst").returncode == 0  # nobody listens on port 9
    log = run(tmp_path, "webhooks", "deliveries").stdout
    assert "ticket.created" in log and "pending" in log and "ConnectError" in log
    row = run(tmp_path, "webhooks", "list").stdout.splitlines()[1].split()
    assert row[:5] == ["1", "active", "1", "0", "0"]  # id, state, pending, failed, sent
    busy = run(tmp_path, "webhooks", "replay", "1")
    assert busy.returncode == 1 and "still being sent" in busy.stderr
    assert run(tmp_path, "webhooks", "replay", "99").returncode == 1
    assert run(tmp_path, "webhooks", "pause", "1").returncode == 0
    assert "paused" in run(tmp_path, "webhooks", "list").stdout
    resumed = run(tmp_path, "webhooks", "resume", "1")
    assert "1 waiting deliveries go out now" in resumed.stdout

"""`hotline init` and `hotline worker --burst` on a fresh data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select

from hotline.grids.models import OrgUnit


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_init_is_repeatable_and_seeds_the_demo_town(tmp_path: Path) -> None:
    assert run(tmp_path, "init").returncode == 0
    done = run(tmp_path, "init", "--demo")
    assert done.returncode == 0, done.stderr
    assert "communities: 6 created" in done.stdout
    assert "households: 500 created" in done.stdout
    again = run(tmp_path, "init", "--demo")
    assert "households: 0 created, 0 updated, 500 unchanged" in again.stdout
    engine = create_engine(f"sqlite:///{tmp_path / 'data' / 'hotline.db'}")
    with engine.connect() as connection:
        assert (
            connection.scalar(
                select(func.count()).select_from(OrgUnit).where(OrgUnit.level == "community")
            )
            == 6
        )
    engine.dispose()


def test_worker_burst_exits_when_nothing_is_queued(tmp_path: Path) -> None:
    assert run(tmp_path, "init").returncode == 0
    done = run(tmp_path, "worker", "--burst")
    assert done.returncode == 0, done.stderr
    assert "burst done: 0 jobs relayed" in done.stderr
    assert not (tmp_path / "data" / "valkey.port").exists()


def test_bad_configuration_is_reported_without_a_traceback(tmp_path: Path) -> None:
    env_run = run(tmp_path, "init")
    assert env_run.returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env.update(HOTLINE_DATA_DIR=str(tmp_path / "data"), HOTLINE_TELEPHONY="twilio")
    done = subprocess.run(
        [sys.executable, "-m", "hotline.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "refusing to start with HOTLINE_TELEPHONY=twilio" in done.stderr
    assert "Traceback" not in done.stderr


def test_grids_import_dry_run_writes_nothing_and_export_is_json(tmp_path: Path) -> None:
    assert run(tmp_path, "init").returncode == 0
    registry = tmp_path / "registry.yaml"
    registry.write_text(
        "districts: [{code: D9, name_zh: 区, name_en: District}]\n"
        "towns: [{code: T9, district: D9, name_zh: 镇, name_en: Town}]\n"
        "communities: [{code: '9901', town: T9, name_zh: 社区, name_en: Community}]\n"
        "grids: [{code: 9901-01, community: '9901', name_zh: 网格, name_en: Grid}]\n"
        "households: [{code: H1, address: 一号楼, phones: ['+8613700000001'], grid: 9901-01}]\n",
        encoding="utf-8",
    )
    dry = run(tmp_path, "grids", "import", str(registry), "--dry-run")
    assert dry.returncode == 0 and "would import (dry run)" in dry.stdout
    assert "households: 1 created" in dry.stdout
    empty = json.loads(run(tmp_path, "grids", "export", "--format", "json").stdout)
    assert empty["communities"] == [] and empty["households"] == []
    assert run(tmp_path, "grids", "import", str(registry)).returncode == 0
    data = json.loads(run(tmp_path, "grids", "export", "--format", "json").stdout)
    assert [c["code"] for c in data["communities"]] == ["9901"]
    assert data["households"] == [
        {"code": "H1", "address": "一号楼", "phones": ["+8613700000001"], "grid": "9901-01"}
    ]
    broken = registry.read_text(encoding="utf-8").replace("grid: 9901-01}", "grid: 9999-01}")
    registry.write_text(broken, encoding="utf-8")
    failed = run(tmp_path, "grids", "import", str(registry))
    assert failed.returncode == 1
    assert f"{registry}:5: grid: no grid with code '9999-01'" in failed.stderr


def test_users_commands(tmp_path: Path) -> None:
    assert run(tmp_path, "init", "--demo").returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")

    def users(*args: str, password: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hotline.cli", "users", *args],
            env=env,
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=60,
        )

    done = users(
        "add",
        "chen",
        "--role",
        "grid_worker",
        "--team",
        "1101-01",
        "--password-stdin",
        password="a long enough secret",
    )
    assert done.returncode == 0, done.stderr
    assert "added chen (grid_worker, team 1101-01)" in done.stdout
    refused = users("add", "li", "--role", "grid_worker", "--password-stdin", password="x" * 12)
    assert refused.returncode == 1 and "needs --team" in refused.stderr
    assert users("disable", "chen").returncode == 0
    listing = users("list").stdout
    assert "chen" in listing and "False" in listing
    assert users("disable", "ghost").returncode == 1

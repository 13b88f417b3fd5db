"""`hotline kb import|export`: four file shapes, every problem with file and line, nothing written
on error, dry runs, idempotent upserts, and export → import round trips."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from hotline.kb.files import KbFileError, read_entries
from hotline.kb.importer import articles_of
from hotline.kb.models import Article, ArticleRevision
from tests.conftest import Backend

YAML = """\
articles:
  - code: water-outage
    language: zh-CN
    category: utilities
    title: 停水
    answer: 计划停水提前24小时通知。
    keywords: [停水, 来水]
  - code: water-outage
    language: en
    title: Water cut
    answer: Planned cuts are announced a day ahead.
    keywords: [water cut]
  - code: noise-hours
    category: noise_disputes
    title: 装修噪音
    answer: 工作日8:00-18:00。
"""


def run(backend: Backend, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    env["HOTLINE_DATA_DIR"] = str(tmp_path / "data")
    env["HOTLINE_DATABASE_URL"] = backend.database_url
    return subprocess.run(
        [sys.executable, "-m", "hotline.cli", "kb", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def articles(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count(Article.id))) or 0


def test_import_is_idempotent_dry_runs_write_nothing_and_export_round_trips(
    backend: Backend, db_engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "kb.yaml"
    source.write_text(YAML, encoding="utf-8")
    dry = run(backend, tmp_path, "import", str(source), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "would import" in dry.stdout and "2 created" in dry.stdout
    assert articles(db_engine) == 0
    done = run(backend, tmp_path, "import", str(source))
    assert "articles: 2 created, 0 updated, 0 unchanged" in done.stdout, done.stderr
    again = run(backend, tmp_path, "import", str(source))
    assert "articles: 0 created, 0 updated, 2 unchanged" in again.stdout
    exported = run(backend, tmp_path, "export", "--format", "json")
    data = json.loads(exported.stdout)
    assert {(a["code"], a["language"]) for a in data["articles"]} == {
        ("noise-hours", "zh-CN"),
        ("water-outage", "en"),
        ("water-outage", "zh-CN"),
    }
    round_trip = tmp_path / "exported.json"
    round_trip.write_text(exported.stdout, encoding="utf-8")
    back = run(backend, tmp_path, "import", str(round_trip))
    assert "0 created, 0 updated, 2 unchanged" in back.stdout, back.stderr
    as_yaml = yaml.safe_load(run(backend, tmp_path, "export").stdout)
    assert as_yaml["articles"] == data["articles"]
    with Session(db_engine) as session:
        assert session.scalar(select(func.count(ArticleRevision.id))) == 2  # one version each


def test_a_file_with_errors_writes_nothing_and_names_each_problem(
    backend: Backend, db_engine: Engine, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        YAML.replace("category: noise_disputes", "category: weather").replace(
            "    title: Water cut\n", "    title: Water cut\n    colour: red\n"
        )
        + "  - code: water-outage\n    language: en\n    title: again\n    answer: twice\n",
        encoding="utf-8",
    )
    done = run(backend, tmp_path, "import", str(bad))
    assert done.returncode == 1
    assert "nothing imported, 3 problem(s)" in done.stderr
    assert f"{bad}:11: colour: unknown field" in done.stderr
    assert f"{bad}:19: language: en of water-outage already at {bad}:8" in done.stderr
    assert f"{bad}:15: category: unknown category 'weather'" in done.stderr
    assert articles(db_engine) == 0


def test_csv_and_a_folder_of_markdown_read_the_same_articles(tmp_path: Path) -> None:
    csv_file = tmp_path / "kb.csv"
    csv_file.write_text(
        "code,language,category,title,answer,keywords\n"
        "water-outage,zh-CN,utilities,停水,计划停水提前通知。,停水;来水\n"
        "water-outage,en,utilities,Water cut,Announced a day ahead.,water cut\n",
        encoding="utf-8",
    )
    folder = tmp_path / "articles"
    (folder / "zh").mkdir(parents=True)
    (folder / "zh" / "water.md").write_text(
        "---\ncode: water-outage\ncategory: utilities\nkeywords: [停水, 来水]\n---\n\n"
        "# 停水\n\n计划停水提前通知。\n",
        encoding="utf-8",
    )
    (folder / "water.en.md").write_text(
        "---\ncode: water-outage\nlanguage: en\ntitle: Water cut\nkeywords: [water cut]\n---\n"
        "Announced a day ahead.\n",
        encoding="utf-8",
    )
    from_csv = articles_of(read_entries(csv_file))
    from_markdown = articles_of(read_entries(folder))
    assert from_csv == from_markdown
    (only,) = from_csv
    assert only.texts["zh-CN"].keywords == ("停水", "来水")
    assert only.texts["en"].answer == "Announced a day ahead."


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("articles: 3\n", ":1: articles must be a list"),
        ("tickets: []\n", ":1: unknown section 'tickets' (expected articles)"),
        ("articles: [1]\n", ":1: each articles entry must be a mapping"),
        (
            "articles:\n  - {code: a1, title: t, answer: a, category: utilities, "
            "valid_from: soon}\n",
            ":2: valid_from: not a date (YYYY-MM-DD): 'soon'",
        ),
        ("articles:\n  - {title: t}\n", ":2: code: missing"),
        ("articles: [\n", "not valid YAML/JSON"),
    ],
)
def test_malformed_files_are_explained(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "kb.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(KbFileError) as refused:
        articles_of(read_entries(path))
    assert any(problem in p for p in refused.value.problems), refused.value.problems


def test_markdown_without_front_matter_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# 停水\n\n答复\n", encoding="utf-8")
    with pytest.raises(KbFileError, match="starts with front matter"):
        read_entries(tmp_path)
    with pytest.raises(KbFileError, match="no such file"):
        read_entries(tmp_path / "missing.yaml")

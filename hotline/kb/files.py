"""Read knowledge-base files (YAML, JSON, CSV, a folder of Markdown) into entries with lines.

An entry is one language version of one article; entries sharing a `code` are one article.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from hotline.core.sourcefiles import Located, SourceFileError, csv_rows, yaml_sections

LIST_FIELDS = ("keywords", "intake_types")
MARKDOWN = (".md", ".markdown")


class KbFileError(SourceFileError):
    """The file cannot be read; the message names file, line and field."""


Entry = Located  # one language version as written, with where it came from


def _entries(read: Callable[[], list[Entry]]) -> list[Entry]:
    try:
        return read()
    except SourceFileError as error:
        raise KbFileError(error.problems) from error


def read_yaml(path: Path) -> list[Entry]:
    """`articles:` entries of a YAML or JSON file, each with its line numbers."""
    return _entries(lambda: [item for _, item in yaml_sections(path, ("articles",))])


def read_csv(path: Path) -> list[Entry]:
    """Rows of a CSV file (a header row first); list fields are separated by ';'."""
    return _entries(lambda: csv_rows(path, LIST_FIELDS)[1])


def read_markdown(path: Path) -> Entry:
    """A Markdown file: YAML front matter between `---` lines, then the answer; the title may
    also be the first `# ` heading."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise KbFileError([f"{path}:1: a Markdown article starts with front matter (---)"])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration as error:
        raise KbFileError([f"{path}:1: the front matter has no closing ---"]) from error
    try:
        front = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as error:
        raise KbFileError([f"{path}:2: front matter is not valid YAML: {error}"]) from error
    if not isinstance(front, dict):
        raise KbFileError([f"{path}:2: front matter must be a mapping"])
    field_lines: dict[str, int] = {}
    for number, line in enumerate(lines[1:end], start=2):
        name = line.split(":", 1)[0].strip()
        if name in front:
            field_lines.setdefault(name, number)
    body = lines[end + 1 :]
    first = next((i for i, line in enumerate(body) if line.strip()), None)
    if first is not None and body[first].startswith("# ") and "title" not in front:
        front["title"] = body[first][2:].strip()
        field_lines["title"] = end + 2 + first
        body = body[first + 1 :]
    front.setdefault("answer", "\n".join(body).strip())
    field_lines.setdefault("answer", end + 2)
    return Entry(str(path), 1, front, field_lines)


def read_entries(path: Path) -> list[Entry]:
    """Entries of a .yaml/.yml/.json or .csv file, or of every Markdown file in a folder."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in MARKDOWN)
        if not files:
            raise KbFileError([f"{path}: no Markdown files (*.md) in this folder"])
        problems: list[str] = []
        entries: list[Entry] = []
        for file in files:
            try:
                entries.append(read_markdown(file))
            except (KbFileError, UnicodeDecodeError) as error:
                problems.extend(getattr(error, "problems", [f"{file}: {error}"]))
        if problems:
            raise KbFileError(problems)
        return entries
    if not path.is_file():
        raise KbFileError([f"{path}: no such file or folder"])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix in MARKDOWN:
        return [read_markdown(path)]
    return read_yaml(path)

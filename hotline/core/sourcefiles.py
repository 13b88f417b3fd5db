"""Operators' data files (YAML, JSON, CSV) read into items that remember their line numbers, so
every problem can be reported as `file:line: field: problem`."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from hotline.core.database import make_engine, make_sessionmaker
from hotline.core.settings import load_settings


class SourceFileError(ValueError):
    """The file cannot be used; `problems` lists every `file:line: field: problem`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Located:
    """One item as written, with where it came from."""

    source: str
    line: int
    fields: dict[str, Any]
    field_lines: dict[str, int] = field(default_factory=dict)

    def where(self, name: str | None = None) -> str:
        """`file:line: field` for error messages."""
        line = self.field_lines.get(name, self.line) if name else self.line
        return f"{self.source}:{line}" + (f": {name}" if name else "")


def split_list(value: str) -> list[str]:
    """A list written in one cell: `a;b;c` (full-width ； too)."""
    return [part.strip() for part in value.replace("；", ";").split(";") if part.strip()]


def yaml_sections(path: Path, allowed: Collection[str]) -> list[tuple[str, Located]]:
    """Items of a YAML or JSON file whose top level maps section names to lists of mappings."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise SourceFileError([f"{path}: not valid YAML/JSON: {error}"]) from error
    if root is None:
        return []
    names = ", ".join(allowed)
    if not isinstance(root, yaml.MappingNode):
        raise SourceFileError([f"{path}:1: the top level must map {names} to lists"])
    expected = f"one of {names}" if len(allowed) > 1 else names
    items: list[tuple[str, Located]] = []
    problems: list[str] = []
    for key_node, value_node in root.value:
        section = key_node.value
        if section not in allowed:
            line = key_node.start_mark.line + 1
            problems.append(f"{path}:{line}: unknown section {section!r} (expected {expected})")
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            problems.append(f"{path}:{value_node.start_mark.line + 1}: {section} must be a list")
            continue
        for item in value_node.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                problems.append(f"{path}:{line}: each {section} entry must be a mapping")
                continue
            data = yaml.safe_load(yaml.serialize(item))
            lines = {k.value: k.start_mark.line + 1 for k, _ in item.value}
            items.append((section, Located(str(path), line, data, lines)))
    if problems:
        raise SourceFileError(problems)
    return items


def csv_rows(path: Path, list_fields: Collection[str]) -> tuple[list[str], list[Located]]:
    """The header and rows of a CSV file; empty cells are left out, list cells split at ';'."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = []
        for row in reader:
            fields: dict[str, Any] = {}
            for name, value in row.items():
                if name is None:
                    raise SourceFileError([f"{path}:{reader.line_num}: more values than columns"])
                value = (value or "").strip()
                if name in list_fields:
                    fields[name] = split_list(value)
                elif value != "":
                    fields[name] = value
            rows.append(Located(str(path), reader.line_num, fields))
    return header, rows


def run_import(path: Path, *, dry_run: bool, work: Callable[[Session], list[str]]) -> int:
    """`hotline ... import`: run `work` in one transaction (rolled back on a dry run or on any
    problem), print what it did or every problem; the command's exit status."""
    started = time.perf_counter()
    engine = make_engine(load_settings().resolved_database_url)
    session = make_sessionmaker(engine)()
    try:
        lines = work(session)
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except SourceFileError as error:
        session.rollback()
        return print_problems(error)
    finally:
        session.close()
        engine.dispose()
    verb = "would import (dry run)" if dry_run else "imported"
    print(f"{verb} {path} in {time.perf_counter() - started:.1f} s:")
    for line in lines:
        print(f"  {line}")
    return 0


def print_problems(error: SourceFileError) -> int:
    """Tell an operator why nothing was imported; the command's exit status."""
    print(f"error: nothing imported, {len(error.problems)} problem(s):", file=sys.stderr)
    for problem in error.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def print_document(data: object, *, format: str) -> int:
    """An export as JSON or YAML on standard output; the command's exit status."""
    if format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), end="")
    return 0

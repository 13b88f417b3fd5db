"""Read registry files (YAML, JSON, CSV) into records that remember their line numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hotline.core.sourcefiles import Located, SourceFileError, csv_rows, yaml_sections
from hotline.grids.schemas import PARENT_FIELD, SECTIONS

LIST_FIELDS = {"phones", "categories", "landmarks", "boundary"}


class RegistryFileError(SourceFileError):
    """The file cannot be read as a registry; the message names file, line and field."""


@dataclass
class Record(Located):
    """One row of one section, with where it came from."""

    section: str = field(default="", kw_only=True)


def parent_to_generic(section: str, fields: dict[str, Any]) -> dict[str, Any]:
    name = PARENT_FIELD.get(section)
    if name and name in fields:
        fields = dict(fields)
        fields["parent"] = fields.pop(name)
    return fields


def read_yaml(path: Path) -> list[Record]:
    """Sections of a YAML or JSON registry, each item with its line numbers."""
    try:
        items = yaml_sections(path, SECTIONS)
    except SourceFileError as error:
        raise RegistryFileError(error.problems) from error
    records = []
    for section, item in items:
        lines = dict(item.field_lines)
        fields = parent_to_generic(section, item.fields)
        if "parent" in fields and PARENT_FIELD.get(section) in lines:
            lines["parent"] = lines[PARENT_FIELD[section]]
        records.append(Record(item.source, item.line, fields, lines, section=section))
    return records


def guess_section(path: Path, header: list[str]) -> str:
    """Which section a CSV holds: from its name (households.csv) or its columns."""
    stem = path.stem.lower()
    for section in SECTIONS:
        if stem.startswith(section):
            return section
    columns = set(header)
    if "address" in columns:
        return "households"
    if "role" in columns:
        return "members"
    for section, parent in PARENT_FIELD.items():
        if parent in columns:
            return section
    raise RegistryFileError([f"{path}:1: cannot tell which section this CSV holds"])


def read_csv(path: Path, section: str | None = None) -> list[Record]:
    """Rows of a CSV registry file; list fields are separated by ';'."""
    try:
        header, rows = csv_rows(path, LIST_FIELDS)
    except SourceFileError as error:
        raise RegistryFileError(error.problems) from error
    section = section or guess_section(path, header)
    return [
        Record(row.source, row.line, parent_to_generic(section, row.fields), section=section)
        for row in rows
    ]


def read_registry(path: Path, section: str | None = None) -> list[Record]:
    """Records from a .yaml/.yml/.json or .csv file."""
    if not path.is_file():
        raise RegistryFileError([f"{path}: no such file"])
    if path.suffix.lower() == ".csv":
        return read_csv(path, section)
    return read_yaml(path)

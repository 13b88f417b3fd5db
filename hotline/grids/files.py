"""Read registry files (YAML, JSON, CSV) into records that remember their line numbers."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hotline.grids.schemas import PARENT_FIELD, SECTIONS

LIST_FIELDS = {"phones", "categories", "landmarks"}


class RegistryFileError(ValueError):
    """The file cannot be read as a registry; the message names file, line and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Record:
    """One row of one section, with where it came from."""

    section: str
    source: str
    line: int
    fields: dict[str, Any]
    field_lines: dict[str, int] = field(default_factory=dict)

    def where(self, name: str | None = None) -> str:
        """`file:line: field` for error messages."""
        line = self.field_lines.get(name, self.line) if name else self.line
        return f"{self.source}:{line}" + (f": {name}" if name else "")


def parent_to_generic(section: str, fields: dict[str, Any]) -> dict[str, Any]:
    name = PARENT_FIELD.get(section)
    if name and name in fields:
        fields = dict(fields)
        fields["parent"] = fields.pop(name)
    return fields


def read_yaml(path: Path) -> list[Record]:
    """Sections of a YAML or JSON registry, each item with its line number."""
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RegistryFileError([f"{path}: not valid YAML/JSON: {error}"]) from error
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise RegistryFileError([f"{path}:1: the top level must map section names to lists"])
    records: list[Record] = []
    problems: list[str] = []
    for key_node, value_node in root.value:
        section = key_node.value
        if section not in SECTIONS:
            problems.append(
                f"{path}:{key_node.start_mark.line + 1}: unknown section {section!r} "
                f"(expected one of {', '.join(SECTIONS)})"
            )
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
            fields = parent_to_generic(section, data)
            if "parent" in fields and PARENT_FIELD.get(section) in lines:
                lines["parent"] = lines[PARENT_FIELD[section]]
            records.append(Record(section, str(path), line, fields, lines))
    if problems:
        raise RegistryFileError(problems)
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
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        section = section or guess_section(path, list(header))
        records = []
        for row in reader:
            fields: dict[str, Any] = {}
            for name, value in row.items():
                if name is None:
                    raise RegistryFileError([f"{path}:{reader.line_num}: more values than columns"])
                value = (value or "").strip()
                if name in LIST_FIELDS:
                    fields[name] = [part.strip() for part in value.split(";") if part.strip()]
                elif value != "":
                    fields[name] = value
            fields = parent_to_generic(section, fields)
            records.append(Record(section, str(path), reader.line_num, fields))
    return records


def read_registry(path: Path, section: str | None = None) -> list[Record]:
    """Records from a .yaml/.yml/.json or .csv file."""
    if not path.is_file():
        raise RegistryFileError([f"{path}: no such file"])
    if path.suffix.lower() == ".csv":
        return read_csv(path, section)
    return read_yaml(path)

"""Load and check the category configuration (lexicons, levels, deadlines)."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from hotline.tickets.categories import Category

DEFAULT_FILE = Path(__file__).with_name("categories.yaml")


class TriageLevel(StrEnum):
    """How a ticket is handled: 简单问题立刻答复, 一般问题限时办结, 复杂问题上报研判, urgent."""

    SIMPLE = "simple"
    GENERAL = "general"
    COMPLEX = "complex"
    URGENT = "urgent"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KindRule(_Strict):
    """Limits for a kind of request."""

    resolution_working_days: float = Field(gt=0)


class LevelRule(_Strict):
    """Deadlines a triage level sets (calendar hours for urgent response, else working time)."""

    response_hours: float | None = Field(default=None, gt=0)
    response_working_hours: float | None = Field(default=None, gt=0)
    resolution_working_days: float | None = Field(default=None, gt=0)


class CategoryRule(_Strict):
    """One category: its kind, default level and keywords per language."""

    kind: str
    level: TriageLevel = TriageLevel.GENERAL
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    urgent_keywords: dict[str, list[str]] = Field(default_factory=dict)


class CategoryConfig(_Strict):
    """The whole file."""

    kinds: dict[str, KindRule]
    levels: dict[TriageLevel, LevelRule]
    categories: dict[Category, CategoryRule]

    @model_validator(mode="after")
    def _complete(self) -> CategoryConfig:
        missing = [c.value for c in Category if c not in self.categories]
        if missing:
            raise ValueError(f"categories missing from the configuration: {', '.join(missing)}")
        unknown = {r.kind for r in self.categories.values()} - set(self.kinds)
        if unknown:
            raise ValueError(f"categories use undefined kinds: {', '.join(sorted(unknown))}")
        absent = [level.value for level in TriageLevel if level not in self.levels]
        if absent:
            raise ValueError(f"levels missing from the configuration: {', '.join(absent)}")
        return self


class ConfigError(ValueError):
    """The category configuration file is unusable; the message names the file."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


def load_config(path: Path | None = None) -> CategoryConfig:
    """Read and validate a category configuration file (the packaged one by default)."""
    path = path or DEFAULT_FILE
    try:
        return CategoryConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError) as error:
        raise ConfigError(path, str(error)) from error


@cache
def default_config() -> CategoryConfig:
    """The packaged configuration, read once."""
    return load_config()

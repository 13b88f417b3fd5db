"""Load and check the category configuration (lexicons, levels, time limits)."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, model_validator

from hotline.sla.limits import Limit, parse_limit
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType, Urgency

DEFAULT_FILE = Path(__file__).with_name("categories.yaml")


class TriageLevel(StrEnum):
    """How a ticket is handled: 简单问题立刻答复, 一般问题限时办结, 复杂问题上报研判, urgent."""

    SIMPLE = "simple"
    GENERAL = "general"
    COMPLEX = "complex"
    URGENT = "urgent"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _limit(value: object) -> Limit:
    return value if isinstance(value, Limit) else parse_limit(str(value))


LimitField = Annotated[Limit, BeforeValidator(_limit), PlainSerializer(str)]


class UrgencyRule(_Strict):
    """A time-limit class: first response (联系诉求人) and completion (办结反馈)."""

    response: LimitField
    completion: LimitField


class LevelRule(_Strict):
    """What a triage level does to time limits: none at all, a fixed class, or the category's."""

    deadlines: bool = True
    urgency: Urgency | None = None  # None: the category's own class


class AnswerChoice(_Strict):
    """One answer of a list question: its key and its name per language."""

    key: str = Field(pattern=r"^[A-Za-z0-9_-]{1,40}$")
    name: dict[str, str]


class Question(_Strict):
    """A category-specific question outside systems ask (an Open311 service attribute)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool = False
    description: dict[str, str]
    values: list[AnswerChoice] = Field(default_factory=list)

    @model_validator(mode="after")
    def _choices(self) -> Question:
        if self.datatype.endswith("valuelist") and not self.values:
            raise ValueError(f"question {self.code}: a {self.datatype} needs values")
        return self


class CategoryRule(_Strict):
    """One category: its intake type and time-limit class, default level, keywords, and how
    it is described to outside systems (group, description, questions; per language)."""

    intake_type: IntakeType
    urgency: Urgency = Urgency.GENERAL
    level: TriageLevel = TriageLevel.GENERAL
    keywords: dict[str, list[str]] = Field(default_factory=dict)
    urgent_keywords: dict[str, list[str]] = Field(default_factory=dict)
    group: dict[str, str] = Field(default_factory=dict)
    description: dict[str, str] = Field(default_factory=dict)
    questions: list[Question] = Field(default_factory=list)


class CategoryConfig(_Strict):
    """The whole file."""

    urgency: dict[Urgency, UrgencyRule]
    levels: dict[TriageLevel, LevelRule]
    categories: dict[Category, CategoryRule]

    @model_validator(mode="after")
    def _complete(self) -> CategoryConfig:
        missing = [c.value for c in Category if c not in self.categories]
        if missing:
            raise ValueError(f"categories missing from the configuration: {', '.join(missing)}")
        classes = [u.value for u in Urgency if u not in self.urgency]
        if classes:
            missing_classes = ", ".join(classes)
            raise ValueError(f"urgency classes missing from the configuration: {missing_classes}")
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

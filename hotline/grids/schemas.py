"""Validated shapes of registry records, as read from YAML, JSON or CSV."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hotline.core.phones import E164_PATTERN, is_e164
from hotline.grids.models import Role, UnitLevel
from hotline.tickets.categories import Category

CODE = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$"

SECTIONS: dict[str, UnitLevel | None] = {
    "districts": UnitLevel.DISTRICT,
    "towns": UnitLevel.TOWN,
    "communities": UnitLevel.COMMUNITY,
    "grids": UnitLevel.GRID,
    "members": None,
    "households": None,
}
PARENT_FIELD = {"towns": "district", "communities": "town", "grids": "community"}
PARENT_LEVEL = {
    UnitLevel.TOWN: UnitLevel.DISTRICT,
    UnitLevel.COMMUNITY: UnitLevel.TOWN,
    UnitLevel.GRID: UnitLevel.COMMUNITY,
}


class Strict(BaseModel):
    """Unknown fields are errors, so typos in column names do not pass silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, coerce_numbers_to_str=True)


class UnitIn(Strict):
    """A district, town, community or grid."""

    code: str = Field(pattern=CODE)
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=100)
    name_ko: str | None = Field(default=None, max_length=100)
    parent: str | None = None
    landmarks: list[str] = Field(default_factory=list)


class CommunityIn(UnitIn):
    """A community: its code is the 4 digits residents key in."""

    code: str = Field(pattern=r"^[0-9]{4}$")


class MemberIn(Strict):
    """A team member."""

    code: str = Field(pattern=CODE)
    unit: str
    name: str = Field(min_length=1, max_length=100)
    role: Role
    phone: str = Field(pattern=E164_PATTERN)
    language: Literal["zh-CN", "en", "ko"] = "zh-CN"
    active: bool = True
    categories: list[Category] = Field(default_factory=list)


class HouseholdIn(Strict):
    """A household and the member responsible for it."""

    code: str = Field(pattern=CODE)
    address: str = Field(min_length=1)
    phones: list[str] = Field(min_length=1)
    grid: str
    member: str | None = None

    @field_validator("phones")
    @classmethod
    def _e164(cls, phones: list[str]) -> list[str]:

        bad = [phone for phone in phones if not is_e164(phone)]
        if bad:
            raise ValueError(f"not E.164 phone numbers: {', '.join(bad)}")
        return list(dict.fromkeys(phones))

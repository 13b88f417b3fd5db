"""Validated shapes of registry records, as read from YAML, JSON or CSV."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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
    lat: float | None = Field(default=None, ge=-90, le=90)
    long: float | None = Field(default=None, ge=-180, le=180)
    boundary: list[tuple[float, float]] | None = None  # [lat, long] corners, WGS 84

    @field_validator("boundary", mode="before")
    @classmethod
    def _corners(cls, value: object) -> object:
        """CSV cells give `lat long` (or `lat,long`) per corner; empty means none."""
        if not value:
            return None
        if isinstance(value, list):
            return [_corner(item) for item in value]
        return value

    @model_validator(mode="after")
    def _coordinates(self) -> UnitIn:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long go together")
        if self.boundary is not None:
            if len(self.boundary) < 3:
                raise ValueError("a boundary needs at least 3 corners")
            bad = [c for c in self.boundary if not (-90 <= c[0] <= 90 and -180 <= c[1] <= 180)]
            if bad:
                raise ValueError(f"boundary corners out of range: {bad[:3]}")
        return self


def _corner(item: object) -> object:
    if isinstance(item, str):
        parts = item.replace(",", " ").split()
        if len(parts) != 2:
            raise ValueError(f"boundary corner {item!r} is not `lat long`")
        return [float(parts[0]), float(parts[1])]
    return item


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

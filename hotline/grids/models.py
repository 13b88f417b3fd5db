"""Grid registry tables: the district → town → community → grid hierarchy, teams, households."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import JSON, Boolean, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.core.database import Base


class UnitLevel(StrEnum):
    """Levels of grid governance, smallest first."""

    GRID = "grid"
    COMMUNITY = "community"
    TOWN = "town"
    DISTRICT = "district"


class Role(StrEnum):
    """Team roles: the grid's 1+6+N, plus staff at community, town and district level."""

    GRID_LEADER = "grid_leader"
    FULL_TIME_WORKER = "full_time_worker"
    PART_TIME_WORKER = "part_time_worker"
    GRID_INSTRUCTOR = "grid_instructor"
    MEDIATOR = "mediator"
    COMMUNITY_POLICE = "community_police"
    DOCTOR = "doctor"
    VOLUNTEER = "volunteer"
    BUILDING_HEAD = "building_head"
    COMMUNITY_STAFF = "community_staff"
    TRIAGE_OFFICER = "triage_officer"
    SUPERVISOR = "supervisor"


class OrgUnit(Base):
    """A district, town/street, community/village or grid; escalation goes to the parent."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    name_ko: Mapped[str | None] = mapped_column(String(100))
    landmarks: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Optional map data (WGS 84): a point such as the office, and the boundary ring.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    boundary: Mapped[list[list[float]] | None] = mapped_column(JSON)  # [[lat, long], ...]

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    def name_in(self, language: str) -> str:
        """The unit's name in a caller's language, falling back to Chinese."""
        if language == "en":
            return self.name_en
        if language == "ko" and self.name_ko:
            return self.name_ko
        return self.name_zh


class Member(Base):
    """A person on a unit's team, with the categories of problem they handle."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8), default="zh-CN")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)

    unit: Mapped[OrgUnit] = relationship()


class Household(Base):
    """A household assigned to a grid member (包保到户)."""

    __tablename__ = "households"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    address: Mapped[str] = mapped_column(Text)
    grid_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)

    grid: Mapped[OrgUnit] = relationship()
    member: Mapped[Member | None] = relationship()
    phones: Mapped[list[HouseholdPhone]] = relationship(
        cascade="all, delete-orphan", order_by="HouseholdPhone.id"
    )


class HouseholdPhone(Base):
    """One of a household's phone numbers, in E.164."""

    __tablename__ = "household_phones"
    __table_args__ = (UniqueConstraint("household_id", "phone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id"), index=True)
    phone: Mapped[str] = mapped_column(String(32), index=True)

"""Grid registry look-ups and seeding."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.grids.models import Community


def get_community_by_code(*, session: Session, code: str) -> Community | None:
    """The community with this 4-digit code, if any."""
    return session.scalar(select(Community).where(Community.code == code))


def list_communities(*, session: Session) -> list[Community]:
    """Every community, by code."""
    return list(session.scalars(select(Community).order_by(Community.code)))


def upsert_community(*, session: Session, code: str, **fields: str | None) -> Community:
    """Create or update a community by code."""
    community = get_community_by_code(session=session, code=code)
    if community is None:
        community = Community(code=code, **fields)
        session.add(community)
    else:
        for name, value in fields.items():
            setattr(community, name, value)
    session.flush()
    return community

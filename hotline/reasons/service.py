"""Reasons as readers see them: registry names loaded for the codes the reasons mention."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.grids.models import Member, OrgUnit
from hotline.reasons.codes import Reason, as_reasons, from_json, to_json
from hotline.reasons.render import Names, referenced, render_all

STORED_LANGUAGE = "en"  # the text kept beside the codes, for API consumers and old readers


def names_for(*, session: Session, reasons: Iterable[Reason]) -> Names:
    """Names of the units and members these reasons refer to."""
    unit_codes, member_codes = referenced(reasons)
    units = (
        session.scalars(select(OrgUnit).where(OrgUnit.code.in_(unit_codes))).all()
        if unit_codes
        else []
    )
    members = (
        session.scalars(select(Member).where(Member.code.in_(member_codes))).all()
        if member_codes
        else []
    )
    return Names(
        units={
            u.code: {"zh-CN": u.name_zh, "en": u.name_en, "ko": u.name_ko or u.name_en}
            for u in units
        },
        members={m.code: m.name for m in members},
    )


Why = str | Reason | Sequence[Reason] | None


def stored(value: Why) -> tuple[str | None, list[dict[str, Any]]]:
    """(English text, codes) to keep on a row; the text names things by code only."""
    reasons = as_reasons(value)
    if not reasons:
        return None, []
    return render_all(reasons, STORED_LANGUAGE), to_json(reasons)


def columns(value: Why) -> dict[str, Any]:
    """The `reason` and `reason_codes` values of an event row."""
    text, codes = stored(value)
    return {"reason": text, "reason_codes": codes or None}


def describe(*, reasons_json: Any, fallback: str | None, language: str, names: Names) -> str | None:
    """A stored reason in the reader's language; rows written before codes keep their text."""
    reasons = from_json(reasons_json)
    return render_all(reasons, language, names) if reasons else fallback

"""Pure rules for articles: what a valid one is, what an edit changed, whether it is current."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from hotline.core.settings import LANGUAGES
from hotline.kb.models import ArticleStatus
from hotline.kb.schemas import ArticleData
from hotline.tickets.categories import Category
from hotline.tickets.kinds import IntakeType

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{1,39}$")
MAX_TITLE, MAX_ANSWER, MAX_KEYWORD, MAX_KEYWORDS = 200, 8000, 40, 30
REVIEW_SOON = timedelta(days=14)


def problems(data: ArticleData) -> list[tuple[str, str]]:
    """Every (field, problem) of an article; empty when it may be saved."""
    found: list[tuple[str, str]] = []
    if not CODE.match(data.code):
        found.append(("code", "2-40 letters, digits, '.', '_' or '-', starting with one"))
    if data.category not in set(Category):
        found.append(("category", f"unknown category {data.category!r}"))
    if data.status not in set(ArticleStatus):
        found.append(("status", f"must be one of {', '.join(ArticleStatus)}"))
    for kind in data.intake_types:
        if kind not in set(IntakeType):
            found.append(("intake_types", f"unknown intake type {kind!r}"))
    if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
        found.append(("valid_until", "is before valid_from"))
    if data.owner is not None and len(data.owner) > 100:
        found.append(("owner", "at most 100 characters"))
    if not data.texts:
        found.append(("language", "an article needs at least one language version"))
    for language, text in data.texts.items():
        if language not in LANGUAGES:
            found.append(("language", f"must be one of {', '.join(LANGUAGES)}"))
        if not text.title.strip() or len(text.title) > MAX_TITLE:
            found.append(("title", f"1-{MAX_TITLE} characters ({language})"))
        if not text.answer.strip() or len(text.answer) > MAX_ANSWER:
            found.append(("answer", f"1-{MAX_ANSWER} characters ({language})"))
        if len(text.keywords) > MAX_KEYWORDS:
            found.append(("keywords", f"at most {MAX_KEYWORDS} ({language})"))
        for keyword in text.keywords:
            if not keyword.strip() or len(keyword) > MAX_KEYWORD:
                found.append(("keywords", f"each 1-{MAX_KEYWORD} characters ({language})"))
                break
    return found


_FIELDS = ("category", "status", "intake_types", "owner", "valid_from", "valid_until", "review_on")


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """What an edit changed, one short line each (`title (en)`, `status: draft → published`)."""
    if before is None:
        return ["created"]
    lines = []
    for name in _FIELDS:
        old, new = before.get(name), after.get(name)
        if old != new:
            if isinstance(new, list) or isinstance(old, list):
                lines.append(name)
            else:
                lines.append(f"{name}: {old or '-'} → {new or '-'}")
    old_texts, new_texts = before.get("texts", {}), after.get("texts", {})
    for language in sorted(set(old_texts) | set(new_texts)):
        if language not in new_texts:
            lines.append(f"removed {language}")
        elif language not in old_texts:
            lines.append(f"added {language}")
        else:
            for part in ("title", "answer", "keywords"):
                if old_texts[language].get(part) != new_texts[language].get(part):
                    lines.append(f"{part} ({language})")
    return lines


class Freshness(StrEnum):
    """How current an article is on a given day, for the editors' list."""

    CURRENT = "current"
    REVIEW_SOON = "review_soon"
    REVIEW_DUE = "review_due"
    NOT_YET = "not_yet"
    EXPIRED = "expired"


def freshness(
    *, today: date, valid_from: date | None, valid_until: date | None, review_on: date | None
) -> Freshness:
    """Expired or not yet valid first, then a review that is due or near."""
    if valid_until is not None and valid_until < today:
        return Freshness.EXPIRED
    if valid_from is not None and valid_from > today:
        return Freshness.NOT_YET
    if review_on is not None and review_on <= today:
        return Freshness.REVIEW_DUE
    if review_on is not None and review_on - today <= REVIEW_SOON:
        return Freshness.REVIEW_SOON
    return Freshness.CURRENT

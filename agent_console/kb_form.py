"""The article edit form: its fields to ArticleData and back (one set of fields per language)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from hotline.core.settings import LANGUAGES
from hotline.kb.schemas import ArticleData, ArticleTextData

_SEPARATORS = re.compile(r"[,;，；、\n]+")
DATES = ("valid_from", "valid_until", "review_on")


def keywords_of(text: str) -> tuple[str, ...]:
    """Keywords typed with commas, semicolons or 、 between them."""
    return tuple(dict.fromkeys(k.strip() for k in _SEPARATORS.split(text) if k.strip()))


def article_from_form(
    form: FormData, *, code: str | None
) -> tuple[ArticleData | None, list[tuple[str, str]]]:
    """The article a submitted form describes, or the problems that stop it."""
    problems: list[tuple[str, str]] = []
    days: dict[str, date | None] = {}
    for name in DATES:
        value = str(form.get(name) or "").strip()
        try:
            days[name] = date.fromisoformat(value) if value else None
        except ValueError:
            problems.append((name, f"not a date (YYYY-MM-DD): {value!r}"))
    texts = {}
    for language in LANGUAGES:
        title = str(form.get(f"title_{language}") or "")
        answer = str(form.get(f"answer_{language}") or "")
        keywords = keywords_of(str(form.get(f"keywords_{language}") or ""))
        if title.strip() or answer.strip() or keywords:
            texts[language] = ArticleTextData(title, answer, keywords)
    if problems:
        return None, problems
    data = ArticleData(
        code=code or str(form.get("code") or "").strip(),
        category=str(form.get("category") or ""),
        status=str(form.get("status") or "draft"),
        intake_types=tuple(str(v) for v in form.getlist("intake_types")),
        owner=str(form.get("owner") or "").strip() or None,
        valid_from=days["valid_from"],
        valid_until=days["valid_until"],
        review_on=days["review_on"],
        texts=texts,
    )
    return data, []


def form_of(data: ArticleData) -> dict[str, Any]:
    """The form's values for an article."""
    values: dict[str, Any] = {
        "code": data.code,
        "category": data.category,
        "status": data.status,
        "intake_types": list(data.intake_types),
        "owner": data.owner or "",
        **{name: (getattr(data, name) or "") for name in DATES},
    }
    for language, text in data.texts.items():
        values[f"title_{language}"] = text.title
        values[f"answer_{language}"] = text.answer
        values[f"keywords_{language}"] = "、".join(text.keywords)
    return values

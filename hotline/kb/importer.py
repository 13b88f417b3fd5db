"""Turn file entries into articles: check everything first, then upsert by code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.clock import Clock
from hotline.kb import rules
from hotline.kb import service as kb
from hotline.kb.files import Entry, KbFileError
from hotline.kb.schemas import ArticleData, ArticleTextData

SHARED = ("category", "status", "intake_types", "owner", "valid_from", "valid_until", "review_on")
PER_LANGUAGE = ("title", "answer", "keywords")
KNOWN = frozenset({"code", "language", *SHARED, *PER_LANGUAGE})
REQUIRED = ("code", "title", "answer")  # on every entry; shared fields once per article
DEFAULT_LANGUAGE = "zh-CN"


@dataclass
class ImportReport:
    """What an import did (or would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    versions: int = 0

    def lines(self) -> list[str]:
        """Human-readable summary."""
        return [
            f"articles: {self.created} created, {self.updated} updated, {self.unchanged} unchanged",
            f"language versions: {self.versions}",
        ]


def _text_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return [str(v) for v in value]
    return None


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _shared_value(entry: Entry, name: str, problems: list[str]) -> Any:
    value = entry.fields.get(name)
    if name in ("intake_types",):
        listed = _text_list(value) if value is not None else None
        if value is not None and listed is None:
            problems.append(f"{entry.where(name)}: must be a list of text")
        return tuple(listed) if listed is not None else None
    if name in ("valid_from", "valid_until", "review_on"):
        try:
            return _day(value)
        except ValueError:
            problems.append(f"{entry.where(name)}: not a date (YYYY-MM-DD): {value!r}")
            return None
    return str(value).strip() if value is not None else None


def _article(code: str, group: list[Entry], problems: list[str]) -> ArticleData | None:
    shared: dict[str, Any] = {}
    texts: dict[str, ArticleTextData] = {}
    where_language: dict[str, Entry] = {}
    before = len(problems)
    for entry in group:
        for name in sorted(set(entry.fields) - KNOWN):
            problems.append(f"{entry.where(name)}: unknown field")
        for name in REQUIRED:
            if entry.fields.get(name) in (None, ""):
                problems.append(f"{entry.where()}: {name}: missing")
        language = str(entry.fields.get("language") or DEFAULT_LANGUAGE)
        if language in texts:
            first = where_language[language].where()
            problems.append(f"{entry.where('language')}: {language} of {code} already at {first}")
            continue
        for name in SHARED:
            if name not in entry.fields:
                continue
            value = _shared_value(entry, name, problems)
            if name in shared and shared[name] != value:
                problems.append(f"{entry.where(name)}: differs from another version of {code}")
            shared.setdefault(name, value)
        keywords = _text_list(entry.fields.get("keywords") or [])
        if keywords is None:
            problems.append(f"{entry.where('keywords')}: must be a list of text")
            keywords = []
        texts[language] = ArticleTextData(
            str(entry.fields.get("title") or ""),
            str(entry.fields.get("answer") or ""),
            tuple(keywords),
        )
        where_language[language] = entry
    if "category" not in shared:
        problems.append(f"{group[0].where()}: category: missing (on any version of {code})")
    if len(problems) > before:
        return None
    data = ArticleData(
        code=code,
        category=shared.get("category") or "",
        status=shared.get("status") or "published",
        intake_types=shared.get("intake_types") or ("consultation",),
        owner=shared.get("owner"),
        valid_from=shared.get("valid_from"),
        valid_until=shared.get("valid_until"),
        review_on=shared.get("review_on"),
        texts=texts,
    )
    for name, problem in rules.problems(data):
        version = next((lang for lang in texts if problem.endswith(f"({lang})")), None)
        at = where_language[version] if version else group[0]
        problems.append(f"{at.where(name)}: {problem}")
    return data


def articles_of(entries: list[Entry]) -> list[ArticleData]:
    """Group entries into articles; KbFileError lists every problem if any entry is wrong."""
    groups: dict[str, list[Entry]] = {}
    problems: list[str] = []
    for entry in entries:
        code = entry.fields.get("code")
        if code in (None, ""):
            problems.append(f"{entry.where()}: code: missing")
            continue
        groups.setdefault(str(code), []).append(entry)
    articles = []
    for code, group in groups.items():
        data = _article(code, group, problems)
        if data is not None:
            articles.append(data)
    if problems:
        raise KbFileError(problems)
    return articles


def import_entries(
    *, session: Session, clock: Clock, entries: list[Entry], author: str
) -> ImportReport:
    """Check every entry, then create or update each article (a new version only on change)."""
    report = ImportReport()
    for data in articles_of(entries):
        saved = kb.save(session=session, clock=clock, author=author, data=data, note="import")
        report.versions += len(data.texts)
        if saved.created:
            report.created += 1
        elif saved.changes:
            report.updated += 1
        else:
            report.unchanged += 1
    return report

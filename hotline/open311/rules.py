"""Pure GeoReport v2 rules: errors, statuses, query parameters and attributes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hotline.tickets.transitions import TicketStatus
from hotline.triage.config import Question

WINDOW = timedelta(days=90)  # the spec's longest start_date..end_date span
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000
MAX_DESCRIPTION = 4000
MAX_IDS = 200
CLOSED = frozenset({TicketStatus.CLOSED, TicketStatus.ANSWERED, TicketStatus.MERGED})
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Open311Error(Exception):
    """A GeoReport v2.1 error answer: one HTTP status, one or more descriptions."""

    def __init__(self, status: int, *descriptions: str, retry_after: int | None = None) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = descriptions or ("error",)
        self.retry_after = retry_after  # seconds, for 429


def open311_status(status: str) -> str:
    """Open311 knows open and closed: answered, closed and merged cases are closed."""
    return "closed" if status in CLOSED else "open"


def parse_datetime(value: str, name: str) -> datetime:
    """A W3C / ISO 8601 datetime with its zone; a bare date or a naive time is refused."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise Open311Error(400, f"{name}: {value!r} is not an ISO 8601 datetime") from None
    if "T" not in text.upper() or moment.tzinfo is None:
        raise Open311Error(
            400, f"{name}: give a full datetime with its zone, such as 2026-12-01T08:00:00+08:00"
        )
    return moment


def _number(value: str, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise Open311Error(400, f"{name}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise Open311Error(400, f"{name}: must be between {low} and {high}")
    return number


def _csv(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@dataclass(frozen=True)
class Query:
    """What GET requests asks for, checked."""

    ids: tuple[str, ...] = ()
    service_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset()
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def parse_query(params: Mapping[str, str], *, now: datetime, service_codes: Iterable[str]) -> Query:
    """Check filters; ids override the others (as the spec says), dates default to 90 days."""
    problems: list[str] = []
    page = page_size = 0
    try:
        page = _number(params.get("page", "1"), "page", 1, 1_000_000)
    except Open311Error as error:
        problems.extend(error.descriptions)
    try:
        page_size = _number(
            params.get("page_size", str(DEFAULT_PAGE_SIZE)), "page_size", 1, MAX_PAGE_SIZE
        )
    except Open311Error as error:
        problems.extend(error.descriptions)
    ids = _csv(params.get("service_request_id"))
    if len(ids) > MAX_IDS:
        problems.append(f"service_request_id: at most {MAX_IDS} ids at once")
    if problems:
        raise Open311Error(400, *problems)
    if ids:
        return Query(ids=tuple(ids), page=page, page_size=page_size)
    known = set(service_codes)
    codes = _csv(params.get("service_code"))
    unknown = [code for code in codes if code not in known]
    if unknown:
        problems.append(f"service_code: no service {', '.join(unknown)}")
    statuses = {status.lower() for status in _csv(params.get("status"))}
    if statuses - {"open", "closed"}:
        problems.append("status: open, closed, or both separated by a comma")
    start = end = None
    for name in ("start_date", "end_date"):
        if params.get(name):
            try:
                moment = parse_datetime(params[name], name)
            except Open311Error as error:
                problems.extend(error.descriptions)
                continue
            start, end = (moment, end) if name == "start_date" else (start, moment)
    if problems:
        raise Open311Error(400, *problems)
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if end < start:
        raise Open311Error(400, "end_date is before start_date")
    if end - start > WINDOW:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    return Query(
        service_codes=tuple(codes),
        start=start,
        end=end,
        statuses=frozenset(statuses),
        page=page,
        page_size=page_size,
    )


def form_attributes(items: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """`attribute[code]=v` and `attribute[code][]=v` pairs, every value kept."""
    found: dict[str, list[str]] = {}
    for key, value in items:
        match = ATTRIBUTE.match(key)
        if match and value.strip():
            found.setdefault(match.group(1), []).append(value.strip())
    return found


@dataclass(frozen=True)
class CheckedAttributes:
    """Answers that passed, and what was wrong with the rest."""

    values: dict[str, str | float | list[str]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()


def check_attributes(
    questions: Sequence[Question], given: Mapping[str, list[str]]
) -> CheckedAttributes:
    """Every required question answered, list answers among the choices, numbers numeric."""
    values: dict[str, str | float | list[str]] = {}
    problems: list[str] = []
    by_code = {question.code: question for question in questions}
    for code in given:
        if code not in by_code:
            problems.append(f"attribute[{code}]: this service has no such attribute")
    for question in questions:
        answers = given.get(question.code, [])
        if not answers:
            if question.required:
                problems.append(f"attribute[{question.code}]: required")
            continue
        if question.datatype in ("singlevaluelist", "multivaluelist"):
            keys = {choice.key for choice in question.values}
            bad = [answer for answer in answers if answer not in keys]
            if bad:
                choices = ", ".join(sorted(keys))
                problems.append(f"attribute[{question.code}]: {', '.join(bad)} not among {choices}")
            elif question.datatype == "singlevaluelist" and len(answers) > 1:
                problems.append(f"attribute[{question.code}]: one value only")
            else:
                values[question.code] = (
                    answers if question.datatype == "multivaluelist" else answers[0]
                )
        elif question.datatype == "number":
            try:
                values[question.code] = float(answers[0])
            except ValueError:
                problems.append(f"attribute[{question.code}]: {answers[0]!r} is not a number")
        elif question.datatype == "datetime":
            try:
                values[question.code] = parse_datetime(
                    answers[0], f"attribute[{question.code}]"
                ).isoformat()
            except Open311Error as error:
                problems.extend(error.descriptions)
        else:
            values[question.code] = answers[0][:MAX_DESCRIPTION]
    return CheckedAttributes(values=values, problems=tuple(problems))

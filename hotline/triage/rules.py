"""Pure triage rules: category, place, level and whether a person must look first."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hotline.reasons.codes import Reason, reason
from hotline.tickets.categories import Category
from hotline.triage.config import CategoryConfig, TriageLevel

REVIEW_BELOW = 0.6  # category confidence under this sends the ticket to human triage
PRIOR = 2.0  # weight of a category the caller chose on the keypad
CONFLICT_HITS = 2  # transcript keyword hits for another category that contradict the keypad


@dataclass(frozen=True)
class Place:
    """A registry name that may appear in a transcript: community, grid or landmark."""

    text: str
    community: str
    grid: str | None = None


@dataclass(frozen=True)
class TriageInput:
    """Everything triage may look at; no I/O happens inside the rules."""

    language: str
    transcript: str = ""
    transcript_ok: bool = False
    keyed_category: str | None = None
    keyed_community: str | None = None
    given_community: str | None = None  # an outside system's location (Open311), placed
    given_grid: str | None = None
    household_grid: str | None = None
    household_community: str | None = None
    places: tuple[Place, ...] = ()


@dataclass(frozen=True)
class TriageDecision:
    """What triage concluded and why."""

    category: str
    confidence: float
    level: TriageLevel
    community: str | None
    grid: str | None
    needs_review: bool
    reasons: tuple[Reason, ...] = field(default_factory=tuple)

    @property
    def review_reasons(self) -> tuple[Reason, ...]:
        """Why a person must look first (empty when the ticket can be dispatched)."""
        return tuple(r for r in self.reasons if r.is_review)


def keyword_hits(config: CategoryConfig, text: str, language: str) -> dict[str, int]:
    """How many configured keywords of each category occur in the text."""
    folded = text.casefold()
    hits: dict[str, int] = {}
    for category, rule in config.categories.items():
        words = rule.keywords.get(language, [])
        count = sum(1 for word in words if word.casefold() in folded)
        if count:
            hits[category.value] = count
    return hits


def is_urgent(config: CategoryConfig, category: str, text: str, language: str) -> bool:
    """Does the transcript carry one of the category's urgent keywords?"""
    rule = config.categories[Category(category)]
    folded = text.casefold()
    return any(word.casefold() in folded for word in rule.urgent_keywords.get(language, []))


def without_places(text: str, places: tuple[Place, ...]) -> str:
    """The transcript with registry names blanked, so 柳树村 does not count as 树 (trees)."""
    for place in find_places(text, places):
        text = re.sub(re.escape(place.text), " ", text, flags=re.IGNORECASE)
    return text


def choose_category(
    config: CategoryConfig, data: TriageInput
) -> tuple[str, float, list[Reason], bool]:
    """(category, confidence, reasons, conflicting) from the keypad prior and the transcript."""
    keyed = data.keyed_category if data.keyed_category != Category.OTHER else None
    text = without_places(data.transcript, data.places)
    hits = keyword_hits(config, text, data.language) if data.transcript_ok else {}
    scores = {category: float(count) for category, count in hits.items()}
    if keyed:
        scores[keyed] = scores.get(keyed, 0.0) + PRIOR
    if not scores:
        return Category.OTHER.value, 0.3, [reason("triage.no_signal")], False
    best = max(scores, key=lambda c: (scores[c], c == keyed))
    confidence = scores[best] / (sum(scores.values()) + 1.0)
    reasons = [reason("triage.keypad", category=keyed) if keyed else reason("triage.no_keypad")]
    reasons += [reason("triage.keywords", category=c, count=n) for c, n in sorted(hits.items())]
    rival, rival_hits = max(
        ((c, n) for c, n in hits.items() if c != keyed), key=lambda p: p[1], default=("", 0)
    )
    conflicting = bool(keyed) and rival_hits >= CONFLICT_HITS and hits.get(keyed or "", 0) == 0
    if conflicting:
        reasons.append(reason("triage.conflict_category", rival=rival))
        return keyed or best, min(confidence, 0.5), reasons, True
    if keyed and not hits:
        confidence = max(confidence, 0.7)  # an explicit key press alone is good evidence
    return best, round(confidence, 3), reasons, False


def find_places(text: str, places: tuple[Place, ...]) -> list[Place]:
    """Registry names mentioned in the transcript, longest names first."""
    folded = text.casefold()
    found = [p for p in places if p.text and p.text.casefold() in folded]
    return sorted(found, key=lambda p: -len(p.text))


def choose_place(data: TriageInput) -> tuple[str | None, str | None, list[Reason], bool]:
    """(community, grid, reasons, conflicting) from keypad, household on file and transcript."""
    reasons: list[Reason] = []
    mentioned = find_places(data.transcript, data.places) if data.transcript_ok else []
    community = data.keyed_community or data.given_community or data.household_community
    if data.keyed_community:
        reasons.append(reason("triage.keyed_community", community=data.keyed_community))
    elif data.given_community:
        reasons.append(reason("triage.given_community", community=data.given_community))
    elif data.household_community:
        reasons.append(reason("triage.household_community", community=data.household_community))
    grid = None
    if data.given_grid and data.given_community == community:
        grid = data.given_grid
        reasons.append(reason("triage.given_grid", grid=grid))
    elif data.household_community == community and data.household_grid:
        grid = data.household_grid
        reasons.append(reason("triage.household_grid", grid=grid))
    conflicting = False
    for place in mentioned:
        if community and place.community != community:
            reasons.append(reason("triage.place_outside", place=place.text, community=community))
            conflicting = True
            break
        community = community or place.community
        if place.grid and not grid:
            grid = place.grid
            reasons.append(reason("triage.place_named", place=place.text, grid=place.grid))
    if community is None:
        reasons.append(reason("triage.no_location"))
    return community, grid, reasons, conflicting


def triage(config: CategoryConfig, data: TriageInput) -> TriageDecision:
    """Decide category, place and level; never route on a guess."""
    category, confidence, category_reasons, category_conflict = choose_category(config, data)
    community, grid, place_reasons, place_conflict = choose_place(data)
    level = config.categories[Category(category)].level
    reasons = category_reasons + place_reasons
    if level is TriageLevel.SIMPLE:
        level = TriageLevel.GENERAL  # only an agent on the call can settle a case at once
    text = without_places(data.transcript, data.places)
    if data.transcript_ok and is_urgent(config, category, text, data.language):
        level = TriageLevel.URGENT
        reasons.append(reason("triage.urgent"))
    review = []
    if confidence < REVIEW_BELOW:
        review.append(
            reason("review.low_confidence", confidence=round(confidence, 2), threshold=REVIEW_BELOW)
        )
    if category_conflict or place_conflict:
        review.append(reason("review.conflict"))
    if community is None:
        review.append(reason("review.no_location"))
    return TriageDecision(
        category=category,
        confidence=confidence,
        level=level,
        community=None if place_conflict else community,
        grid=None if place_conflict else grid,
        needs_review=bool(review),
        reasons=tuple(reasons + review),
    )


def similarity(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity; works for Chinese and Korean without a tokenizer."""

    def grams(text: str) -> set[str]:
        compact = "".join(text.casefold().split())
        return {compact[i : i + 2] for i in range(len(compact) - 1)}

    first, second = grams(a), grams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)

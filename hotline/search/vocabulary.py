"""The segmenter's added words, and one segmenter per process for each generation of them."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.grids.models import OrgUnit
from hotline.search.models import SearchGeneration, SearchWord
from hotline.search.segment import Segmenter, is_word

GENERATION = "vocabulary"
CHUNK = 500
_lock = threading.Lock()
_cache: dict[str, tuple[str, Segmenter]] = {}  # database URL → (generation, segmenter)


def generation(*, session: Session) -> str:
    """The current generation of added words ('' before any were added)."""
    row = session.get(SearchGeneration, GENERATION)
    return row.value if row is not None else ""


def segmenter(*, session: Session) -> Segmenter:
    """This process's segmenter with every added word, rebuilt when another process adds some."""
    key = str(session.get_bind().engine.url)
    current = generation(session=session)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == current:
            return cached[1]
    built = Segmenter(session.scalars(select(SearchWord.word)).all())
    with _lock:
        _cache[key] = (current, built)
    return built


def add_words(*, session: Session, words: Iterable[str], source: str) -> list[str]:
    """Add the words the dictionary lacks; a new generation if any were new. Returns them."""
    wanted = {w.strip() for w in words if is_word(w.strip())}
    if not wanted:
        return []
    ordered = sorted(wanted)
    known: set[str] = set()
    for start in range(0, len(ordered), CHUNK):  # a city's registry: tens of thousands of names
        chunk = ordered[start : start + CHUNK]
        known.update(session.scalars(select(SearchWord.word).where(SearchWord.word.in_(chunk))))
    new = [word for word in ordered if word not in known]
    if not new:
        return []
    session.add_all(SearchWord(word=word, source=source) for word in new)
    row = session.get(SearchGeneration, GENERATION)
    value = uuid.uuid4().hex
    if row is None:
        session.add(SearchGeneration(name=GENERATION, value=value))
    else:
        row.value = value
    session.flush()
    return new


def unit_words(unit: OrgUnit) -> list[str]:
    """A unit's Chinese and Korean names and its landmarks, as the dictionary should know them."""
    return [w for w in (unit.name_zh, unit.name_ko or "", *(unit.landmarks or [])) if w]

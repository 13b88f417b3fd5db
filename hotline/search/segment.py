"""Words out of text in Chinese, Korean and English, for the index and for queries (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import rjieba

from hotline.search.stopwords import STOPWORDS

# Runs of one script: Han (jieba), Hangul (words and their bigrams), Latin letters and digits.
_RUNS = re.compile(
    r"(?P<han>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
    r"|(?P<hangul>[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]+)"
    r"|(?P<latin>[0-9A-Za-z\u00c0-\u024f]+)"
)
MAX_TOKEN = 40  # longer runs (hashes, URLs) are not words anyone searches for


def _stem(word: str) -> str:
    """A light English plural fold: outages → outage, but not gas → ga."""
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _bigrams(run: str) -> list[str]:
    """A Han run as overlapping character pairs (one character stays itself)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _hangul(word: str) -> list[str]:
    """A Korean word and its character bigrams, so 단수가 is found by 단수."""
    if len(word) <= 2:
        return [word]
    return [word, *(word[i : i + 2] for i in range(len(word) - 1))]


def is_word(word: str) -> bool:
    """Whether a word belongs in jieba's dictionary: one run of Han or Hangul, not a stopword
    (Latin words are split at spaces anyway)."""
    match = _RUNS.fullmatch(word)
    return (
        match is not None
        and match.lastgroup in ("han", "hangul")
        and 2 <= len(word) <= MAX_TOKEN
        and word not in STOPWORDS
    )


class Segmenter:
    """jieba (rjieba) with the hotline's own words added: places, landmarks, keywords."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = rjieba.Jieba()
        for word in words:
            if is_word(word):
                self._jieba.add_word(word, None, None)

    def _han(self, run: str, *, search: bool) -> list[str]:
        pieces = self._jieba.cut_for_search(run) if search else self._jieba.cut(run)
        return [p for p in pieces if p.strip()]

    def _words(self, run: str) -> list[str]:
        return self._han(run, search=True)

    def _precise(self, run: str) -> list[str]:
        return self._han(run, search=False)

    def index_tokens(self, text: str | None) -> list[str]:
        """Every token a document is found by (search mode: long words and their parts)."""
        if not text:
            return []
        return _tokens(text, han=self._words, hangul_bigrams=True)

    def query_tokens(self, text: str) -> list[str]:
        """Distinct meaningful tokens of a question, for ranked any-word search."""
        return _meaningful(_tokens(text, han=self._words, hangul_bigrams=True))

    def query_terms(self, text: str) -> list[str]:
        """Distinct words a person typed, each of which must match (precise mode)."""
        return _meaningful(_tokens(text, han=self._precise, hangul_bigrams=False))


def _tokens(text: str, *, han: Callable[[str], list[str]], hangul_bigrams: bool) -> list[str]:
    """Tokens by script: Han runs through `han`, Hangul words (and their pairs), Latin words."""
    tokens: list[str] = []
    for match in _RUNS.finditer(text):
        run = match.group()
        if match.lastgroup == "han":
            tokens.extend(han(run))
        elif match.lastgroup == "hangul":
            tokens.extend(_hangul(run) if hangul_bigrams else [run])
        else:
            tokens.append(_stem(run.lower()))
    return [t for t in tokens if len(t) <= MAX_TOKEN]


def index_grams(text: str | None) -> list[str]:
    """Tokens for containment search: Chinese as character pairs, so a word is found wherever it
    stands, however jieba would cut the sentence around it (no dictionary needed)."""
    if not text:
        return []
    return _tokens(text, han=_bigrams, hangul_bigrams=True)


def _meaningful(tokens: list[str]) -> list[str]:
    """Tokens in first-seen order, once each, without stopwords."""
    return list(dict.fromkeys(t for t in tokens if t.lower() not in STOPWORDS))


def joined(tokens: Iterable[str]) -> str:
    """Tokens as stored in the index: one space between them."""
    return " ".join(tokens)

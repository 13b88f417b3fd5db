"""Segmentation: jieba with the registry's words, Korean bigrams, English folding, stopwords."""

from __future__ import annotations

from hotline.search.expressions import fts5, tsquery
from hotline.search.segment import Segmenter, is_word
from hotline.search.snippet import snippet


def test_registry_names_and_landmarks_become_single_words() -> None:
    plain = Segmenter()
    assert plain.query_terms("东湖社区的路灯") == ["东湖", "社区", "路灯"]
    known = Segmenter(["东湖社区", "柳树村", "东湖公园"])
    assert known.query_terms("东湖社区的路灯") == ["东湖社区", "路灯"]
    # The index keeps the parts too, so 东湖 alone still finds the document.
    assert {"东湖社区", "东湖", "社区", "路灯"} <= set(known.index_tokens("东湖社区门口的路灯坏了"))


def test_a_caller_sentence_keeps_only_the_words_that_matter() -> None:
    words = Segmenter().query_tokens("我们小区今天停水了什么时候来水")
    assert words == ["小区", "停水", "来水"]


def test_two_character_words_stay_whole() -> None:
    assert Segmenter().query_terms("井盖") == ["井盖"]
    assert Segmenter().query_terms("停水") == ["停水"]


def test_korean_words_are_indexed_with_their_bigrams() -> None:
    tokens = Segmenter().index_tokens("단수가 됐어요")
    assert {"단수가", "단수", "수가"} <= set(tokens)
    assert Segmenter().query_terms("단수") == ["단수"]


def test_english_is_lowercased_and_plurals_fold() -> None:
    assert Segmenter().query_terms("Street LIGHTS are out") == ["street", "light", "out"]
    assert Segmenter().query_terms("gas") == ["gas"]


def test_only_single_han_or_hangul_runs_join_the_dictionary() -> None:
    assert is_word("东湖社区") and is_word("동호")
    assert not is_word("Donghu Park") and not is_word("东") and not is_word("的")


def test_query_expressions_quote_every_term_and_drop_unsafe_ones() -> None:
    assert fts5(["停水", "来水"], any_term=True) == '"停水" OR "来水"'
    assert fts5(["井", "盖子"], any_term=False) == '"井"* AND "盖子"'
    assert tsquery(["停水", "x'y"], any_term=False) == "'停水'"
    assert tsquery(["井"], any_term=True) == "'井':*"


def test_snippets_mark_matches_escape_html_and_cut_around_the_first() -> None:
    text = "前面很长的一段话" * 5 + "暖气不热<请排气>"
    cut = snippet(text, ["暖气", "不热", "排气"], width=30)
    assert cut.startswith("…") and "<mark>暖气不热</mark>" in cut
    assert "&lt;请<mark>排气</mark>&gt;" in cut
    assert snippet("no match here", ["水"]) == "no match here"

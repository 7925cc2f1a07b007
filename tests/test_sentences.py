"""Sentence splitting: pysbd's abbreviation rules, and the one-sentence fast path."""

from __future__ import annotations

import pytest

from summarizer.text import sentences
from summarizer.text.sentences import split_sentences


def test_abbreviations_and_amounts_stay_inside_sentences() -> None:
    text = "U.S. Gen. Smith said the $3.5bn deal was done. Talks resume on Monday."
    assert split_sentences(text) == [
        "U.S. Gen. Smith said the $3.5bn deal was done.",
        "Talks resume on Monday.",
    ]


def test_a_one_sentence_paragraph_keeps_its_closing_quote() -> None:
    quote = "\u201cWe are removing our ads from the platform until this is fixed.\u201d"
    assert split_sentences(quote) == [quote]
    assert split_sentences("Storm hits coastal towns") == ["Storm hits coastal towns"]


def test_sentences_never_cross_a_line_break() -> None:
    assert split_sentences("First line without a stop\n\n  Second line. Third one.  ") == [
        "First line without a stop",
        "Second line.",
        "Third one.",
    ]


STORY = (
    'U.S. Gen. Smith said the $3.5bn deal was done. "We are pleased. Very pleased," he told '
    "reporters (in Washington. On Monday). Talks resume on Monday at 9 a.m. Critics disagree."
)


def test_a_paragraph_too_long_for_pysbd_whole_splits_as_its_sentences_do_apart() -> None:
    paragraph = " ".join([STORY] * 100)  # 17 KB: cut at sure sentence ends first
    assert len(paragraph) > sentences._LONG_PARAGRAPH
    assert split_sentences(STORY) == [
        "U.S. Gen. Smith said the $3.5bn deal was done.",
        '"We are pleased. Very pleased," he told reporters (in Washington. On Monday).',
        "Talks resume on Monday at 9 a.m.",
        "Critics disagree.",
    ]
    assert split_sentences(paragraph) == split_sentences(STORY) * 100


def test_pysbd_only_ever_sees_pieces_of_a_huge_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    segmenter = sentences._segmenter()
    seen: list[int] = []

    def segment(text: str) -> list[str]:
        seen.append(len(text))
        return original(text)

    original = segmenter.segment
    monkeypatch.setattr(segmenter, "segment", segment)
    # initials have no sure sentence end, so they reach pysbd in slices cut at a space
    paragraph = " ".join([STORY] * 300) + " " + "J. R. R. T. " * 4000
    result = split_sentences(paragraph)
    assert max(seen) <= sentences._MAX_PIECE < len(paragraph)
    assert result[:4] == split_sentences(STORY)
    assert "".join(result).replace(" ", "") == paragraph.replace(" ", "")  # nothing lost


def test_a_paragraph_split_again_comes_from_memory_unchanged() -> None:
    from summarizer.text.sentences import _pysbd_sentences

    _pysbd_sentences.cache_clear()
    paragraph = "The U.S. Gen. Smith spoke. He left at 5 p.m. on Friday. Talks resume."
    first = split_sentences(paragraph)
    first.append("changed by the caller")
    again = split_sentences(paragraph)
    assert again == ["The U.S. Gen. Smith spoke.", "He left at 5 p.m. on Friday.", "Talks resume."]
    assert _pysbd_sentences.cache_info().hits == 1


def test_only_paragraphs_of_news_length_are_remembered() -> None:
    from summarizer.text.sentences import _MAX_PIECE, _pysbd_sentences

    _pysbd_sentences.cache_clear()
    long = " ".join(f"Sentence number {n} is here." for n in range(_MAX_PIECE // 20))
    assert len(long) > _MAX_PIECE
    assert len(split_sentences(long)) == _MAX_PIECE // 20
    assert _pysbd_sentences.cache_info().currsize == 0

"""Sentence splitting: pysbd's abbreviation rules, and the one-sentence fast path."""

from __future__ import annotations

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

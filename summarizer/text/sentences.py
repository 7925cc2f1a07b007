"""Sentence splitting with pysbd, whose rules keep "U.S.", "Gen." and "$3.5bn" intact.

pysbd's time grows with the square of a paragraph's length (50 KB: 2 s, 200 KB: 31 s, a
5 MB one-line page: hours), so a paragraph over `_LONG_PARAGRAPH` characters (none of the
10,000 dev-set texts has one over 5,507) is first cut at sentence ends no rule of pysbd's
disputes, and pysbd splits the pieces: linear time, and on BBC articles run into one line
the same sentences as their paragraphs give (98.5% precision and recall, against 99.0% /
97.3% for pysbd on the joined text, which misses sentence ends after quotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pysbd
from pysbd.exclamation_words import ExclamationWords
from pysbd.lang.english import English

# a sentence end followed by more text; without one a paragraph is a single sentence
_INNER_END = re.compile(r"[.!?…][\"'”’)\]]*\s")
_LONG_PARAGRAPH = 10_000
# a piece with no sure sentence end (a run of initials, all capitals, no stop at all) goes
# to pysbd in slices of at most this many characters, cut at a space
_MAX_PIECE = 2_000
# a candidate sentence end: a word, a stop, closing quotes or brackets, a space and a
# capital letter, maybe after an opening quote (a word starts after a space, so each is
# scanned once)
_CLOSERS = "\"'”’)]"
_CANDIDATE_END = re.compile(
    rf"(?<!\S)(?P<word>\S+?)(?P<stop>[.!?])[{re.escape(_CLOSERS)}]*(?P<space>\s+)"
    r"(?=[\"“‘'(\[]?[A-Z])"
)
# quoted or bracketed text, in which pysbd never ends a sentence unless the quote ends
# with it; a span longer than this is more likely a stray quote's false pair
_MAX_SPAN = 500
_PROTECTED = re.compile(
    rf"\"[^\"]{{0,{_MAX_SPAN}}}\"|“[^”]{{0,{_MAX_SPAN}}}”|«[^»]{{0,{_MAX_SPAN}}}»"
    rf"|\([^()]{{0,{_MAX_SPAN}}}\)|\[[^\]]{{0,{_MAX_SPAN}}}\]"
)
# paragraphs whose sentences are remembered (`_pysbd_sentences`): a 1,000-page adaptation
# sample's multi-sentence paragraphs; only those up to `_MAX_PIECE` characters (news
# paragraphs are a few hundred), so the memory stays under ~70 MB whatever the input
_CACHED_PARAGRAPHS = 16_384
_ABBREVIATIONS = frozenset(English.Abbreviation.ABBREVIATIONS)
_EXCLAMATION_WORDS = frozenset(ExclamationWords.EXCLAMATION_WORDS)


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Sentences of each paragraph (never across a line break), stripped, empties dropped.

    A paragraph with no sentence end before its last word skips pysbd, which is pure
    Python: that is most blocks of a real page (headlines, menu lines, one-sentence
    paragraphs; 82% of the blocks of the dev sets, splitting them 40% faster), and pysbd
    would only split a trailing closing quote off as a "sentence" of its own.
    """
    sentences: list[str] = []
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if len(paragraph) > _LONG_PARAGRAPH:
            start = 0
            for end in _safe_ends(paragraph):
                sentences.extend(_split_piece(paragraph[start:end]))
                start = end
            sentences.extend(_split_piece(paragraph[start:]))
        elif paragraph:
            sentences.extend(_split_paragraph(paragraph))
    return sentences


def _split_paragraph(paragraph: str) -> tuple[str, ...]:
    if not _INNER_END.search(paragraph):
        return (paragraph,)
    if len(paragraph) > _MAX_PIECE:
        return _pysbd_sentences.__wrapped__(paragraph)
    return _pysbd_sentences(paragraph)


@lru_cache(maxsize=_CACHED_PARAGRAPHS)
def _pysbd_sentences(paragraph: str) -> tuple[str, ...]:
    """pysbd's sentences of a paragraph, remembered: a batch run with `topic.adapt: corpus`
    splits its sample's pages in the adaptation pass and again in the main pass (on 300
    pages, 3 s of pure-Python pysbd twice, a tenth of an ONNX int8 run)."""
    return tuple(s.strip() for s in _segmenter().segment(paragraph) if s.strip())


def _split_piece(piece: str) -> list[str]:
    """pysbd's sentences of a piece of a long paragraph, fed in slices of `_MAX_PIECE`."""
    sentences: list[str] = []
    start = 0
    while start < len(piece):
        end = len(piece)
        if end - start > _MAX_PIECE:
            space = piece.rfind(" ", start + 1, start + _MAX_PIECE)
            end = space if space > start else start + _MAX_PIECE
        chunk = piece[start:end].strip()
        if chunk:
            sentences.extend(_split_paragraph(chunk))
        start = end
    return sentences


def _safe_ends(paragraph: str) -> Iterator[int]:
    """Where sentences surely end: after a stop that follows a word whose last part has two
    or more characters ("3.5bn", not "U.S") and that is not one of pysbd's abbreviations
    ("Gen.", "etc.") or exclamation words ("Yahoo!"), outside quotes and brackets (unless
    the quote closes right after the stop), before a capital letter. Yields the offsets
    where the next sentence starts.
    """
    spans = _PROTECTED.finditer(paragraph)
    span = next(spans, None)
    for match in _CANDIDATE_END.finditer(paragraph):
        stop, closed = match.start("stop"), match.start("space")
        while span is not None and span.end() <= stop:
            span = next(spans, None)
        if span is not None and span.start() < stop and closed < span.end():
            continue  # inside a quote that goes on after the stop
        word = match.group("word").strip(_CLOSERS + "“‘([").lower()
        if len(word.rpartition(".")[2]) < 2 or word in _ABBREVIATIONS:
            continue  # an initial ("J."), "U.S.", "e.g.", an ellipsis, an abbreviation
        if match.group("stop") == "!" and f"{match.group('word')}!" in _EXCLAMATION_WORDS:
            continue
        yield match.end()

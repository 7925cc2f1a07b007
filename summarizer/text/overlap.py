"""Whether a block of text occurs in another text, tolerant of spacing and punctuation.

Extractors and gold files re-flow text (joined inline elements, collapsed whitespace,
changed quotes), so blocks are matched as lowercase word tokens: a block of three or more
tokens occurs when at least half of its word 3-grams occur in the text; a shorter one
("Share", "By") must equal a whole line or a table cell (extractors write a row as
`a | b | c`), since a substring test would find such words anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_WORD = re.compile(r"\w+")
SHINGLE = 3
_MIN_SHARE = 0.5


def tokens(text: str) -> list[str]:
    """Lowercase word tokens: what two renderings of the same text have in common."""
    return _WORD.findall(text.casefold())


def _shingles(words: Sequence[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


class TextIndex:
    """Token 3-grams and whole lines of a text, for asking whether a block occurs in it."""

    def __init__(self, text: str) -> None:
        lines = [tokens(line) for line in text.splitlines()]
        cells = [tokens(cell) for line in text.splitlines() for cell in line.split("|")]
        self.lines = {tuple(unit) for unit in lines + cells if unit}
        words = [token for line in lines for token in line]
        self.shingles = _shingles(words)
        self._joined = f" {' '.join(words)} "

    def occurrences(self, unit: Sequence[str]) -> int:
        """How many times `unit` (tokens) occurs verbatim in the text."""
        return self._joined.count(f" {' '.join(unit)} ") if unit else 0

    def contains(self, unit: Sequence[str]) -> bool:
        """`unit` is a block's tokens; see the module docstring for the rule."""
        if not unit:
            return False
        if len(unit) < SHINGLE:
            return tuple(unit) in self.lines
        own = [tuple(unit[i : i + SHINGLE]) for i in range(len(unit) - SHINGLE + 1)]
        return sum(gram in self.shingles for gram in own) >= _MIN_SHARE * len(own)

"""Whether a block of text occurs in another text, tolerant of spacing and punctuation.

Extractors and gold files re-flow text (joined inline elements, collapsed whitespace,
changed quotes), so blocks are matched as lowercase word tokens: a block of three or more
tokens occurs when at least half of its word 3-grams occur in the text; a shorter one
("Share", "By") must equal a whole line or a table cell (extractors write a row as
`a | b | c`), since a substring test would find such words anywhere.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

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
        self.words = [token for line in lines for token in line]
        self.shingles = _shingles(self.words)

    def occurrences(self, units: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], int]:
        """How many times each unit (tokens) occurs verbatim in the text, two occurrences
        not sharing or touching a token, found in one pass over the text: searching it once
        per unit took quadratic time on a page that repeats thousands of its blocks."""
        wanted = set(units)
        heads = {unit[:SHINGLE] for unit in wanted if unit}
        starts: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for width in {len(head) for head in heads}:
            for i in range(len(self.words) - width + 1):
                head = tuple(self.words[i : i + width])
                if head in heads:
                    starts[head].append(i)
        counts = dict.fromkeys(wanted, 0)
        for unit in wanted - {()}:
            free = 0  # the first position a next occurrence may start at
            for i in starts[unit[:SHINGLE]]:
                if i >= free and tuple(self.words[i : i + len(unit)]) == unit:
                    counts[unit] += 1
                    free = i + len(unit) + 1
        return counts

    def contains(self, unit: Sequence[str], share: float = _MIN_SHARE) -> bool:
        """`unit` is a block's tokens; see the module docstring for the rule. `share` 1.0
        asks whether the text holds the whole block (every one of its 3-grams)."""
        if not unit:
            return False
        if len(unit) < SHINGLE:
            return tuple(unit) in self.lines
        own = [tuple(unit[i : i + SHINGLE]) for i in range(len(unit) - SHINGLE + 1)]
        return sum(gram in self.shingles for gram in own) >= share * len(own)

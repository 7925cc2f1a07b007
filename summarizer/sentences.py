"""Sentence splitting with pysbd, whose rules keep "U.S.", "Gen." and "$3.5bn" intact."""

from __future__ import annotations

from functools import lru_cache

import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Sentences of each paragraph (never across a line break), stripped, empties dropped."""
    sentences: list[str] = []
    for paragraph in text.splitlines():
        if paragraph.strip():
            sentences.extend(s.strip() for s in _segmenter().segment(paragraph) if s.strip())
    return sentences

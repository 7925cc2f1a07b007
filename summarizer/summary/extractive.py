"""The extractive summary backend: the article's most central sentences, in page order."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from summarizer.config import SummaryConfig
from summarizer.models.embedder import unit
from summarizer.types import Article, Summary

_WORD = re.compile(r"[a-z0-9]+")
_SUMMARY_SENTENCE_WORDS = 20.0  # about the length of a one-sentence news summary


def summary_length(config: SummaryConfig, n_sentences: int) -> int:
    """How many sentences to keep: `ratio` of the article when set, else `sentences`."""
    if config.ratio is not None:
        wanted = math.ceil(config.ratio * n_sentences)
    else:
        wanted = config.sentences or 1
    return max(1, min(wanted, n_sentences))


class ExtractiveSummarizer:
    """Centrality in two views plus a lead prior; sentences come back in article order.

    A sentence scores by how much it is like the whole article: the cosine of its
    embedding to the article's mean embedding (meaning), plus `lexical_weight` times the
    cosine of its content-word counts to the article's (the names and numbers a summary
    must repeat, which embeddings blur), plus `lead_weight` decaying with position,
    because news puts the key facts first, minus `length_weight` times how far (log scale)
    its length is from a typical summary sentence's: on centrality alone a 60-word sentence
    full of the article's words beats a crisp 20-word one, and a 4-word quote says little.
    The lexical view lifts ROUGE-1 on BBC by about five points over embeddings alone; the
    length prior matters most for one-sentence summaries (bench/quality.py).
    """

    def __init__(self, config: SummaryConfig) -> None:
        self.config = config

    def __call__(self, articles: list[Article]) -> list[Summary]:
        return [Summary(self._pick(a.summarized.sentences, a.summarized.vectors)) for a in articles]

    def _pick(self, sentences: list[str], vectors: np.ndarray) -> str:
        if len(sentences) <= 1:
            return " ".join(sentences)
        centre = vectors.mean(axis=0)
        centrality = vectors @ unit(centre)
        position = np.arange(len(sentences), dtype=np.float32) / len(sentences)
        words = np.array([max(1, len(s.split())) for s in sentences], dtype=np.float32)
        scores = (
            centrality
            + self.config.lexical_weight * lexical_centrality(sentences)
            + self.config.lead_weight * (1.0 - position)
            - self.config.length_weight * np.abs(np.log(words / _SUMMARY_SENTENCE_WORDS))
        )
        keep = np.argsort(-scores, kind="stable")[: summary_length(self.config, len(sentences))]
        return " ".join(sentences[i] for i in sorted(keep))


def lexical_centrality(sentences: list[str]) -> np.ndarray:
    """Cosine between each sentence's content-word counts and the whole article's."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    bags = [
        Counter(w for w in _WORD.findall(s.lower()) if w not in ENGLISH_STOP_WORDS)
        for s in sentences
    ]
    article: Counter[str] = Counter()
    for bag in bags:  # not sum(bags, Counter()): that copies the growing total per sentence
        article.update(bag)
    article_norm = math.sqrt(sum(v * v for v in article.values())) or 1.0
    scores = []
    for bag in bags:
        norm = math.sqrt(sum(v * v for v in bag.values())) or 1.0
        scores.append(sum(v * article[w] for w, v in bag.items()) / (norm * article_norm))
    return np.array(scores, dtype=np.float32)

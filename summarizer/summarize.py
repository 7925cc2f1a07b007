"""Summary backends. Each takes a list of articles and returns a list of summaries."""

from __future__ import annotations

import math

import numpy as np

from summarizer.config import SummaryConfig
from summarizer.types import Article


def summary_length(config: SummaryConfig, n_sentences: int) -> int:
    """How many sentences to keep: `ratio` of the article when set, else `sentences`."""
    if config.ratio is not None:
        wanted = math.ceil(config.ratio * n_sentences)
    else:
        wanted = config.sentences or 1
    return max(1, min(wanted, n_sentences))


class ExtractiveSummarizer:
    """Embedding centrality plus a lead prior; sentences come back in article order.

    Centrality is each sentence's cosine to the article's mean sentence embedding (the
    sentence most like the whole); the lead prior adds `lead_weight` decaying linearly
    with position, because news puts the key facts first.
    """

    def __init__(self, config: SummaryConfig) -> None:
        self.config = config

    def __call__(self, articles: list[Article]) -> list[str]:
        return [self._pick(a.sentences, a.vectors) for a in articles]

    def _pick(self, sentences: list[str], vectors: np.ndarray) -> str:
        if len(sentences) <= 1:
            return " ".join(sentences)
        centre = vectors.mean(axis=0)
        centrality = vectors @ (centre / max(float(np.linalg.norm(centre)), 1e-9))
        position = np.arange(len(sentences), dtype=np.float32) / len(sentences)
        scores = centrality + self.config.lead_weight * (1.0 - position)
        keep = np.argsort(-scores, kind="stable")[: summary_length(self.config, len(sentences))]
        return " ".join(sentences[i] for i in sorted(keep))

"""Topic backends. Each takes a list of articles and returns, per article, every label
with a score, best first."""

from __future__ import annotations

from typing import Any

import numpy as np

from summarizer.config import TopicConfig
from summarizer.types import Article, Topic

TEMPLATE = "This news article is about {}."


class EmbeddingClassifier:
    """Zero-shot topics: cosine between the article and each label's description.

    Cosines are turned into scores with a softmax at `temperature`, so scores sum to 1
    and the gap between labels shows how sure the model is.
    """

    def __init__(self, embedder: Any, config: TopicConfig) -> None:
        self.embedder = embedder
        self.config = config
        self.labels = list(config.labels)
        self._label_vectors: np.ndarray | None = None

    def document_vectors(self, articles: list[Article]) -> np.ndarray:
        """Unit mean of each article's sentence embeddings, its title counted as one more
        sentence (a title alone is too short to outweigh the story)."""
        titles = [a.title for a in articles if a.title]
        title_vectors = iter(self.embedder.encode(titles)) if titles else iter(())
        rows = []
        for article in articles:
            vectors = article.vectors
            if article.title:
                vectors = np.vstack([vectors, next(title_vectors)])
            row = vectors.mean(axis=0)
            rows.append(row / max(float(np.linalg.norm(row)), 1e-9))
        return np.stack(rows)

    def label_vectors(self) -> np.ndarray:
        if self._label_vectors is None:
            texts = [TEMPLATE.format(desc) for desc in self.config.labels.values()]
            self._label_vectors = self.embedder.encode(texts)
        return self._label_vectors

    def __call__(self, articles: list[Article]) -> list[list[Topic]]:
        if not articles:
            return []
        cosines = self.document_vectors(articles) @ self.label_vectors().T
        logits = cosines / self.config.temperature
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        return [
            sorted(
                (Topic(label, round(float(p), 4)) for label, p in zip(self.labels, row)),
                key=lambda topic: -topic.score,
            )
            for row in probs
        ]

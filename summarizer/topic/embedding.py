"""Topic backends. Each takes a list of articles and returns, per article, every label
with a score, best first."""

from __future__ import annotations

from typing import Any

import numpy as np

from summarizer.config import TopicConfig
from summarizer.models.embedder import unit
from summarizer.topic import ranked_topics
from summarizer.types import Article, Topic

ADAPT_ROUNDS = 5
ADAPT_SHARPNESS = 0.02  # softmax temperature of the soft assignments while refining


class EmbeddingClassifier:
    """Zero-shot topics: cosine between the article and each label's prototype.

    A label's prototype is the mean embedding of its description in several prompt
    templates. With enough documents in one call, the prototypes are refined on the batch
    itself (a soft k-means seeded by the descriptions, mixed back with them): documents
    tell the model what "business" looks like in this collection, which lifts macro-F1 by
    several points on news sets. Cosines become scores with a softmax at `temperature`, so
    scores sum to 1 and the gap between labels shows how sure the model is.
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
            rows.append(vectors.mean(axis=0))
        return unit(np.stack(rows))

    def label_vectors(self) -> np.ndarray:
        if self._label_vectors is None:
            templates = self.config.templates
            texts = [t.format(desc) for desc in self.config.labels.values() for t in templates]
            per_label = self.embedder.encode(texts).reshape(len(self.labels), len(templates), -1)
            self._label_vectors = unit(per_label.mean(axis=1))
        return self._label_vectors

    def __call__(self, articles: list[Article]) -> list[list[Topic]]:
        if not articles:
            return []
        documents = self.document_vectors(articles)
        cosines = documents @ self.label_vectors().T
        if len(articles) >= self.config.adapt_min_docs:
            cosines = self._adapt(cosines, documents)
        logits = cosines / self.config.temperature
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        return [ranked_topics(self.labels, row) for row in probs]

    def _adapt(self, cosines: np.ndarray, documents: np.ndarray) -> np.ndarray:
        """Refine prototypes as the soft-assignment-weighted mean of the batch's documents."""
        weight = self.config.adapt_weight
        scores = cosines
        for _ in range(ADAPT_ROUNDS):
            logits = (scores - scores.max(axis=1, keepdims=True)) / ADAPT_SHARPNESS
            assignment = np.exp(logits)
            assignment /= assignment.sum(axis=1, keepdims=True)
            prototypes = unit(assignment.T @ documents)
            scores = weight * (documents @ prototypes.T) + (1 - weight) * cosines
        return scores

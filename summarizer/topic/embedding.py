"""Topic backends. Each takes a list of articles and returns, per article, every label
with a score, best first."""

from __future__ import annotations

from typing import Any

import numpy as np

from summarizer.config import TopicConfig
from summarizer.errors import ConfigError
from summarizer.models.embedder import unit
from summarizer.topic import ranked_topics
from summarizer.topic.prototypes import Prototypes
from summarizer.types import Article, LongInput, Topic

COSINE_PLACES = 4  # cosines are rounded to this before the softmax and the ranking


class EmbeddingClassifier:
    """Zero-shot topics: cosine between the article and each label's prototype.

    A label's prototype is the mean embedding of its description in several prompt
    templates. Prototypes adapted to a corpus (`summarizer.topic.prototypes`), when given,
    are blended in at `adapt_weight`. An article's topics depend on the article alone,
    never on the others in the call: its cosines are rounded to COSINE_PLACES, so the
    last-bit differences a different batch makes in its embedding cannot reorder labels.
    Cosines become scores with a softmax at `temperature`, so scores sum to 1 and the gap
    between labels shows how sure the model is.
    """

    def __init__(
        self, embedder: Any, config: TopicConfig, prototypes: Prototypes | None = None
    ) -> None:
        self.embedder = embedder
        self.config = config
        self.labels = list(config.labels)
        self._label_vectors: np.ndarray | None = None
        self.prototypes: Prototypes | None = None
        if prototypes is not None:
            self.use(prototypes)

    def use(self, prototypes: Prototypes) -> None:
        """Score with `prototypes` from now on (their labels are the config's: see `load`)."""
        if prototypes.vectors.shape[1] != self.label_vectors().shape[1]:
            raise ConfigError(
                f"topic.prototypes: {prototypes.origin}: vectors of width "
                f"{prototypes.vectors.shape[1]}, but the embedder's are "
                f"{self.label_vectors().shape[1]} wide; adapt again with this embedding.model"
            )
        self.prototypes = prototypes

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
        """The description prototypes: each label's descriptions in every template, averaged."""
        if self._label_vectors is None:
            templates = self.config.templates
            texts = [t.format(desc) for desc in self.config.labels.values() for t in templates]
            per_label = self.embedder.encode(texts).reshape(len(self.labels), len(templates), -1)
            self._label_vectors = unit(per_label.mean(axis=1)).astype(np.float32)
        return self._label_vectors

    def cosines(self, documents: np.ndarray) -> np.ndarray:
        """Each document's (rounded) cosine to each label: to the description prototypes,
        blended with the adapted ones when there are."""
        cosines = documents @ self.label_vectors().T
        if self.prototypes is not None:
            weight = self.config.adapt_weight
            cosines = weight * (documents @ self.prototypes.vectors.T) + (1 - weight) * cosines
        return np.round(cosines, COSINE_PLACES)

    def long_inputs(self, articles: list[Article]) -> list[LongInput | None]:
        """None for every article: each of its sentences is embedded, nothing is cut."""
        return [None] * len(articles)

    def __call__(self, articles: list[Article]) -> list[list[Topic]]:
        if not articles:
            return []
        logits = self.cosines(self.document_vectors(articles)) / self.config.temperature
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        return [ranked_topics(self.labels, row) for row in probs]

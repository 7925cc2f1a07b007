"""Topic backends behind one interface, chosen by `topic.backend`. A `Classifier` takes a
list of articles and returns, per article, every label with a score, best first.
`embedding.py` compares the article with label prototypes in the shared embedder's space
(adapted ones saved by `prototypes.py` when `topic.prototypes` names them);
`nli.py` asks a zero-shot NLI model; `classifier.py` runs a fine-tuned text classifier. The
registry's entries import their backend only when chosen. It may import `models`, `segment`,
`text` and the bottom layer, and the other stages of its layer (`noise`, `summary`); nothing
above (not `pipeline`).
"""

from __future__ import annotations

from typing import Any, Protocol

from summarizer.config import Config
from summarizer.models.device import Placement
from summarizer.registry import Entry, lazy
from summarizer.types import Article, LongInput, Topic


class Classifier(Protocol):
    """A topic backend: every label with a score, best first, per article; and, per
    article, how much of it the model read (`LongInput` when cut, else None)."""

    def __call__(self, articles: list[Article]) -> list[list[Topic]]: ...

    def long_inputs(self, articles: list[Article]) -> list[LongInput | None]: ...


def with_title(title: str | None, text: str) -> str:
    """The text a classifier reads: the title (the densest topic signal) on the first line,
    then the article; the article alone when there is no title. Training files are built
    the same way (`io.labeled.text_column`), so a model sees at inference what it learned."""
    return f"{title}\n{text}" if title else text


def ranked_topics(labels: list[str], scores: list[float]) -> list[Topic]:
    """Every label with its score (rounded to 4 places), best first: what every topic
    backend returns."""
    topics = [Topic(label, round(float(score), 4)) for label, score in zip(labels, scores)]
    return sorted(topics, key=lambda topic: -topic.score)


def _embedding(config: Config, embedder: Any, placement: Placement) -> Classifier:
    from summarizer.topic import prototypes
    from summarizer.topic.embedding import EmbeddingClassifier

    saved = None
    if config.topic.prototypes is not None:
        folder = prototypes.find(config.topic.prototypes, config.base_dir)
        saved = prototypes.load(folder, config.topic.labels, config.embedding.model)
    return EmbeddingClassifier(embedder, config.topic, saved)


# Backends by config name (see `summarizer.registry`). Adding a backend = one class + one
# entry (import it lazily inside the entry).
TOPIC_BACKENDS: dict[str, Entry] = {
    "embedding": _embedding,
    "nli": lazy("summarizer.topic.nli", "NliClassifier"),
    "classifier": lazy("summarizer.topic.classifier", "FinetunedClassifier"),
}

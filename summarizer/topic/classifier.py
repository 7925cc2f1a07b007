"""Fine-tuned sequence classifiers: topics (`topic.backend: classifier`), and the
`text-classification` wrapper the noise block model shares.

Topic labels come from the model's own `id2label`, so `topic.labels` does not apply.
"""

from __future__ import annotations

from typing import Any

from summarizer.config import Config
from summarizer.models.batching import Batcher, BatchLimits
from summarizer.models.device import Placement
from summarizer.models.load import load_pipeline, truncation_notes
from summarizer.topic import ranked_topics, with_title
from summarizer.types import Article, LongInput, Topic


class TextClassifier:
    """A `text-classification` pipeline returning every label's score, batched by length."""

    def __init__(
        self, key: str, name: str, config: Config, placement: Placement | None = None
    ) -> None:
        self.pipe = load_pipeline("text-classification", key, name, config, placement)
        self.labels = set(self.pipe.model.config.id2label.values())
        self.batches = Batcher(BatchLimits(config.batch_size))
        tokenizer = self.pipe.tokenizer
        self.room = tokenizer.model_max_length - tokenizer.num_special_tokens_to_add(False)

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        ranked = self.batches(self._batch, texts)
        return [{row["label"]: float(row["score"]) for row in rows} for rows in ranked]

    def _batch(self, texts: list[str]) -> list[list[dict[str, Any]]]:
        return self.pipe(texts, top_k=None, truncation=True, batch_size=len(texts))


class FinetunedClassifier:
    """Topics from a fine-tuned sequence-classification model, every label scored."""

    def __init__(self, config: Config, placement: Placement | None = None) -> None:
        self.model = TextClassifier("topic.model", str(config.topic.model), config, placement)

    def long_inputs(self, articles: list[Article]) -> list[LongInput | None]:
        """Which articles the model reads only in part (see `truncation_notes`)."""
        texts = [with_title(a.title, a.text) for a in articles]
        return truncation_notes(self.model.pipe.tokenizer, texts, self.model.room)

    def __call__(self, articles: list[Article]) -> list[list[Topic]]:
        scored = self.model.scores([with_title(a.title, a.text) for a in articles])
        return [ranked_topics(list(scores), list(scores.values())) for scores in scored]

"""Zero-shot topics from an NLI model (`topic.backend: nli`).

Each label becomes a hypothesis ("This news article is about {label}.") and the model
scores how strongly the article entails it. With `topic.multi_label` (the default) every
label is judged on its own, so an article can be both politics and economy; without it
the labels share a probability of 1. An article longer than the model's input limit (less
the hypothesis) is cut at the limit, and the record's `topic_long_input` says so: topics
are evident early in a news story.
"""

from __future__ import annotations

from typing import Any

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.models.batching import Batcher, BatchLimits
from summarizer.models.device import Placement
from summarizer.models.load import load_pipeline, truncation_notes
from summarizer.topic import ranked_topics, with_title
from summarizer.types import Article, LongInput, Topic


class NliClassifier:
    """The `zero-shot-classification` pipeline over `topic.labels`, batched by length."""

    def __init__(self, config: Config, placement: Placement | None = None) -> None:
        topic = config.topic
        self.pipe = load_pipeline(
            "zero-shot-classification", "topic.model", str(topic.model), config, placement
        )
        if self.pipe.entailment_id < 0:
            labels = sorted(self.pipe.model.config.id2label.values())
            raise UserError(
                f"topic.model: {topic.model} is not an NLI model (its labels are {labels}, "
                "none is 'entailment'); use topic.backend: classifier for a topic classifier"
            )
        self.labels = list(topic.labels)
        self.options = {
            "candidate_labels": self.labels,
            "hypothesis_template": topic.hypothesis_template,
            "multi_label": topic.multi_label,
        }
        self.batches = Batcher(BatchLimits(config.batch_size))
        tokenizer = self.pipe.tokenizer
        hypotheses = [topic.hypothesis_template.format(label) for label in self.labels]
        longest = max(
            len(ids) for ids in tokenizer(hypotheses, add_special_tokens=False)["input_ids"]
        )
        self.room = tokenizer.model_max_length - longest - tokenizer.num_special_tokens_to_add(True)

    def long_inputs(self, articles: list[Article]) -> list[LongInput | None]:
        """Which articles the model reads only in part (see `truncation_notes`)."""
        texts = [with_title(a.title, a.text) for a in articles]
        return truncation_notes(self.pipe.tokenizer, texts, self.room)

    def __call__(self, articles: list[Article]) -> list[list[Topic]]:
        texts = [with_title(a.title, a.text) for a in articles]
        outputs = self.batches(self._batch, texts)
        return [ranked_topics(o["labels"], o["scores"]) for o in outputs]

    def _batch(self, texts: list[str]) -> list[dict[str, Any]]:
        # batch_size here counts (article, hypothesis) pairs, the unit the model sees.
        outputs = self.pipe(texts, batch_size=self.batches.limits.texts, **self.options)
        return [outputs] if isinstance(outputs, dict) else outputs

"""Fine-tuned sequence classifiers: topics (`topic.backend: classifier`) and noise blocks.

Topic labels come from the model's own `id2label`, so `topic.labels` does not apply.

The noise block classifier (`noise.model`) is trained by `summarizer train noise`: its
labels are "article" plus one or more noise labels ("noise", or kinds such as "teaser"),
and it reads one block's text. It runs after the rule-based detector and has the last word
on noise: a block is noise when the model gives "article" less than half the probability.
The rules still name the kind: a noise block the rules called byline, teaser or
boilerplate keeps that kind; otherwise it takes the model's most likely noise label
("noise" itself becomes "boilerplate"). A kept block the rules called the title stays the
title. `score` is the model's probability for its decision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.loading import in_length_order, load_pipeline, truncation_notes
from summarizer.nli import ranked_topics, with_title
from summarizer.segment import Segment
from summarizer.types import (
    ARTICLE,
    BOILERPLATE,
    NOISE_KINDS,
    TITLE,
    Article,
    Block,
    LongInput,
    Topic,
)

NoiseStage = Callable[[list[list[Segment]], list[np.ndarray]], list[list[Block]]]

_GENERIC_NOISE = "noise"


class _TextClassifier:
    """A `text-classification` pipeline returning every label's score, batched by length."""

    def __init__(self, key: str, name: str, config: Config) -> None:
        self.pipe = load_pipeline("text-classification", key, name, config)
        self.labels = set(self.pipe.model.config.id2label.values())
        self.batch_size = config.batch_size
        tokenizer = self.pipe.tokenizer
        self.room = tokenizer.model_max_length - tokenizer.num_special_tokens_to_add(False)

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        ranked = in_length_order(self._batch, texts, self.batch_size)
        return [{row["label"]: float(row["score"]) for row in rows} for rows in ranked]

    def _batch(self, texts: list[str]) -> list[list[dict[str, Any]]]:
        return self.pipe(texts, top_k=None, truncation=True, batch_size=self.batch_size)


class FinetunedClassifier:
    """Topics from a fine-tuned sequence-classification model, every label scored."""

    def __init__(self, config: Config) -> None:
        self.model = _TextClassifier("topic.model", str(config.topic.model), config)

    def long_inputs(self, articles: list[Article]) -> list[LongInput | None]:
        """Which articles the model reads only in part (see `truncation_notes`)."""
        texts = [with_title(a) for a in articles]
        return truncation_notes(self.model.pipe.tokenizer, texts, self.model.room)

    def __call__(self, articles: list[Article]) -> list[list[Topic]]:
        scored = self.model.scores([with_title(a) for a in articles])
        return [ranked_topics(list(scores), list(scores.values())) for scores in scored]


class BlockClassifierNoise:
    """The rule-based noise stage with a fine-tuned block classifier deciding noise."""

    def __init__(self, rules: NoiseStage, config: Config) -> None:
        name = str(config.noise.model)
        self.rules = rules
        self.model = _TextClassifier("noise.model", name, config)
        if ARTICLE not in self.model.labels or len(self.model.labels) < 2:
            raise UserError(
                f"noise.model: {name} labels blocks as {sorted(self.model.labels)}; a block "
                "classifier needs 'article' and at least one noise label "
                "(train one with `summarizer train noise`)"
            )

    def needs_vectors(self, segments: list[Segment]) -> list[bool]:
        """Every block: the model may keep one the rules flagged, and then it is summarized."""
        return [True] * len(segments)

    def __call__(self, pages: list[list[Segment]], vectors: list[np.ndarray]) -> list[list[Block]]:
        labelled = self.rules(pages, vectors)
        blocks = [block for page in labelled for block in page]
        for block, scores in zip(blocks, self.model.scores([b.text for b in blocks])):
            decide(block, scores)
        return labelled


def decide(block: Block, scores: dict[str, float]) -> None:
    """Set noise, kind and score of a rule-labelled block from the model's label scores."""
    article = scores[ARTICLE]
    block.noise = article < 0.5
    if not block.noise:
        block.kind = TITLE if block.kind == TITLE else ARTICLE
        block.score = round(article, 3)
        return
    if block.kind not in NOISE_KINDS:
        label = max((k for k in scores if k != ARTICLE), key=scores.__getitem__)
        block.kind = BOILERPLATE if label == _GENERIC_NOISE else label
    block.score = round(1.0 - article, 3)

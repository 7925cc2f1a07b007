"""The noise block classifier (`noise.model`), trained by `summarizer train noise`.

Its labels are "article" plus one or more noise labels ("noise", or kinds such as
"teaser"), and it reads one block's text. It runs after the rule-based detector and has
the last word on noise: a block is noise when the model gives "article" less than half
the probability. The rules still name the kind: a noise block the rules called byline,
teaser or boilerplate keeps that kind; otherwise it takes the model's most likely noise
label ("noise" itself becomes "boilerplate"). A kept block the rules called the title
stays the title. `score` is the model's probability for its decision.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.models.device import Placement
from summarizer.segment import Segment
from summarizer.topic.classifier import TextClassifier
from summarizer.types import ARTICLE, BOILERPLATE, NOISE_KINDS, TITLE, Block

NoiseStage = Callable[[list[list[Segment]], list[np.ndarray]], list[list[Block]]]

_GENERIC_NOISE = "noise"


class BlockClassifierNoise:
    """The rule-based noise stage with a fine-tuned block classifier deciding noise."""

    def __init__(
        self, rules: NoiseStage, config: Config, placement: Placement | None = None
    ) -> None:
        name = str(config.noise.model)
        self.rules = rules
        self.model = TextClassifier("noise.model", name, config, placement)
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

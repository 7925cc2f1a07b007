"""The keep rules: blocks the span and similarity rules dropped that are the story after all.

A sentence between two kept paragraphs (`sandwiched`), the paragraphs of a run that is
on-topic as a whole though one of them reads off-topic alone (`on_topic_runs`). Each
returns the indices it keeps; `detector.NoiseDetector` ranks them against the other
rules. `centroid` is the story's meaning the similarity rules compare blocks with.
"""

from __future__ import annotations

import numpy as np

from summarizer.models.embedder import unit
from summarizer.text.lines import is_prose, word_count
from summarizer.types import ARTICLE, Block

_SANDWICH_GAP = 2
# prose blocks in a row that are judged by their mean meaning (`on_topic_runs`)
_MIN_RUN = 3
# a block's words beyond this add no weight to a centroid: one long paragraph must not
# stand for the whole story
_MAX_CENTROID_WEIGHT = 80


def centroid(vectors: np.ndarray, blocks: list[Block], prose: list[int]) -> np.ndarray:
    """Unit mean of the prose blocks' embeddings, weighted by length (long paragraphs lead)."""
    weights = np.array(
        [min(word_count(blocks[i].text), _MAX_CENTROID_WEIGHT) for i in prose], dtype=np.float32
    )
    centre = (vectors[prose] * weights[:, None]).sum(axis=0)
    return unit(centre)


def sandwiched(blocks: list[Block], dropped: set[int]) -> set[int]:
    """Prose among `dropped` (outside the core, dropped for its place or meaning) with a kept
    paragraph at most `_SANDWICH_GAP` lines above and another below is the story's: a
    sentence between two of the story's paragraphs belongs to it whatever its wording (a
    short quote, a club's statement, the story resuming after a widget). A block kept this
    way counts as kept for the ones below it."""
    kept: set[int] = set()
    for i in sorted(dropped):
        if not is_prose(blocks[i].text):
            continue
        nearby = [
            j
            for j in range(i - _SANDWICH_GAP, i + _SANDWICH_GAP + 1)
            if j != i
            and 0 <= j < len(blocks)
            and (blocks[j].kind == ARTICLE or j in kept)
            and is_prose(blocks[j].text)
        ]
        if any(j < i for j in nearby) and any(j > i for j in nearby):
            kept.add(i)
    return kept


def on_topic_runs(
    blocks: list[Block],
    vectors: np.ndarray,
    centre: np.ndarray,
    dropped: set[int],
    min_similarity: float,
    region: range,
) -> set[int]:
    """Runs of `_MIN_RUN`+ prose blocks in `region`, each at most `_SANDWICH_GAP` + 1 lines
    after the last, are judged as a whole: when their length-weighted mean is as close to
    the story's `centre` as one block must be, the `dropped` ones among them are kept.

    One paragraph of the story's later part (a quote, an aside) can read off-topic alone,
    but several in a row carry the story's meaning together; other stories' snippets are
    headline-led and seldom full paragraphs three in a row, and comments sit below their
    heading, outside `region`."""
    runs: list[list[int]] = []
    for i in region:
        if not is_prose(blocks[i].text) or not (blocks[i].kind == ARTICLE or i in dropped):
            continue
        if runs and i - runs[-1][-1] <= _SANDWICH_GAP + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return {
        i
        for run in runs
        if len(run) >= _MIN_RUN
        and not dropped.isdisjoint(run)
        and float(centroid(vectors, blocks, run) @ centre) >= min_similarity
        for i in run
        if i in dropped
    }

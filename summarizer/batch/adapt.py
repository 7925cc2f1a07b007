"""Adapting the topic prototypes to a corpus: `summarizer adapt topic`, and a batch run's
first pass with `topic.adapt: corpus`.

The sample is the `size` records whose hash (of the seed, title and text) is smallest:
the same records, in the same order, whatever the input's order, chunking or ids, and
read in one streaming pass that holds only the sample. Its articles are embedded in
fixed groups of SAMPLE_CHUNK, so the prototypes are the same every time (and saved, so a
resumed run reads them instead of computing them again).
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.batch.budget import ChunkBudget, RecordTimeout, time_limit
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.io.readers import Fields, Record, open_input
from summarizer.topic import prototypes
from summarizer.topic.prototypes import Prototypes

log = logging.getLogger(__name__)


class NothingToAdapt(UserError):
    """No sampled record has an article: a batch run falls back to zero-shot topics."""


SAMPLE_CHUNK = 64  # documents per pipeline call in the sampling pass (fixed: see above)
SEED = 0


def sample_key(record: Record, seed: int) -> int:
    """Where a record falls in the sample order: a seeded hash of its title and text."""
    content = f"{seed}\n{record.title or ''}\n{record.text}"
    return int(hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest(), 16)


def read_sample(source: Path, fields: Fields, max_bytes: int, size: int, seed: int) -> list[Record]:
    """The `size` distinct readable records of `source` with the smallest keys, in key
    order (a page that occurs twice counts once): one streaming pass holding the sample."""
    heap: list[tuple[int, Record]] = []  # keys negated: the root is the largest kept
    kept: set[int] = set()
    for record in open_input(source, fields, max_bytes):
        key = sample_key(record, seed) if record.text is not None else None
        if key is None or key in kept or (len(heap) == size and key > -heap[0][0]):
            continue
        kept.add(key)
        if len(heap) == size:
            kept.discard(-heapq.heappushpop(heap, (-key, record))[0])
        else:
            heapq.heappush(heap, (-key, record))
    return [record for _, record in sorted(heap, key=lambda pair: -pair[0])]


def _group_vectors(pipeline: Any, group: list[Record], budget: ChunkBudget) -> np.ndarray:
    """The article vectors of a sampled group, under the batch's time budget.

    A group over its budget is redone a record at a time, each under `record_timeout`;
    a record still running then is left out of the sample (the batch pass makes it an
    error record), so one pathological page cannot stall the run before it starts.
    """
    started, seconds = time.perf_counter(), budget.seconds(len(group))
    try:
        with time_limit(seconds):
            found = pipeline.topic_vectors([r.text for r in group], [r.title for r in group])
        budget.observe(time.perf_counter() - started, len(group))
        return found
    except RecordTimeout:
        log.warning("adapting: %d sampled records over %g s; one at a time", len(group), seconds)
    alone = []
    for record in group:
        try:
            with time_limit(budget.record_timeout):
                alone.append(pipeline.topic_vectors([record.text], [record.title]))
        except RecordTimeout:
            log.warning("adapting: %s left out of the sample (record_timeout)", record.id)
    alone = [v for v in alone if len(v)]
    return np.concatenate(alone) if alone else np.zeros((0, 0), np.float32)


def adapt_on_corpus(
    pipeline: Any, source: Path, fields: Fields, config: Config, seed: int = SEED
) -> Prototypes:
    """Label prototypes refined on a sample of `source` (`topic.adapt_sample` records)."""
    topic = config.topic
    sample = read_sample(source, fields, config.input.max_bytes, topic.adapt_sample, seed)
    groups = [sample[i : i + SAMPLE_CHUNK] for i in range(0, len(sample), SAMPLE_CHUNK)]
    budget = ChunkBudget(config.batch.record_timeout)
    vectors = [_group_vectors(pipeline, group, budget) for group in groups]
    documents = [v for v in vectors if len(v)]
    if not documents:
        raise NothingToAdapt(
            f"{source}: none of the {len(sample)} records sampled has an article to adapt the "
            "topic prototypes on"
        )
    classifier = pipeline.classify
    refined = prototypes.refine(
        np.concatenate(documents), classifier.label_vectors(), topic.adapt_weight
    )
    count = sum(len(v) for v in documents)
    facts = {
        "embedding_model": config.embedding.model,
        "corpus": str(source),
        "documents": count,
        "sample": topic.adapt_sample,
        "seed": seed,
        "config": config.model_dump(mode="json"),
    }
    origin = f"adapted on {count} documents of {source}"
    return Prototypes(dict(topic.labels), refined, facts, origin)

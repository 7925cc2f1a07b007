"""How model calls are cut into batches, so large batch runs stay fast, small and alive.

Every model backend (the embedder, NLI and fine-tuned classifiers, the noise model,
seq2seq and chat summarizers) runs its forward passes through one `Batcher`:

- Texts are sorted by length and cut into batches of at most `texts` texts and
  `tokens` padded tokens (texts x the longest one). Sorting cuts padding; the token cap
  keeps a batch of long texts from needing many times the activation memory of a batch of
  short ones, which on a CPU is also what makes huge batches slow.
- A GPU out-of-memory error halves both limits and retries, instead of ending the run.
- The embedder encodes each distinct text once (`unique_texts`): scraped pages repeat
  themselves (share lines, teasers, site boilerplate), and a chunk of documents sends
  them all in one call.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class BatchLimits:
    """At most `texts` texts and, when set, `tokens` padded tokens per forward pass."""

    texts: int
    tokens: int | None = None

    def halved(self) -> BatchLimits:
        tokens = None if self.tokens is None else max(1, self.tokens // 2)
        return BatchLimits(max(1, self.texts // 2), tokens)

    def __str__(self) -> str:
        tokens = "" if self.tokens is None else f" / {self.tokens} tokens"
        return f"{self.texts} texts{tokens}"


def unique_texts(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Distinct texts in first-seen order, and for each input text its row among them.

    `vectors[positions]` turns the distinct texts' rows back into one row per input.
    """
    rows: dict[str, int] = {}
    positions = np.fromiter((rows.setdefault(t, len(rows)) for t in texts), dtype=np.intp)
    return list(rows), positions


def plan_batches(lengths: np.ndarray, limits: BatchLimits) -> list[np.ndarray]:
    """Indices of each batch, longest texts first; every batch holds at least one text."""
    order = np.argsort(-lengths, kind="stable")
    batches, start = [], 0
    while start < len(order):
        size = limits.texts
        if limits.tokens is not None:
            size = max(1, min(size, limits.tokens // max(1, int(lengths[order[start]]))))
        batches.append(order[start : start + size])
        start += size
    return batches


def character_lengths(texts: list[str]) -> list[int]:
    """Length in characters: a cheap stand-in for token counts when only the order matters."""
    return [len(text) for text in texts]


class Batcher:
    """A model's forward pass over any number of texts, in planned batches.

    Texts are sorted by `lengths_of` and cut by `plan_batches`; results come back in input
    order. A GPU out-of-memory error halves the limits and retries, and the halved limits
    are kept for later calls (`limits` is always the size that worked last). `on_batch`,
    when set, hears (texts done, texts in the call) after each batch: the batch job's
    progress bar moves with it inside a chunk.
    """

    def __init__(
        self,
        limits: BatchLimits,
        lengths_of: Callable[[list[str]], Sequence[int]] = character_lengths,
    ) -> None:
        self.limits = limits
        self.lengths_of = lengths_of
        self.on_batch: Callable[[int, int], None] | None = None

    def __call__(
        self, forward: Callable[[list[str]], Sequence[T]], texts: Sequence[str]
    ) -> list[T]:
        lengths = np.asarray(self.lengths_of(list(texts)), dtype=np.int64)

        def attempt(limits: BatchLimits) -> list[T]:
            self.limits = limits  # a forward pass may read it (a pipeline's own batch_size)
            results: list[Any] = [None] * len(texts)
            done = 0
            for batch in plan_batches(lengths, limits):
                for i, result in zip(batch, forward([texts[i] for i in batch]), strict=True):
                    results[i] = result
                done += len(batch)
                if self.on_batch is not None:
                    self.on_batch(done, len(texts))
            return results

        results, self.limits = halving_on_oom(attempt, self.limits)
        return results


def skip_kernel_cache() -> None:
    """Turn off oneDNN's per-shape kernel cache (unless the user set its size).

    Length-sorted batches have a new shape (texts x longest) almost every forward pass, so
    the cache rarely hits but keeps every kernel: here it grew a process by ~0.8 GB over
    300 single-page calls at no measurable speed gain. oneDNN reads the setting at its
    first forward pass, so this must run before one.
    """
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "0")


def is_out_of_memory(exc: BaseException) -> bool:
    """CUDA raises `torch.OutOfMemoryError`; MPS and older builds a RuntimeError saying so."""
    import torch

    return isinstance(exc, torch.OutOfMemoryError) or (
        isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()
    )


def _free_device_memory() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def halving_on_oom(call: Callable[[BatchLimits], T], limits: BatchLimits) -> tuple[T, BatchLimits]:
    """`call(limits)`, retried with halved limits after each out-of-memory error.

    Returns the result and the limits that worked, so the caller can keep them instead of
    running out of memory again on the next call. An OOM with one text per batch is
    re-raised: nothing smaller can be tried.
    """
    while True:
        try:
            return call(limits), limits
        except RuntimeError as exc:
            if limits.texts == 1 or not is_out_of_memory(exc):
                raise
            _free_device_memory()
            log.warning("out of memory at %s per batch; retrying with %s", limits, limits.halved())
            limits = limits.halved()

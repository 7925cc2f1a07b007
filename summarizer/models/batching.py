"""How embedding calls are cut into batches, so large batch runs stay fast, small and alive.

- Each distinct text is encoded once: scraped pages repeat themselves (share lines,
  teasers, site boilerplate), and a chunk of documents sends them all in one call.
- Texts are sorted by token count and cut into batches of at most `texts` texts and
  `tokens` padded tokens (texts x the longest one). Sorting cuts padding; the token cap
  keeps a batch of long texts from needing many times the activation memory of a batch of
  short ones, which on a CPU is also what makes huge batches slow.
- A GPU out-of-memory error halves both limits and retries, instead of ending the run.
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


def encode_in_batches(
    forward: Callable[[list[str]], np.ndarray],
    lengths_of: Callable[[list[str]], Sequence[int]],
    texts: Sequence[str],
    limits: BatchLimits,
) -> tuple[np.ndarray, BatchLimits]:
    """`forward` over the distinct `texts` in planned batches; one row per input text.

    Returns the rows and the limits that worked (smaller after an out-of-memory error),
    for the caller to keep.
    """
    unique, positions = unique_texts(texts)
    lengths = np.asarray(lengths_of(unique))

    def run(current: BatchLimits) -> np.ndarray:
        batches = plan_batches(lengths, current)
        parts = [forward([unique[i] for i in batch]) for batch in batches]
        vectors = np.empty((len(unique), parts[0].shape[1]), dtype=parts[0].dtype)
        for batch, part in zip(batches, parts):
            vectors[batch] = part
        return vectors

    vectors, limits = halving_on_oom(run, limits)
    return vectors[positions], limits


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


def in_length_order(
    run: Callable[[list[str]], Sequence[T]], texts: Sequence[str], batch_size: int
) -> list[T]:
    """`run` over batches of similar-length texts (less padding), results in input order.

    Longest first, so a batch too big for the device fails at once, not at the end.
    """
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    results: list[Any] = [None] * len(texts)
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        for i, result in zip(batch, run([texts[i] for i in batch]), strict=True):
            results[i] = result
    return results

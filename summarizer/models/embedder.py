"""The sentence embedder every embedding stage shares: loaded once, batched by length.

sentence-transformers is imported inside the functions, so importing this module stays
cheap.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from summarizer.models.batching import (
    Batcher,
    BatchLimits,
    skip_kernel_cache,
    unique_texts,
)
from summarizer.models.load import locate, one_line_errors

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def load_embedder(
    key: str, name: str, base_dir: Path | None, device: str, max_seq_length: int
) -> SentenceTransformer:
    """The sentence-transformers model `key` names, on `device`: located like every other
    model (`models.load.locate`), with the same one-line errors, loaded once."""
    source = locate(key, name, base_dir)
    with one_line_errors(key, name, source.location):
        return _sentence_transformer(source.location, source.local_only, device, max_seq_length)


@lru_cache(maxsize=8)
def _sentence_transformer(
    location: str, local_only: bool, device: str, max_seq_length: int
) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(location, device=device, local_files_only=local_only)
    model.max_seq_length = max_seq_length
    return model


class Embedder:
    """Unit-length sentence embeddings for lists of texts.

    Each distinct text is encoded once, in length-sorted batches of at most `batch_size`
    texts and `batch_tokens` padded tokens; a GPU out-of-memory error halves both, for
    this and later calls (see `summarizer.models.batching`).
    """

    def __init__(self, model: Any, batch_size: int, batch_tokens: int | None = None) -> None:
        skip_kernel_cache()
        self.model = model
        self.batches = Batcher(BatchLimits(batch_size, batch_tokens), self.token_lengths)

    @property
    def limits(self) -> BatchLimits:
        return self.batches.limits

    def encode(self, texts: list[str]) -> Any:
        if not texts:
            dim = self.model.get_sentence_embedding_dimension()
            return np.zeros((0, dim), dtype=np.float32)
        unique, positions = unique_texts(texts)
        return np.stack(self.batches(self._forward, unique))[positions]

    def _forward(self, texts: list[str]) -> Any:
        return self.model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def token_lengths(self, texts: list[str]) -> list[int]:
        """Token counts as the model will see them (truncated at its max_seq_length)."""
        limit = self.model.max_seq_length
        ids = self.model.tokenizer(texts, truncation=True, max_length=limit)["input_ids"]
        return [len(row) for row in ids]


def unit(vectors: np.ndarray) -> np.ndarray:
    """`vectors` scaled to length 1 along their last axis (a zero vector stays zero)."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-9)

"""The sentence embedder every embedding stage shares: loaded once, batched by length.

sentence-transformers is imported inside the functions, so importing this module stays
cheap.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from summarizer.errors import ConfigError
from summarizer.models.batching import (
    Batcher,
    BatchLimits,
    skip_kernel_cache,
    unique_texts,
)
from summarizer.models.load import locate, one_line_errors

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from summarizer.config import Config


def load_embedder(config: Config, device: str) -> SentenceTransformer:
    """The sentence-transformers model `embedding.model` names, on `device`: located like
    every other model (`models.load.locate`), with the same one-line errors, loaded once."""
    section = config.embedding
    source = locate("embedding.model", section.model, config.base_dir)
    explicit = "max_seq_length" in section.model_fields_set
    with one_line_errors("embedding.model", section.model, source.location):
        return _sentence_transformer(
            source.location,
            source.local_only,
            device,
            section.max_seq_length,
            explicit,
            config.trust_remote_code,
        )


@lru_cache(maxsize=8)
def _sentence_transformer(
    location: str,
    local_only: bool,
    device: str,
    max_seq_length: int,
    explicit: bool,
    trust_remote_code: bool,
) -> SentenceTransformer:
    """The model once per setting: max_seq_length is set on the loaded model, so two
    configs that differ in it must not share one.

    A max_seq_length over the model's position limit fails on the first long sentence,
    deep in a batch: one the config sets is refused here, the default is lowered to it.
    """
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(
        location,
        device=device,
        local_files_only=local_only,
        trust_remote_code=trust_remote_code,
    )
    limit = position_limit(model)
    if limit is not None and max_seq_length > limit and explicit:
        raise ConfigError(
            f"embedding.max_seq_length: {max_seq_length} is over the {limit} tokens the "
            f"model can embed at once; set it to {limit} or less"
        )
    model.max_seq_length = min(max_seq_length, limit or max_seq_length)
    return model


def position_limit(model: SentenceTransformer) -> int | None:
    """The most tokens the model's position table covers, or None where it has none
    (rotary or relative positions): a longer input fails inside the model's forward.

    RoBERTa-family embeddings number positions from padding_idx + 1, so their 514
    positions hold 512 tokens (the offset sentence-transformers itself applies).
    """
    transformer = getattr(model[0], "auto_model", None)
    positions = getattr(getattr(transformer, "config", None), "max_position_embeddings", None)
    if not isinstance(positions, int) or positions <= 0:  # xlnet says -1: no limit
        return None
    padding = getattr(getattr(transformer, "embeddings", None), "padding_idx", None)
    return positions - (padding + 1 if isinstance(padding, int) else 0)


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

"""The sentence embedder every embedding stage shares: loaded once, batched by length.

sentence-transformers is imported inside the functions, so importing this module stays
cheap.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import UserError
from summarizer.models.resolve import hub_offline, missing_hub_model

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


@lru_cache(maxsize=8)
def load_embedder(location: str, device: str, max_seq_length: int) -> SentenceTransformer:
    """Load a sentence-transformers model once per (location, device)."""
    from sentence_transformers import SentenceTransformer

    try:
        model = SentenceTransformer(location, device=device, local_files_only=hub_offline())
    except OSError as exc:
        if Path(location).is_dir():
            raise UserError(f"cannot load embedding model from {location}: {exc}") from None
        raise missing_hub_model(location) from None
    model.max_seq_length = max_seq_length
    return model


class Embedder:
    """Unit-length sentence embeddings for lists of texts.

    Each distinct text is encoded once, in length-sorted batches of at most `batch_size`
    texts and `batch_tokens` padded tokens; a GPU out-of-memory error halves both, for
    this and later calls (see `summarizer.models.batching`).
    """

    def __init__(self, model: Any, batch_size: int, batch_tokens: int | None = None) -> None:
        from summarizer.models.batching import BatchLimits, skip_kernel_cache

        skip_kernel_cache()
        self.model = model
        self.limits = BatchLimits(batch_size, batch_tokens)

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        from summarizer.models.batching import encode_in_batches

        if not texts:
            dim = self.model.get_sentence_embedding_dimension()
            return np.zeros((0, dim), dtype=np.float32)
        vectors, self.limits = encode_in_batches(
            self._forward, self.token_lengths, texts, self.limits
        )
        return vectors

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

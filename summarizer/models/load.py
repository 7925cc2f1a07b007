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
from summarizer.models.device import Placement, resolve_placement
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
class Source:
    """Where a configured model loads from, checked before anything heavy runs: `key` is
    the config key (or CLI option) that named it, for the one-line errors."""

    key: str
    name: str
    location: str
    local_only: bool  # everything needed is on disk: never ask the hub


@dataclass(frozen=True)
class LoadSpec:
    """Everything that decides which loaded model a config gets (the cache key)."""

    location: str
    device: str
    dtype: str
    trust_remote_code: bool
    local_only: bool


def resolve(key: str, name: str, base_dir: Path | None) -> ModelRef:
    """`resolve_model`, with errors naming the config key that holds the name."""
    try:
        return resolve_model(name, base_dir)
    except UserError as exc:
        raise UserError(f"{key}: {exc}") from None


def locate(key: str, name: str, base_dir: Path | None = None) -> Source:
    """Resolve `name` (held by `key`) and make sure it can be had; fails fast if not.

    A hub id in the local cache loads from it without touching the network; one that is
    not is downloaded only when the hub answers a single quick probe.
    """
    ref = resolve(key, name, base_dir)
    if ref.kind != "hub" and not is_model_dir(ref.location):
        raise UserError(f"{key}: {ref.location} is not a model folder (it has no config.json)")
    local_only = ref.kind != "hub" or hub_snapshot(name) is not None
    if not local_only:
        _check_hub(key, name)
    return Source(key, name, ref.location, local_only)


def load_spec(key: str, name: str, config: Config, placement: Placement | None) -> LoadSpec:
    """How to load the model `key` names: where from, on which device, in which dtype."""
    source = locate(key, name, config.base_dir)
    placement = placement or resolve_placement(config.device, config.dtype)
    return LoadSpec(
        source.location,
        placement.device,
        placement.dtype,
        config.trust_remote_code,
        source.local_only,
    )


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


class WrongModelKind(UserError):
    """The checkpoint loads, but not as the model class asked for (a classifier given
    where a seq2seq model belongs): callers may explain what was expected."""


@contextmanager
def one_line_errors(key: str, name: str, location: str) -> Iterator[None]:
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
        error = WrongModelKind if message.startswith("Unrecognized configuration") else UserError
        raise error(
            f"{key}: cannot load {name} from {location}: {message[:_MAX_MESSAGE]}"
        ) from None


def from_pretrained(loader: Any, source: Source, **kwargs: Any) -> Any:
    """`loader.from_pretrained` (a tokenizer or an Auto model class) on a located model:
    offline when it is on disk, one-line errors naming the key. Training loads its base
    model here; the pipeline's backends through `load_pipeline` and `load_seq2seq`."""
    with one_line_errors(source.key, source.name, source.location):
        return loader.from_pretrained(source.location, local_files_only=source.local_only, **kwargs)


# The model class each pipeline task needs.
_TASK_MODELS = {
    "text-generation": "AutoModelForCausalLM",
    "zero-shot-classification": "AutoModelForSequenceClassification",
    "text-classification": "AutoModelForSequenceClassification",
}


def load_pipeline(
    task: str, key: str, name: str, config: Config, placement: Placement | None = None
) -> Any:
    """A transformers pipeline for `task` on the configured model, on `placement` (the
    pipeline's device and dtype; resolved from the config when None)."""
    spec = load_spec(key, name, config, placement)
    with one_line_errors(key, name, spec.location):
        return _pipeline(task, spec)


def load_seq2seq(
    key: str, name: str, config: Config, placement: Placement | None = None
) -> tuple[Any, Any]:
    """Tokenizer and `AutoModelForSeq2SeqLM` (eval mode, on the device) for `name`."""
    spec = load_spec(key, name, config, placement)
    with one_line_errors(key, name, spec.location):
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

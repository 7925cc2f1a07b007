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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.models import (
    ModelRef,
    hub_offline,
    missing_hub_model,
    one_line_load_errors,
    pick_device,
    pick_dtype,
    resolve_model,
)

T = TypeVar("T")

_PROBE_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class LoadSpec:
    """Everything that decides which loaded model a config gets (the cache key)."""

    location: str
    device: str
    dtype: str
    trust_remote_code: bool
    local_only: bool


@dataclass(frozen=True)
class ModelStatus:
    """One line of `summarizer models`: where a configured model resolves and whether it
    can load without a network."""

    key: str
    name: str
    source: str
    location: str
    available: bool


def resolve(key: str, name: str, base_dir: Path) -> ModelRef:
    """`resolve_model`, with errors naming the config key that holds the name."""
    try:
        return resolve_model(name, base_dir)
    except UserError as exc:
        raise UserError(f"{key}: {exc}") from None


def is_model_dir(location: str) -> bool:
    """A saved transformers (config.json) or sentence-transformers (modules.json) model."""
    return any((Path(location) / f).is_file() for f in ("config.json", "modules.json"))


def hub_snapshot(name: str) -> str | None:
    """The cached snapshot folder of hub model `name`, or None when it is not cached."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(name, "config.json")
    return os.path.dirname(found) if isinstance(found, str) else None


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


# The model class each pipeline task needs.
_TASK_MODELS = {
    "text-generation": "AutoModelForCausalLM",
    "zero-shot-classification": "AutoModelForSequenceClassification",
    "text-classification": "AutoModelForSequenceClassification",
}


def load_pipeline(task: str, key: str, name: str, config: Config) -> Any:
    """A transformers pipeline for `task` on the configured model, device and dtype."""
    spec = load_spec(key, name, config)
    with one_line_load_errors(key, name, spec.location):
        return _pipeline(task, spec)


def load_seq2seq(key: str, name: str, config: Config) -> tuple[Any, Any]:
    """Tokenizer and `AutoModelForSeq2SeqLM` (eval mode, on the device) for `name`."""
    spec = load_spec(key, name, config)
    with one_line_load_errors(key, name, spec.location):
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
    return tokenizer, model.to(spec.device).eval()


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


def configured_models(config: Config) -> list[tuple[str, str]]:
    """(config key, model name) for every model a pipeline built from `config` loads."""
    models = [("embedding.model", config.embedding.model)]
    if config.noise.enabled and config.noise.model:
        models.append(("noise.model", config.noise.model))
    if config.summary.model and config.summary.backend in {"seq2seq", "chat"}:
        models.append(("summary.model", config.summary.model))
    if config.topic.model and config.topic.backend in {"nli", "classifier"}:
        models.append(("topic.model", config.topic.model))
    return models


def model_status(key: str, name: str, base_dir: Path) -> ModelStatus:
    """Where `name` resolves and whether it loads offline; never touches the network."""
    try:
        ref = resolve_model(name, base_dir)
    except UserError as exc:
        return ModelStatus(key, name, "local", str(exc), False)
    if ref.kind == "hub":
        snapshot = hub_snapshot(name)
        where = snapshot or f"not in the Hugging Face cache (`hf download {name}`)"
        return ModelStatus(key, name, "hub", where, snapshot is not None)
    if is_model_dir(ref.location):
        return ModelStatus(key, name, ref.kind, ref.location, True)
    return ModelStatus(key, name, ref.kind, f"{ref.location} (no config.json)", False)


def status_table(rows: list[ModelStatus]) -> str:
    """`summarizer models` output: aligned columns, the (long) location last."""
    table = [("key", "model", "source", "offline", "location")]
    table += [
        (r.key, r.name, r.source, "yes" if r.available else "MISSING", r.location) for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    return "\n".join(
        "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths)), row[-1]]) for row in table
    )

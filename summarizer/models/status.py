"""What `summarizer models` shows: every model a config loads, where it resolves, and
whether it can load without a network. Nothing here touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.models.embedder import embedding_runtime
from summarizer.models.onnx import cache_entry, checkpoint_hash, default_cache_dir
from summarizer.models.resolve import hub_snapshot, is_model_dir, resolve_model


@dataclass(frozen=True)
class ModelStatus:
    """One line of `summarizer models`: where a configured model resolves and whether it
    can load without a network."""

    key: str
    name: str
    source: str
    location: str
    available: bool


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


def embedding_runtime_line(config: Config, status: ModelStatus) -> str:
    """What runs the embedder's forward pass: the backend, the quantization and, for ONNX,
    the cache entry (and whether it is exported yet). `auto` with `device: auto` is shown
    as the rule, since which device is found is only known when torch loads."""
    section = config.embedding
    cache = Path(section.onnx_cache).expanduser() if section.onnx_cache else default_cache_dir()
    if config.device == "auto" and section.backend == "auto":
        return f"embedding runtime: auto (onnx int8 on a CPU, torch on a GPU); onnx cache {cache}"
    backend, quantize = embedding_runtime(config, "cpu" if config.device == "cpu" else "gpu")
    line = f"embedding runtime: {backend} {'float32' if quantize == 'none' else quantize}"
    if backend != "onnx":
        return line
    folder = Path(status.location)
    if not status.available or not folder.is_dir():
        return f"{line}; onnx cache {cache}"
    entry = cache_entry(cache, checkpoint_hash(folder), quantize)
    state = "cached" if (entry / "meta.json").is_file() else "exported on first use"
    return f"{line}; onnx cache {entry} ({state})"

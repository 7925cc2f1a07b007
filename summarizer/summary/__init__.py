"""Summary backends behind one interface, chosen by `summary.backend`.

A `Summarizer` takes a list of articles and returns one `Summary` (the text and its
`LongInput` record) per article.
`extractive.py` ranks the article's own sentences; `abstractive.py` writes summaries with
a seq2seq or chat model. The registry's entries import their backend only when chosen, so
transformers loads only for a model backend.

It may import `models`, `segment`, `text` and the bottom layer, and the other stages of
its layer (`noise`, `topic`); nothing above (not `pipeline`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

from summarizer.config import Config
from summarizer.models.device import Placement
from summarizer.types import Article, Summary


class Summarizer(Protocol):
    def __call__(self, articles: list[Article]) -> list[Summary]: ...


# Builds a stage from the config, the shared embedder and the models' device and dtype.
Backend = Callable[[Config, Any, Placement], Summarizer]


def _lazy(module: str, factory: str) -> Backend:
    """A registry entry that imports its backend (and transformers) only when chosen; the
    model loads on the pipeline's device and dtype (`placement`)."""

    def build(config: Config, embedder: Any, placement: Placement) -> Summarizer:
        return getattr(importlib.import_module(module), factory)(config, placement)

    return build


def _extractive(config: Config, embedder: Any, placement: Placement) -> Summarizer:
    from summarizer.summary.extractive import ExtractiveSummarizer

    return ExtractiveSummarizer(config.summary)


# Backends by config name. Adding a backend = one class + one entry (import it lazily
# inside the entry).
SUMMARY_BACKENDS: dict[str, Backend] = {
    "extractive": _extractive,
    "seq2seq": _lazy("summarizer.summary.abstractive", "seq2seq_summarizer"),
    "chat": _lazy("summarizer.summary.abstractive", "chat_summarizer"),
}

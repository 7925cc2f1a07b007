"""Summary backends behind one interface, chosen by `summary.backend`. A `Summarizer` takes
a list of articles and returns one `Summary` (the text and its `LongInput` record) per
article. `extractive.py` ranks the article's own sentences; `seq2seq.py` and `chat.py` write
summaries with a model, sharing the long-input strategy of `abstractive.py`. The registry's
entries import their backend only when chosen, so transformers loads only for a model
backend. It may import `models`, `segment`, `text` and the bottom layer, and the other
stages of its layer (`noise`, `topic`); nothing above (not `pipeline`).
"""

from __future__ import annotations

from typing import Any, Protocol

from summarizer.config import Config
from summarizer.models.device import Placement
from summarizer.registry import Entry, lazy
from summarizer.types import Article, Summary


class Summarizer(Protocol):
    def __call__(self, articles: list[Article]) -> list[Summary]: ...


def _extractive(config: Config, embedder: Any, placement: Placement) -> Summarizer:
    from summarizer.summary.extractive import ExtractiveSummarizer

    return ExtractiveSummarizer(config.summary)


# Backends by config name (see `summarizer.registry`). Adding a backend = one class + one
# entry (import it lazily inside the entry).
SUMMARY_BACKENDS: dict[str, Entry] = {
    "extractive": _extractive,
    "seq2seq": lazy("summarizer.summary.seq2seq", "seq2seq_summarizer"),
    "chat": lazy("summarizer.summary.chat", "chat_summarizer"),
}

"""What the abstractive summary backends share: seq2seq checkpoints (`seq2seq.py`: BART,
T5, Pegasus) and chat models (`chat.py`) are `Engine`s behind one `AbstractiveSummarizer`.

Both write summaries with a model that reads a bounded number of tokens, so both share one
long-input strategy. An article over the limit is split on sentence boundaries into chunks
that fit, every chunk is summarized, and the joined chunk summaries are summarized again,
re-chunked while still too long (map-reduce); `summary.long_input: truncate` cuts the
article at the limit instead. Either way the summary's `LongInput` record says so: nothing
is cut silently. Model calls are batched across all documents and chunks of a round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from summarizer.config import GenerationSettings
from summarizer.errors import UserError
from summarizer.models.load import token_limit
from summarizer.text.sentences import split_sentences
from summarizer.types import Article, LongInput, Summary

# Tokens a sentence may gain where it is joined to its neighbour (BPE merges at the seam).
_JOIN_MARGIN = 1
# Below this many article tokens per call a summary of a chunk says next to nothing.
_MIN_INPUT_TOKENS = 16


class Engine(Protocol):
    """A summarizing model: its tokenizer, the article tokens one call takes, a batch call."""

    tokenizer: Any
    limit: int

    def generate(self, texts: list[str]) -> list[str]: ...


def count_tokens(tokenizer: Any, texts: list[str]) -> list[int]:
    if not texts:
        return []
    encoded = tokenizer(texts, add_special_tokens=False)["input_ids"]
    return [len(ids) for ids in encoded]


def token_windows(tokenizer: Any, text: str, size: int) -> list[str]:
    """`text` cut into consecutive pieces of at most `size` tokens, at token boundaries."""
    offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)[
        "offset_mapping"
    ]
    return [
        text[offsets[start][0] : offsets[min(start + size, len(offsets)) - 1][1]]
        for start in range(0, len(offsets), size)
    ] or [text]


def chunk_sentences(tokenizer: Any, sentences: list[str], limit: int) -> list[str]:
    """Greedily pack consecutive sentences into chunks of at most `limit` tokens.

    A sentence longer than a whole chunk (a run-on line, a table) is cut into token
    windows, the only place a chunk boundary falls inside a sentence.
    """
    units: list[tuple[str, int]] = []
    for sentence, n in zip(sentences, count_tokens(tokenizer, sentences)):
        if n + _JOIN_MARGIN <= limit:
            units.append((sentence, n + _JOIN_MARGIN))
        else:
            windows = token_windows(tokenizer, sentence, limit - _JOIN_MARGIN)
            units += zip(windows, [limit] * len(windows))
    chunks: list[list[str]] = []
    used = limit
    for text, n in units:
        if used + n > limit:
            chunks.append([])
            used = 0
        chunks[-1].append(text)
        used += n
    return [" ".join(chunk) for chunk in chunks]


@dataclass
class _Doc:
    """One article on its way to a summary: the text the next round reads and its record."""

    text: str
    sentences: list[str]
    long_input: LongInput | None = None
    summary: str | None = None


class AbstractiveSummarizer:
    """Summaries from an `Engine`, with long articles chunked (map-reduce) or truncated."""

    def __init__(self, engine: Engine, long_input: str) -> None:
        self.engine = engine
        self.strategy = long_input

    def __call__(self, articles: list[Article]) -> list[Summary]:
        read = [a.summarized for a in articles]
        docs = [_Doc(a.text, a.sentences or [a.text]) for a in read]
        pending = docs
        while pending:
            counts = count_tokens(self.engine.tokenizer, [d.text for d in pending])
            plans = [self._plan(doc, n) for doc, n in zip(pending, counts)]
            outputs = iter(self.engine.generate([text for plan in plans for text in plan]))
            for doc, plan in zip(pending, plans):
                self._absorb(doc, [next(outputs) for _ in plan])
            pending = [doc for doc in pending if doc.summary is None]
        return [Summary(doc.summary or "", doc.long_input) for doc in docs]

    def _plan(self, doc: _Doc, tokens: int) -> list[str]:
        """The model inputs of this round: the text whole if it fits, else its chunks."""
        limit = self.engine.limit
        if tokens <= limit:
            return [doc.text]
        record = doc.long_input = doc.long_input or LongInput(self.strategy, tokens, limit)
        chunks = (
            []
            if self.strategy == "truncate"
            else chunk_sentences(self.engine.tokenizer, doc.sentences, limit)
        )
        # Truncate by choice, or when chunk summaries stopped shrinking (no progress left).
        if not chunks or (record.chunks and len(chunks) >= record.chunks[-1]):
            record.truncated = True
            return token_windows(self.engine.tokenizer, doc.text, limit)[:1]
        return chunks

    @staticmethod
    def _absorb(doc: _Doc, outputs: list[str]) -> None:
        """One output is the summary; several are chunk summaries the next round reads."""
        if doc.long_input is not None:
            doc.long_input.chunks.append(len(outputs))
        if len(outputs) == 1:
            doc.summary = outputs[0]
            return
        doc.text = " ".join(outputs)
        doc.sentences = split_sentences(doc.text) or [doc.text]


def generate_kwargs(settings: GenerationSettings, task: dict[str, Any]) -> dict[str, Any]:
    """`generate` arguments: the checkpoint's task defaults under the config's settings.

    A configured token count replaces the checkpoint's total `max_length`/`min_length`
    rather than competing with it.
    """
    chosen = settings.model_dump(exclude_none=True)
    base = {k: v for k, v in task.items() if k != "prefix"}
    for new_tokens, total in (("max_new_tokens", "max_length"), ("min_new_tokens", "min_length")):
        if new_tokens in chosen:
            base.pop(total, None)
    return {**base, **chosen}


def context_limit(tokenizer: Any, model_config: Any, override: int | None, name: str) -> int:
    """Tokens the model reads per call: `summary.max_input_tokens` or the tokenizer's
    limit, never past the model's position embeddings."""
    positions = getattr(model_config, "max_position_embeddings", None)
    limit = override or token_limit(tokenizer, model_config)
    if limit is None:
        raise UserError(
            f"summary.model: cannot tell how many tokens {name} reads; set summary.max_input_tokens"
        )
    return min(limit, positions) if positions else limit


def check_room(limit: int, name: str, fix: str) -> int:
    if limit < _MIN_INPUT_TOKENS:
        raise UserError(
            f"summary.model: {name} leaves {limit} tokens per call for the article; {fix}"
        )
    return limit

"""The data that flows through the pipeline: blocks of a page and the result record.

Plain dataclasses: they are created by the thousand in batch runs, so they stay cheap,
and `to_dict` gives the JSON output record described in DESIGN.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Block kinds. Everything but ARTICLE and TITLE is noise.
ARTICLE = "article"
TITLE = "title"
BYLINE = "byline"
TEASER = "teaser"
BOILERPLATE = "boilerplate"
NOISE_KINDS = frozenset({BYLINE, TEASER, BOILERPLATE})


@dataclass
class Block:
    """One block of a page (a line, paragraph or block-level HTML element).

    `score` is the detector's confidence in `kind` (0.5 = a coin toss, 1.0 = certain);
    `rule` names the evidence that decided it (a rule of `noise.detector`, or "learned"
    where the learned block decision overrode the rules), so a verdict can be traced.
    """

    index: int
    text: str
    kind: str = ARTICLE
    noise: bool = False
    score: float = 0.5
    rule: str = ""


@dataclass
class Article:
    """The kept text of one page as the summary and topic stages see it.

    `sentences` and their unit embeddings `vectors` (rows aligned) were computed once for
    the noise stage; embedding backends reuse them instead of encoding the text again.
    `story` is the part of it in the story's own span (`noise.span.story_blocks`), which
    summaries draw from; None when that is all of it.
    """

    text: str
    title: str | None
    sentences: list[str]
    vectors: Any
    story: Article | None = None

    @property
    def summarized(self) -> Article:
        """What a summary reads: the story's span where one was found, else all of it."""
        return self.story or self


@dataclass
class LongInput:
    """How an article longer than the summary model's input limit reached the model.

    `chunks` counts model calls per round: the map over the article's chunks, any reduce
    rounds over joined chunk summaries, and the final call (always 1). `truncated` is true
    when text was cut (strategy `truncate`, or chunk summaries that stopped shrinking).
    """

    strategy: str
    tokens: int
    limit: int
    chunks: list[int] = field(default_factory=list)
    truncated: bool = False


@dataclass
class Summary:
    """What a summary backend returns for one article: the text, and how an article longer
    than the model's input limit reached it (`long_input`; None when it fit)."""

    text: str
    long_input: LongInput | None = None


@dataclass
class Topic:
    label: str
    score: float


@dataclass
class Result:
    """One output record per input document; `error` is set instead of raising."""

    id: str
    summary: str = ""
    long_input: LongInput | None = None
    topic: Topic | None = None
    topics: list[Topic] = field(default_factory=list)
    topic_long_input: LongInput | None = None
    article: str = ""
    title: str | None = None
    blocks: list[Block] = field(default_factory=list)
    error: str | None = None
    fields: dict[str, Any] | None = None  # the input fields `batch --keep-fields` copies

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        if self.fields is None:  # only `batch --keep-fields` adds the key
            del record["fields"]
        return record

    @classmethod
    def failed(cls, doc_id: str, error: str) -> Result:
        return cls(id=doc_id, error=error)

"""segment -> noise -> summarize + classify, batched across documents.

`Pipeline` is the API the CLI uses for one page and for a million: every stage takes the
list of documents, so model calls see large batches. A document that cannot be processed
becomes a `Result` with `error` set; the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from summarizer.config import Config, config_from
from summarizer.errors import UserError
from summarizer.io.sources import check_text
from summarizer.models.device import resolve_placement
from summarizer.models.embedder import Embedder, load_embedder, unit
from summarizer.noise.detector import NoiseDetector
from summarizer.noise.learned import load_stage
from summarizer.noise.span import story_blocks
from summarizer.segment import (
    Segment,
    looks_like_html,
    mark_main_content,
    segment_html,
    segment_text,
)
from summarizer.summary import SUMMARY_BACKENDS
from summarizer.text.sentences import split_sentences
from summarizer.timing import StageTimes
from summarizer.topic import TOPIC_BACKENDS
from summarizer.types import ARTICLE, TITLE, Article, Block, Result


@dataclass
class Page:
    """A document on its way through the stages."""

    id: str
    segments: list[Segment]
    title: str | None = None  # given with the input (a batch title field)
    html_title: str | None = None  # the HTML `<title>`, often with the site's name appended


class Pipeline:
    """Build once from a config, then call on lists of texts."""

    def __init__(self, config: Config) -> None:
        self.config = config
        # The device and dtype are resolved once, here, and handed to every model.
        self.placement = resolve_placement(config.device, config.dtype)
        model = load_embedder(config, self.placement.device, self.placement.dtype)
        self.embedder = Embedder(model, config.batch_size, config.embedding.batch_tokens)
        # Set by a batch job: hears the share of a call's embedding done, batch by batch
        self.progress: Callable[[float], None] | None = None
        self.embedder.batches.on_batch = self._embedded
        examples = config.noise.boilerplate_examples if config.noise.enabled else []
        boilerplate = self.embedder.encode(examples) if examples else None
        self.noise = NoiseDetector(config.noise, boilerplate)
        if config.noise.enabled and config.noise.learned:
            self.noise = load_stage(self.noise, config.noise.learned, config.noise.learned_below)
        if config.noise.enabled and config.noise.model:
            from summarizer.noise.model import BlockClassifierNoise

            self.noise = BlockClassifierNoise(self.noise, config, self.placement)
        self.summarize = SUMMARY_BACKENDS[config.summary.backend](
            config, self.embedder, self.placement
        )
        self.classify = TOPIC_BACKENDS[config.topic.backend](config, self.embedder, self.placement)
        self.times = StageTimes()  # cumulative seconds per stage, for batch summaries

    def _embedded(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done / total)

    @classmethod
    def from_config(cls, config: Config | dict[str, Any] | str | Path | None = None) -> Pipeline:
        """A pipeline from a Config, a dict, a YAML path, or None for the defaults."""
        return cls(config_from(config))

    def __call__(
        self,
        texts: str | Sequence[str],
        ids: str | Sequence[str] | None = None,
        titles: str | Sequence[str | None] | None = None,
    ) -> list[Result]:
        """One Result per text, always as a list: a single `str` is one document (a list of
        one Result), never a sequence of characters. `titles` (e.g. a batch input's title
        field) win over the title found on the page."""
        texts = documents(texts, "texts")
        ids = documents(ids, "ids") if ids is not None else [str(i) for i in range(len(texts))]
        titles = (
            documents(titles, "titles", none_ok=True) if titles is not None else [None] * len(texts)
        )
        if not len(ids) == len(titles) == len(texts):
            raise ValueError(f"{len(texts)} texts but {len(ids)} ids and {len(titles)} titles")
        results: list[Result | None] = [None] * len(texts)
        pages: list[tuple[int, Page]] = []
        with self.times("segment"):
            for position, (doc_id, text, title) in enumerate(zip(ids, texts, titles)):
                try:
                    page = self.segment(doc_id, text)
                    page.title = title
                    pages.append((position, page))
                except UserError as exc:
                    results[position] = Result.failed(doc_id, str(exc))
        for position, result in zip([p for p, _ in pages], self._run([p for _, p in pages])):
            results[position] = result
        return [r for r in results if r is not None]

    def segment(self, doc_id: str, text: str) -> Page:
        check_text(text, doc_id)
        fmt = self.config.input.format
        if fmt == "html" or (fmt == "auto" and looks_like_html(text)):
            segments, html_title = segment_html(text)
            if self.config.noise.enabled and self.config.noise.main_content == "trafilatura":
                mark_main_content(text, segments, doc_id)
        else:
            segments, html_title = segment_text(text), None
        if not segments:
            raise UserError(f"{doc_id}: no text found in the page")
        return Page(doc_id, segments, html_title=html_title)

    def topic_vectors(self, texts: Sequence[str], titles: Sequence[str | None]) -> np.ndarray:
        """The vectors the embedding topic backend reads for each text's article (what label
        prototypes are adapted on); texts that fail or have no article are left out."""
        pages = []
        for position, (text, title) in enumerate(zip(texts, titles)):
            try:
                pages.append(self.segment(str(position), text))
            except UserError:
                continue
            pages[-1].title = title
        articles = [article for _, article in self._articles(pages)[1]]
        if not articles:
            return np.zeros((0, 0), np.float32)
        return self.classify.document_vectors(articles)

    def _run(self, pages: list[Page]) -> list[Result]:
        if not pages:
            return []
        results, articles = self._articles(pages)
        with self.times("summarize"):
            summaries = self.summarize([a for _, a in articles])
        with self.times("classify"):
            topics = self.classify([a for _, a in articles])
            topic_notes = self.classify.long_inputs([a for _, a in articles])
        for (result, _), summary, ranked, note in zip(articles, summaries, topics, topic_notes):
            result.summary, result.long_input = summary.text, summary.long_input
            result.topics, result.topic = ranked, ranked[0]
            result.topic_long_input = note
        return results

    def _articles(self, pages: list[Page]) -> tuple[list[Result], list[tuple[Result, Article]]]:
        """Each page's Result with its blocks and article text, and the Articles (with
        their sentence vectors) of the pages that have one, for the summary and topic
        stages."""
        if not pages:
            return [], []
        sentences, vectors = self._embed_blocks(pages)
        with self.times("noise"):
            labelled = self.noise([p.segments for p in pages], [block_means(v) for v in vectors])
        results, articles = [], []
        for page, blocks, page_sentences, page_vectors in zip(pages, labelled, sentences, vectors):
            kept = [i for i, block in enumerate(blocks) if block.kind == ARTICLE]
            # the input's title, else the headline on the page (an HTML page's <h1>), else <title>
            headline = next((b.text for b in blocks if b.kind == TITLE), None)
            title = page.title or headline or page.html_title
            result = Result(id=page.id, title=title, blocks=blocks)
            results.append(result)
            if not kept:
                result.error = f"{page.id}: no article found: all {len(blocks)} blocks are noise"
                continue
            article = _article(blocks, kept, title, page_sentences, page_vectors)
            result.article = article.text
            story = story_blocks(blocks)
            # a story of blocks restored after the rules flagged them has no sentences
            # embedded: the summary then reads the whole article
            if story != kept and any(page_sentences[i] for i in story):
                article.story = _article(blocks, story, title, page_sentences, page_vectors)
            articles.append((result, article))
        return results, articles

    def _embed_blocks(
        self, pages: list[Page]
    ) -> tuple[list[list[list[str]]], list[list[np.ndarray]]]:
        """Split every block into sentences and embed them all in one batched call.

        Sentences are the unit every embedding stage needs (block vectors are their means),
        so each sentence is encoded exactly once per run. Blocks the noise stage has already
        flagged without a model are neither split nor embedded (an empty list).
        """
        with self.times("sentences"):
            sentences = [
                [
                    (split_sentences(s.text) or [s.text]) if needed else []
                    for s, needed in zip(p.segments, self.noise.needs_vectors(p.segments))
                ]
                for p in pages
            ]
        caps = self.config.embedding
        with self.times("embed"):
            vectors = embed_sentences(
                self.embedder, sentences, caps.max_block_sentences, caps.max_page_sentences
            )
        return sentences, vectors


def _article(
    blocks: list[Block],
    rows: list[int],
    title: str | None,
    sentences: list[list[str]],
    vectors: list[np.ndarray],
) -> Article:
    """The Article made of the blocks at `rows`, with their sentences and vectors."""
    return Article(
        "\n".join(blocks[i].text for i in rows),
        title,
        [s for i in rows for s in sentences[i]],
        np.concatenate([vectors[i] for i in rows]),
    )


def documents(value: Any, name: str, none_ok: bool = False) -> list[Any]:
    """`value` as a list of documents: a `str` is one, a sequence of `str` many.

    A string must not be iterated (it would become one document per character), and
    anything else (bytes, numbers, a dict) is a mistake worth a clear `TypeError`.
    """
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or isinstance(value, (bytes, bytearray)):
        raise TypeError(
            f"Pipeline {name}: expected a str or a sequence of str, got {type(value).__name__}"
        )
    for position, item in enumerate(value):
        if not isinstance(item, str) and not (none_ok and item is None):
            raise TypeError(
                f"Pipeline {name}[{position}]: expected a str, got {type(item).__name__}"
            )
    return list(value)


def embed_sentences(
    embedder: Embedder,
    sentences: list[list[list[str]]],
    per_block: int | None = None,
    per_page: int | None = None,
) -> list[list[np.ndarray]]:
    """Sentence vectors per block per page, from one batched `encode` over all of them.

    A block of more than `per_block` sentences, or a page of more than `per_page`, is
    embedded through an evenly spaced sample of that many (`embedding.max_block_sentences`,
    `embedding.max_page_sentences`); every sentence left out shares the vector of the
    nearest sampled one in page order. Embedding is the slowest stage: a 5 MB page run
    into one line holds some 40,000 sentences, while no page of the dev sets (3,000 of
    them) has a block of more than 43 sentences to embed or more than 1,751 in all.
    """
    sampled = [_sample(page, per_block, per_page) for page in sentences]
    flat = [[s for block in page for s in block] for page in sentences]
    encoded = embedder.encode([texts[i] for texts, rows in zip(flat, sampled) for i in rows])
    vectors, start = [], 0
    for page, texts, rows in zip(sentences, flat, sampled):
        page_vectors = encoded[start : start + len(rows)]
        start += len(rows)
        if len(rows) < len(texts):
            page_vectors = page_vectors[_nearest(rows, len(texts))]
        vectors.append(np.split(page_vectors, np.cumsum([len(block) for block in page])[:-1]))
    return vectors


def _sample(page: list[list[str]], per_block: int | None, per_page: int | None) -> np.ndarray:
    """Positions (in the page's run of sentences) of the sentences to embed."""
    sizes = np.array([len(block) for block in page], dtype=np.intp)
    keep = np.ones(int(sizes.sum()), dtype=bool)
    if per_block is not None:
        for start, size in zip(np.cumsum(sizes) - sizes, sizes):
            if size > per_block:
                keep[start : start + size] = False
                keep[start + _spread(size, per_block)] = True
    rows = np.flatnonzero(keep)
    return rows if per_page is None else rows[_spread(len(rows), per_page)]


def _spread(count: int, most: int) -> np.ndarray:
    """Indices of an evenly spaced sample of at most `most` of `count` items, first and last
    included."""
    if count <= most:
        return np.arange(count)
    return np.linspace(0, count - 1, most).round().astype(np.intp)


def _nearest(rows: np.ndarray, count: int) -> np.ndarray:
    """For each of `count` positions, the index in `rows` (sorted positions) of the
    nearest one."""
    positions = np.arange(count)
    after = np.searchsorted(rows, positions).clip(max=len(rows) - 1)
    before = (after - 1).clip(min=0)
    closer_before = positions - rows[before] <= np.abs(rows[after] - positions)
    return np.where(closer_before, before, after)


def block_means(vectors: list[np.ndarray]) -> np.ndarray:
    """One unit vector per block: the normalised mean of its sentence vectors (zeros for a
    block that was not embedded)."""
    width = next((v.shape[1] for v in vectors if len(v)), 1)
    means = np.stack([v.mean(axis=0) if len(v) else np.zeros(width, np.float32) for v in vectors])
    return unit(means)

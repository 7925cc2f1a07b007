"""The L3S-GN1 dev pages (``shared/data/l3s_dev.jsonl.gz``): labeled real news pages for the
article/noise decision, with the related-stories leak and summary purity measured on them.

Unlike the ScrapingHub and trafilatura sets (``real_pages.py``), every text block of an L3S
page carries a person's label: ``fulltext``, ``headline``, ``supplemental`` (captions,
datelines), ``related`` (teasers of other stories), ``comments`` or ``not-content``. The
article is the headline and full text (the ``gold_text``). Pages carry their site, so a model
learned from them is measured by cross-validation grouped by site
(``summarizer.noise.learned.site_folds``): no site's pages on both sides.

Metrics (per page; P/R/F1 macro-averaged over pages)
    P/R/F1   bag of words of the predicted article against the gold text (``bow_prf``).
    related  words of ``related`` blocks whose whole text is found in the prediction
             (every word 3-gram of the block: ``TextIndex.contains`` with share 1.0) /
             words of all ``related`` blocks: pooled over the pages' words, and as a mean
             over the pages that have related blocks.
    separable  the same over the ``related`` blocks the gold text does not hold whole: a
             link named inside a story's sentence, or a related headline the story repeats,
             is kept by any article that keeps the story (the gold text "leaks" it too), so
             this is the part of the leak a block decision can remove.
    impure   the share of pages whose summary holds a sentence found in a non-article block
             (``related``, ``comments``, ``not-content``) and not in the gold text.

The data is read from ``shared/data`` at run time and never copied into the repository.
"""

from __future__ import annotations

import gzip
import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from real_pages import bow_prf

from summarizer.text.overlap import TextIndex, tokens
from summarizer.text.sentences import split_sentences

ARTICLE_LABELS = frozenset({"fulltext", "headline"})
FOREIGN_LABELS = frozenset({"related", "comments", "not-content"})
# a related block is kept when the text holds every word 3-gram of it: kept whole, where
# half of them (`TextIndex.contains`'s default, for re-flowed text) counted a teaser whose
# words the story's own sentences share ("Everest conqueror Edmund Hillary dies" in "...
# Mount Everest conqueror Edmund Hillary.")
WHOLE = 1.0


@dataclass(frozen=True)
class L3SPage:
    """One labeled page: its HTML, its blocks in page order with their labels, its gold."""

    id: str
    site: str
    html: str
    blocks: list[str]
    labels: list[str]
    gold_text: str

    @property
    def plain_text(self) -> str:
        """The page as scraped text: one block a line."""
        return "\n".join(self.blocks)

    @property
    def is_article(self) -> list[bool]:
        """Per block, whether people labeled it the story (headline or full text)."""
        return [label in ARTICLE_LABELS for label in self.labels]


def load_l3s_pages(data_dir: Path, limit: int | None = None) -> list[L3SPage]:
    """The dev pages in file order (``limit``: the first N), blank blocks dropped."""
    pages: list[L3SPage] = []
    with gzip.open(Path(data_dir) / "l3s_dev.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            kept = [b for b in record["blocks"] if b["text"].strip()]
            pages.append(
                L3SPage(
                    id=record["id"],
                    site=record["site"],
                    html=record["html"],
                    blocks=[" ".join(b["text"].split()) for b in kept],
                    labels=[b["label"] for b in kept],
                    gold_text=record["gold_text"],
                )
            )
            if limit is not None and len(pages) >= limit:
                break
    return pages


@dataclass(frozen=True)
class PageScore:
    """One page's figures: BoW P/R/F1, related words leaked and in all, a foreign summary."""

    precision: float
    recall: float
    f1: float
    related_leaked: int
    related_words: int
    separable_leaked: int  # the same over the related blocks the gold text does not hold
    separable_words: int
    impure: bool | None  # None: no summary was made


def related_words(predicted: str, page: L3SPage) -> tuple[int, int, int, int]:
    """Words of the page's ``related`` blocks whose whole text the prediction keeps, words
    of all its ``related`` blocks, and the same two counts over the related blocks the gold
    text does not itself hold whole (the separable part)."""
    index, gold = TextIndex(predicted), TextIndex(page.gold_text)
    units = [tokens(b) for b, label in zip(page.blocks, page.labels) if label == "related"]
    separable = [unit for unit in units if not gold.contains(unit, WHOLE)]
    return (
        sum(len(unit) for unit in units if index.contains(unit, WHOLE)),
        sum(len(unit) for unit in units),
        sum(len(unit) for unit in separable if index.contains(unit, WHOLE)),
        sum(len(unit) for unit in separable),
    )


def is_impure(summary: str, page: L3SPage) -> bool:
    """Whether a summary sentence comes from a non-article block: found among the foreign
    blocks and not in the gold text (a teaser may repeat the story's own words)."""
    foreign = TextIndex(
        "\n".join(b for b, label in zip(page.blocks, page.labels) if label in FOREIGN_LABELS)
    )
    gold = TextIndex(page.gold_text)
    for sentence in split_sentences(summary):
        unit = tokens(sentence)
        if unit and foreign.contains(unit) and not gold.contains(unit):
            return True
    return False


def score(article: str, summary: str | None, page: L3SPage) -> PageScore:
    """A page's figures for a predicted article (and its summary, where one was made)."""
    precision, recall, f1 = bow_prf(article, page.gold_text)
    impure = None if summary is None else is_impure(summary, page)
    return PageScore(precision, recall, f1, *related_words(article, page), impure)


@dataclass(frozen=True)
class Row:
    """A method's figures over the pages, as shares in [0, 1] (None: not measured)."""

    method: str
    pages: int
    precision: float
    recall: float
    f1: float
    related_pooled: float
    related_per_page: float
    separable_pooled: float
    separable_per_page: float
    impure: float | None


def summarize_scores(method: str, scores: Sequence[PageScore]) -> Row:
    """Macro P/R/F1, the related leak and its separable part pooled and per page, the
    share of impure summaries."""
    summarized = [s.impure for s in scores if s.impure is not None]
    related = _leak([(s.related_leaked, s.related_words) for s in scores])
    separable = _leak([(s.separable_leaked, s.separable_words) for s in scores])
    return Row(
        method=method,
        pages=len(scores),
        precision=statistics.fmean(s.precision for s in scores),
        recall=statistics.fmean(s.recall for s in scores),
        f1=statistics.fmean(s.f1 for s in scores),
        related_pooled=related[0],
        related_per_page=related[1],
        separable_pooled=separable[0],
        separable_per_page=separable[1],
        impure=statistics.fmean(summarized) if summarized else None,
    )


def _leak(pages: Sequence[tuple[int, int]]) -> tuple[float, float]:
    """(leaked words, words) per page -> the share pooled over words, and the mean share
    over the pages that have any."""
    counted = [(leaked, words) for leaked, words in pages if words]
    if not counted:
        return 0.0, 0.0
    pooled = sum(leaked for leaked, _ in counted) / sum(words for _, words in counted)
    return pooled, statistics.fmean(leaked / words for leaked, words in counted)


def baseline_rows(
    pages: Sequence[L3SPage], baselines: dict[str, Callable[[str], str]]
) -> list[Row]:
    """Rows for extractors that read a page's HTML and make no summary."""
    return [
        summarize_scores(name, [score(extract(page.html), None, page) for page in pages])
        for name, extract in baselines.items()
    ]


def gold_row(pages: Sequence[L3SPage]) -> Row:
    """The labels' own article scored like a method: its related leak is the words of
    related blocks the story itself holds (an organisation's link named in a sentence, a
    related headline repeated in the story), the floor no extractor can go under."""
    return summarize_scores("gold text (the labels)", [score(p.gold_text, None, p) for p in pages])


def format_rows(rows: Sequence[Row]) -> str:
    """Aligned plain text, percentages with one decimal, followed by a legend."""
    header = (
        f"{'method':<34} {'n':>4} {'P':>6} {'R':>6} {'F1':>6} {'rel.pool':>8} {'rel.page':>8}"
        f" {'sep.pool':>8} {'sep.page':>8} {'impure':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        figures = " ".join(f"{100 * v:6.1f}" for v in (row.precision, row.recall, row.f1))
        leaks = " ".join(
            f"{100 * v:8.1f}"
            for v in (
                row.related_pooled,
                row.related_per_page,
                row.separable_pooled,
                row.separable_per_page,
            )
        )
        impure = "-" if row.impure is None else f"{100 * row.impure:.1f}"
        lines.append(f"{row.method:<34} {row.pages:>4} {figures} {leaks} {impure:>6}")
    legend = (
        "P/R/F1: bag of words against the gold (headline + full text), macro over pages.\n"
        "rel.pool: words of `related` blocks kept whole (every word 3-gram) / all their words,\n"
        "pooled; rel.page: the same per page, mean over pages with related blocks. sep.pool,\n"
        "sep.page: the same over the related blocks the gold text does not hold whole.\n"
        "impure: pages whose summary holds a sentence of a related, comments or not-content\n"
        "block. Percentages.\n"
        "gold text: the labels' article; its rel. figures are the related words the story\n"
        "itself holds, which any article keeping the story keeps."
    )
    return "\n".join([*lines, "", legend])

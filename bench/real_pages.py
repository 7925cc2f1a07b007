"""Real news pages as a dev set for article-vs-noise block detection, plus baselines.

The synthetic pages in ``shared/data`` have clean line labels but a single layout; real pages
carry navigation, cookie banners, teaser lists and comments in countless layouts. This module
turns two third-party sets of real HTML pages into labeled blocks so a block classifier can be
measured on them, and measures off-the-shelf extractors as reference points. The data is read
from ``shared/data`` at run time and never copied into the repository.

Sources
    scrapinghub  ScrapingHub article-extraction benchmark: page HTML + the full article body.
    trafilatura  trafilatura's evaluation set: page HTML + a few snippets that must (``with``)
                 and must not (``without``) appear in the extracted text. Only pages tagged
                 ``lang_guess == "en"`` are used (the rest are mostly German; the guess is
                 rough, and a few kept pages are German or Chinese with English chrome).
                 ``--lang de`` takes the German pages instead: a held-out set, since the
                 noise rules were written looking at the English ones.

Blocks
    The page's text in page order, one block per block-level element (p, h1-h6, li, td, div...);
    text directly inside a container becomes its own block, and ``<br>``/``<hr>`` also end a
    block, as they end a line in a browser or a text scraper. script, style, noscript, template,
    svg, iframe, head, comments and elements hidden by markup (``hidden``, inline
    ``display:none``/``visibility:hidden`` -- often a schema.org copy of the whole article) are
    dropped; whitespace inside a block is collapsed and empty blocks are dropped.
    ``<noscript>`` is cut from the raw HTML before parsing: browsers treat its content as raw
    text, while libxml2 parses it and an unclosed tag inside can swallow the whole body.

Labeling rule (``labels[i]`` True = article; ``known[i]`` True = the label rests on gold)
    Text is compared as lowercase word tokens (``\\w+``), so punctuation, quotes and spacing
    do not matter.
    scrapinghub: a block of 3+ tokens is article when at least half of its word 3-grams occur
    among the gold body's 3-grams; a shorter block (a heading, "Share", "By") is article when
    it equals a whole gold line -- a substring test would call "Share" article whenever the
    body uses the word. Every block is known.
    trafilatura: a snippet is located in the page's token stream (a match may span blocks; a
    snippet under 3 tokens must equal a whole block, for the same reason). Blocks covered by a
    ``with`` snippet are article; blocks covered only by a ``without`` snippet are noise; all
    other blocks are unknown (``known`` False, ``labels`` False): a few snippets say nothing
    about the rest of the page. Snippets not found in the blocks (text in attributes or
    scripts, or a page that changed) are dropped, and a page is kept only if at least one
    ``with`` and one ``without`` snippet were located.

Metrics (``score_page``; macro-averaged over pages)
    scrapinghub: bag-of-words precision/recall/F1 of the predicted text against the gold body
    (``bow_prf``), the standard article-extraction metric.
    trafilatura: snippet precision/recall/F1 as in trafilatura's own evaluation -- a located
    ``with`` snippet found in the prediction is a true positive, one missing a false negative,
    a ``without`` snippet found a false positive ("found" by the locating rule above, with the
    prediction's lines as blocks). BoW precision is meaningless here: the gold is only the
    ``with`` snippets, a few dozen words of a page.
    teaser leak (``teaser_leak``): how much known noise ends up in the prediction -- the share
    of ``without`` snippets found (trafilatura), or the token-weighted share of noise blocks
    found in it by the labeling rule (scrapinghub). "Keep everything" scores 1.0. Known noise
    is every block the gold leaves out: titles, bylines, captions, comments and footers too.
    related leak (``related_leak``): the same share for the "related stories" text alone --
    noise blocks inside a box whose class or id names a list of other stories ("related",
    "more-stories", "most-read", "outbrain", ...), as the page's own markup marks them
    (scrapinghub pages that have such boxes; the plain-text path never sees the markup).

Run ``python bench/real_pages.py`` to print the baseline table (``--help`` for options).
readability-lxml is a bench-only dependency (``pip install readability-lxml``), imported only
by its baseline so the loader and metrics work without it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from lxml import etree

from summarizer.segment.html import is_hidden, parse_html
from summarizer.text.overlap import SHINGLE, TextIndex, tokens

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
SOURCES = ("scrapinghub", "trafilatura")
LANGS = ("en", "de", "unk")

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li "
    "main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_DROP_TAGS = frozenset("script style noscript template svg iframe head".split())
_WS = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?][\"'”’]*$")
# class or id names of the boxes that list other stories: "related-posts", "jp-relatedposts",
# "more-stories", "most-read", "read-next", "recommended", "outbrain", "taboola", "yarpp"
_RELATED_BOX = re.compile(
    r"related|recommend|teaser|more[-_ ]?(?:stories|news|articles|from|on|in|like)"
    r"|also[-_ ]?(?:read|like)|read[-_ ]?(?:next|more|also)|popular|trending"
    r"|most[-_ ]?(?:read|viewed|popular|shared)|outbrain|taboola|suggest|you[-_ ]?may"
    r"|further[-_ ]?reading|see[-_ ]?also|yarpp",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RealPage:
    """One real page: its blocks in page order, their labels, and the gold they came from.

    Score block classifiers on blocks where ``known`` is True only (all blocks for scrapinghub).
    ``with_snippets``/``without_snippets`` hold the located snippets (trafilatura; empty for
    scrapinghub), and a trafilatura page's ``gold_text`` is its ``with`` snippets, one a line.
    """

    id: str
    source: str
    url: str
    html: str
    blocks: list[str]
    labels: list[bool]
    known: list[bool]
    gold_text: str
    with_snippets: list[str]
    without_snippets: list[str]
    related: list[bool]


@dataclass(frozen=True)
class Score:
    """Per-page scores in [0, 1]; see the module docstring for what P/R/F1 mean per source."""

    precision: float
    recall: float
    f1: float
    leak: float
    related_leak: float | None


# --- blocks ---------------------------------------------------------------------------------


def html_blocks(html: str) -> list[str]:
    """Visible text of an HTML page (or fragment), one whitespace-normalised block per element."""
    return _marked_blocks(html)[0]


def _marked_blocks(html: str) -> tuple[list[str], list[bool]]:
    """The page's blocks (`html_blocks`) and, for each, whether it sits in an element whose
    class or id names a box of other stories (`_RELATED_BOX`)."""
    root = parse_html(html)
    if root is None:
        return [], []
    blocks: list[str] = []
    related: list[bool] = []
    pending: list[str] = []
    _walk(root, blocks, related, pending, False)
    _flush(blocks, related, pending, False)
    return blocks, related


def _walk(
    element: etree._Element,
    blocks: list[str],
    related: list[bool],
    pending: list[str],
    in_box: bool,
) -> None:
    """Depth-first: block elements flush the text gathered so far; a tail belongs to the parent."""
    tag = element.tag.lower() if isinstance(element.tag, str) else None
    if tag is not None and tag not in _DROP_TAGS and not is_hidden(element):
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        inside = in_box or bool(_RELATED_BOX.search(names))
        is_block = tag in _BLOCK_TAGS
        if is_block:
            _flush(blocks, related, pending, in_box)
        pending.append(element.text or "")
        for child in element:
            _walk(child, blocks, related, pending, inside)
        if is_block:
            _flush(blocks, related, pending, inside)
    pending.append(element.tail or "")


def _flush(blocks: list[str], related: list[bool], pending: list[str], in_box: bool) -> None:
    text = _WS.sub(" ", "".join(pending)).strip()
    pending.clear()
    if text:
        blocks.append(text)
        related.append(in_box)


def page_plain_text(page: RealPage) -> str:
    """The page as a user who scraped its text would pass it to the tool: one block a line."""
    return "\n".join(page.blocks)


# --- token matching -------------------------------------------------------------------------


def _occurs(snippet: Sequence[str], units: Sequence[Sequence[str]]) -> set[int]:
    """Indices of the units a snippet covers; a short snippet must equal a whole unit."""
    if not snippet:
        return set()
    if len(snippet) < SHINGLE:
        return {i for i, unit in enumerate(units) if tuple(unit) == tuple(snippet)}
    stream = [token for unit in units for token in unit]
    owner = [i for i, unit in enumerate(units) for _ in unit]
    wanted, width = list(snippet), len(snippet)
    covered: set[int] = set()
    for start in range(len(stream) - width + 1):
        if stream[start] == wanted[0] and stream[start : start + width] == wanted:
            covered.update(owner[start : start + width])
    return covered


# --- labeling -------------------------------------------------------------------------------


def _label_against_body(blocks: Sequence[str], gold_text: str) -> list[bool]:
    gold = TextIndex(gold_text)
    return [gold.contains(tokens(block)) for block in blocks]


@dataclass(frozen=True)
class _SnippetLabels:
    labels: list[bool]
    known: list[bool]
    with_found: list[str]
    without_found: list[str]


def _label_against_snippets(
    blocks: Sequence[str], with_snippets: Iterable[str], without_snippets: Iterable[str]
) -> _SnippetLabels:
    units = [tokens(block) for block in blocks]
    with_cover = {s: _occurs(tokens(s), units) for s in with_snippets}
    without_cover = {s: _occurs(tokens(s), units) for s in without_snippets}
    article = set().union(*with_cover.values())
    noise = set().union(*without_cover.values()) - article  # article text wins a shared block
    return _SnippetLabels(
        labels=[i in article for i in range(len(blocks))],
        known=[i in article or i in noise for i in range(len(blocks))],
        with_found=[s for s, cover in with_cover.items() if cover],
        without_found=[s for s, cover in without_cover.items() if cover],
    )


# --- loading --------------------------------------------------------------------------------


def _records(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _scrapinghub_pages(data_dir: Path, lang: str) -> Iterator[RealPage]:
    if lang != "en":  # an English set
        return
    for record in _records(data_dir / "scrapinghub_aeb.jsonl.gz"):
        blocks, related = _marked_blocks(record["html"])
        labels = _label_against_body(blocks, record["gold_text"])
        if any(labels) and not all(labels):
            yield RealPage(
                id=record["id"],
                source="scrapinghub",
                url=record["url"],
                html=record["html"],
                blocks=blocks,
                labels=labels,
                known=[True] * len(blocks),
                gold_text=record["gold_text"],
                with_snippets=[],
                without_snippets=[],
                related=related,
            )


def _trafilatura_pages(data_dir: Path, lang: str) -> Iterator[RealPage]:
    for record in _records(data_dir / "trafilatura_eval.jsonl.gz"):
        if record.get("lang_guess") != lang:
            continue
        blocks, related = _marked_blocks(record["html"])
        found = _label_against_snippets(blocks, record["with"] or [], record["without"] or [])
        if found.with_found and found.without_found:
            yield RealPage(
                id=record["id"],
                source="trafilatura",
                url=record["url"],
                html=record["html"],
                blocks=blocks,
                labels=found.labels,
                known=found.known,
                gold_text="\n".join(found.with_found),
                with_snippets=found.with_found,
                without_snippets=found.without_found,
                related=related,
            )


def load_real_pages(
    data_dir: Path = DEFAULT_DATA_DIR,
    source: str = "all",
    limit: int | None = None,
    lang: str = "en",
) -> list[RealPage]:
    """Labeled real pages from ``source`` ("scrapinghub", "trafilatura" or "all") in ``lang``
    (trafilatura's ``lang_guess``: "en", "de" or "unk"; ScrapingHub's pages are English).

    ``limit`` caps the pages taken from each source (file order), for quick runs. Pages whose
    labeling says nothing are skipped: no article block or no noise block (scrapinghub), or no
    located ``with``/``without`` snippet (trafilatura).
    """
    readers = {"scrapinghub": _scrapinghub_pages, "trafilatura": _trafilatura_pages}
    if source != "all" and source not in readers:
        raise ValueError(f"unknown source {source!r}; expected one of {SOURCES} or 'all'")
    chosen = SOURCES if source == "all" else (source,)
    pages: list[RealPage] = []
    for name in chosen:
        for count, page in enumerate(readers[name](Path(data_dir), lang)):
            if limit is not None and count >= limit:
                break
            pages.append(page)
    return pages


# --- metrics --------------------------------------------------------------------------------


def _prf(true_positives: float, predicted: float, gold: float) -> tuple[float, float, float]:
    """P/R/F1 from counts; an empty prediction or gold scores 0 rather than dividing by zero."""
    precision = true_positives / predicted if predicted else 0.0
    recall = true_positives / gold if gold else 0.0
    total = precision + recall
    return precision, recall, (2 * precision * recall / total if total else 0.0)


def bow_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Bag-of-words P/R/F1: multisets of lowercase word tokens, as article-extraction benchmarks
    score extractors (order-free, so paragraph order and line breaks do not matter)."""
    predicted_bag, gold_bag = Counter(tokens(predicted)), Counter(tokens(gold))
    overlap = sum((predicted_bag & gold_bag).values())
    return _prf(overlap, predicted_bag.total(), gold_bag.total())


def _snippets_found(snippets: Iterable[str], predicted_units: Sequence[Sequence[str]]) -> int:
    return sum(bool(_occurs(tokens(snippet), predicted_units)) for snippet in snippets)


def snippet_prf(predicted: str, page: RealPage) -> tuple[float, float, float]:
    """trafilatura's evaluation: ``with`` snippets found are hits, ``without`` found are
    false alarms (located snippets only; matched by the same rule as the labels)."""
    units = [tokens(line) for line in predicted.splitlines()]
    hits = _snippets_found(page.with_snippets, units)
    false_alarms = _snippets_found(page.without_snippets, units)
    return _prf(hits, hits + false_alarms, len(page.with_snippets))


def teaser_leak(predicted: str, page: RealPage) -> float:
    """Share of the page's known noise that the prediction keeps (0 = none, 1 = all).

    trafilatura pages: the share of ``without`` snippets (teaser headlines, share bars, "related"
    lists) found in the prediction. scrapinghub pages: the share of noise-block tokens whose
    block is found in the prediction by the labeling rule. A page without known noise scores 0.
    """
    if page.source == "trafilatura":
        return _snippet_leak(predicted, page.without_snippets)
    noise = [
        block for block, is_article in zip(page.blocks, page.labels, strict=True) if not is_article
    ]
    return _block_leak(predicted, noise)


def related_leak(predicted: str, page: RealPage) -> float | None:
    """Share of the page's "related stories" text that the prediction keeps: the tokens of
    blocks in a box the page's own markup names as other stories (`_RELATED_BOX`) and the
    gold leaves out. ScrapingHub pages only, where the gold labels every block (a trafilatura
    page's gold is a few snippets, and its story is sometimes wrapped in a "related" box);
    None where the page has no such block."""
    if page.source != "scrapinghub":
        return None
    boxed = [
        block
        for block, is_article, in_box in zip(page.blocks, page.labels, page.related, strict=True)
        if in_box and not is_article
    ]
    return _block_leak(predicted, boxed) if boxed else None


def _snippet_leak(predicted: str, without_snippets: Sequence[str]) -> float:
    units = [tokens(line) for line in predicted.splitlines()]
    found = _snippets_found(without_snippets, units)
    return found / len(without_snippets) if without_snippets else 0.0


def _block_leak(predicted: str, noise_blocks: Iterable[str]) -> float:
    index = TextIndex(predicted)
    units = [tokens(block) for block in noise_blocks]
    total = sum(len(unit) for unit in units)
    leaked = sum(len(unit) for unit in units if index.contains(unit))
    return leaked / total if total else 0.0


def score_page(predicted: str, page: RealPage) -> Score:
    """The page's P/R/F1 by its source's metric, plus the teaser leak."""
    if page.source == "trafilatura":
        precision, recall, f1 = snippet_prf(predicted, page)
    else:
        precision, recall, f1 = bow_prf(predicted, page.gold_text)
    return Score(precision, recall, f1, teaser_leak(predicted, page), related_leak(predicted, page))


# --- baselines ------------------------------------------------------------------------------


def readability_text(html: str) -> str:
    """readability-lxml's main-content HTML, as text with one block a line."""
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(html).summary(html_partial=True)
    except Unparseable:
        return ""
    return "\n".join(html_blocks(summary))


def trafilatura_text(html: str, favor_precision: bool = False) -> str:
    """trafilatura's plain-text extraction ("" when it finds nothing)."""
    return trafilatura.extract(html, favor_precision=favor_precision) or ""


def one_line_rule(text: str) -> str:
    """Keep lines of 10+ words that end a sentence: article prose passes, while menus,
    headlines and teaser snippets cut mid-sentence do not."""
    kept = [
        line.strip()
        for line in text.splitlines()
        if len(line.split()) >= 10 and _SENTENCE_END.search(line.strip())
    ]
    return "\n".join(kept)


BASELINES: dict[str, Callable[[RealPage], str]] = {
    "readability-lxml": lambda page: readability_text(page.html),
    "trafilatura": lambda page: trafilatura_text(page.html),
    "trafilatura precise": lambda page: trafilatura_text(page.html, favor_precision=True),
    "one-line rule": lambda page: one_line_rule(page_plain_text(page)),
    "keep everything": page_plain_text,
}


# --- report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """Macro-averaged scores of one baseline on one group of pages."""

    baseline: str
    group: str
    pages: int
    precision: float
    recall: float
    f1: float
    leak: float
    related_leak: float | None


def _average(baseline: str, group: str, scores: Sequence[Score]) -> Row:
    def mean(values: Iterable[float]) -> float:
        return statistics.fmean(values) if scores else 0.0

    return Row(
        baseline=baseline,
        group=group,
        pages=len(scores),
        precision=mean(s.precision for s in scores),
        recall=mean(s.recall for s in scores),
        f1=mean(s.f1 for s in scores),
        leak=mean(s.leak for s in scores),
        related_leak=_mean_known([s.related_leak for s in scores]),
    )


def _mean_known(values: Sequence[float | None]) -> float | None:
    """Mean of the values that are not None (None if there are none)."""
    known = [v for v in values if v is not None]
    return statistics.fmean(known) if known else None


def evaluate(
    pages: Sequence[RealPage], baselines: dict[str, Callable[[RealPage], str]] = BASELINES
) -> list[Row]:
    """Score every baseline on every page; a row per baseline and source present, plus "all"."""
    rows: list[Row] = []
    for name, extract in baselines.items():
        rows.extend(
            score_rows(name, [(page.source, score_page(extract(page), page)) for page in pages])
        )
    return rows


def score_rows(name: str, scores: Sequence[tuple[str, Score]]) -> list[Row]:
    """One method's rows from its (source, score) per page: each source present, then "all"."""
    present = [source for source in SOURCES if any(src == source for src, _ in scores)]
    rows = [_average(name, source, [s for src, s in scores if src == source]) for source in present]
    return [*rows, _average(name, "all", [s for _, s in scores])]


_LEGEND = (
    "P/R/F1: bag of words against the gold body (scrapinghub), snippet-level as in trafilatura's\n"
    "evaluation (trafilatura-en / -de); all = macro average over every page. leak: share of the\n"
    "page's known noise (noise blocks / `without` snippets) kept in the output. related: share\n"
    "of the text in boxes the page's markup names as other stories (related, more stories, most\n"
    "read, ...) that the gold leaves out, kept in the output: scrapinghub pages with such boxes,\n"
    "also in the 'all' row. Percentages."
)


def percent(value: float | None, decimals: int = 1) -> str:
    """A share as a percentage, or "-" where the pages have none (`related_leak`)."""
    return "-" if value is None else f"{100 * value:.{decimals}f}"


def format_table(rows: Sequence[Row], lang: str = "en") -> str:
    """Aligned plain text, percentages with one decimal, followed by a legend."""
    header = (
        f"{'baseline':<20} {'pages':<15} {'n':>4} {'P':>6} {'R':>6} {'F1':>6} {'leak':>6}"
        f" {'related':>7}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        group = f"trafilatura-{lang}" if row.group == "trafilatura" else row.group
        figures = " ".join(f"{100 * v:6.1f}" for v in (row.precision, row.recall, row.f1))
        related = percent(row.related_leak)
        lines.append(
            f"{row.baseline:<20} {group:<15} {row.pages:>4} {figures} {100 * row.leak:6.1f}"
            f" {related:>7}"
        )
    return "\n".join([*lines, "", _LEGEND])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--source", default="all", choices=(*SOURCES, "all"))
    parser.add_argument("--limit", type=int, default=None, help="pages per source")
    parser.add_argument("--lang", default="en", choices=LANGS, help="trafilatura's lang_guess")
    args = parser.parse_args(argv)
    logging.getLogger("readability").setLevel(logging.ERROR)
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    pages = load_real_pages(args.data_dir, args.source, args.limit, args.lang)
    print(format_table(evaluate(pages), args.lang))


if __name__ == "__main__":
    main()

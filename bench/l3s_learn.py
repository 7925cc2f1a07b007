"""Train the learned block decision on the L3S-GN1 dev pages and measure it by
cross-validation grouped by site (no site's pages on both sides).

    python bench/l3s_learn.py [--data ../shared/data] [--folds 5] [--save-model]
                              [--cache DIR] [--limit N] [--composed 300]

Each page goes through the pipeline's own segmentation, embedding and rules (learned
decision off), from plain text (one block a line) and from HTML; the features
(`summarizer.noise.features`) and each segment's gold label (article when the gold text
contains it, `summarizer.text.overlap`) are cached outside the repository (``--cache``,
default ``~/.cache/summarizer/l3s``), for they hold figures drawn from third-party pages.
Composed pages (`composed_train.py`: XSum articles with AG News teaser cards, never the
composed evaluation pages) join every training fold from plain text, so the model also
learns the seed's layout; they are never scored here. The cross-validated block decisions
are scored as `bench/l3s.py` scores an article (BoW P/R/F1, the related leak);
``--save-model`` then fits on every page and writes the shipped model,
`summarizer/noise/block_model.json`.
"""

from __future__ import annotations

import argparse
import copy
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from composed_train import compose_pages  # noqa: E402
from l3s import L3SPage, format_rows, load_l3s_pages, score, summarize_scores  # noqa: E402

from summarizer.config import NoiseConfig, load_config  # noqa: E402
from summarizer.errors import UserError  # noqa: E402
from summarizer.models.load import quiet_libraries  # noqa: E402
from summarizer.noise.learned import DEFAULT_MODEL, BlockModel, decide, site_folds  # noqa: E402
from summarizer.pipeline import Pipeline  # noqa: E402
from summarizer.segment import Segment  # noqa: E402
from summarizer.text.overlap import TextIndex, tokens  # noqa: E402
from summarizer.train.blocks import PageRows, fit_pages, rules_features  # noqa: E402
from summarizer.types import ARTICLE, TITLE  # noqa: E402

DEFAULT_CACHE = Path.home() / ".cache" / "summarizer" / "l3s"
MODES = ("text", "html")
RELATED_EMPHASIS = 6.0
COMPOSED_PAGES = 300  # 600 left the same composed-page errors and leaked 0.2 points more


Table = dict[str, tuple[PageRows, np.ndarray]]  # page id -> its rows and per-block gold


def gold_labels(page: L3SPage, rows: PageRows) -> np.ndarray:
    """Per block, whether it is the story: the gold text contains it (`TextIndex`)."""
    gold = TextIndex(page.gold_text)
    return np.array([gold.contains(tokens(b.text)) for b in rows.blocks])


def collect(pages: list[L3SPage], mode: str, cache: Path, name: str | None = None) -> Table:
    """Every page's rows and gold in `mode`, from the cache file `name` (default: the
    mode's) where present."""
    path = cache / f"{name or mode}.pkl"
    cached: Table = pickle.loads(path.read_bytes()) if path.exists() else {}
    missing = [p for p in pages if p.id not in cached]
    if missing:
        pipeline = Pipeline(load_config(None, ["device=cpu", "noise.learned=null"]))
        segmented = {p.id: _segments(pipeline, p, mode) for p in missing}
        having = [p for p in missing if segmented[p.id]]
        found = rules_features(pipeline, [segmented[p.id] for p in having])
        for page, rows in zip(having, found):
            cached[page.id] = (rows, gold_labels(page, rows))
        names = found[0].names if found else []
        for page in missing:
            if not segmented[page.id]:  # no text at all: the pipeline keeps nothing
                rows = PageRows([], names, np.zeros((0, len(names))))
                cached[page.id] = (rows, np.zeros(0, dtype=bool))
        cache.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(cached))
    return {p.id: cached[p.id] for p in pages}


def _segments(pipeline: Pipeline, page: L3SPage, mode: str) -> list[Segment]:
    """The page's segments as the pipeline makes them ([] for a page with no text)."""
    try:
        return pipeline.segment(page.id, page.plain_text if mode == "text" else page.html).segments
    except UserError:
        return []


def composed_training(data: Path, cache: Path, count: int) -> tuple[list[L3SPage], Table]:
    """The composed training pages (`composed_train.py`) and their rows, cached as
    ``composed.pkl``: a page's content depends only on the pages before it, so the cache
    serves any `count`."""
    pages = compose_pages(data, count) if count else []
    return pages, collect(pages, "text", cache, "composed")


def fit_on(
    tables: list[Table], pages: list[L3SPage], composed: Table, composed_pages: list[L3SPage]
) -> BlockModel:
    """A model fitted on the given pages in every mode (and the composed training pages
    from plain text), a related-stories block weighing `RELATED_EMPHASIS` times its words:
    they are a few hundred blocks among thousands, and the leak of their words is the
    figure the model is held to."""
    chosen = [(table[p.id], _related(p, table[p.id][0])) for table in tables for p in pages]
    chosen += [(composed[p.id], _related(p, composed[p.id][0])) for p in composed_pages]
    return fit_pages(
        [rows for (rows, _), _ in chosen],
        [gold for (_, gold), _ in chosen],
        [1.0 + (RELATED_EMPHASIS - 1.0) * (related & ~gold) for (_, gold), related in chosen],
    )


def cross_validated(
    tables: list[Table],
    pages: list[L3SPage],
    composed: Table,
    composed_pages: list[L3SPage],
    folds: int = 5,
) -> list[dict[str, np.ndarray]]:
    """Per mode (one per table), each page's blocks' probability of being the article from
    a model fitted on the other folds' sites (`fit_on`), folds grouped by site."""
    predicted: list[dict[str, np.ndarray]] = [{} for _ in tables]
    for train, test in site_folds([p.site for p in pages], folds):
        model = fit_on(tables, [pages[i] for i in train], composed, composed_pages)
        for table, out in zip(tables, predicted):
            for i in test:
                rows, _ = table[pages[i].id]
                if rows.blocks:
                    out[pages[i].id] = model.article_probability(rows.names, rows.rows)
    return predicted


def _related(page: L3SPage, rows: PageRows) -> np.ndarray:
    """Per block, whether it is found among the page's `related` blocks."""
    related = TextIndex(
        "\n".join(b for b, lab in zip(page.blocks, page.labels) if lab == "related")
    )
    return np.array([related.contains(tokens(b.text)) for b in rows.blocks], dtype=bool)


def kept_text(rows: PageRows, article: np.ndarray | None, drop_below: float) -> str:
    """The article the rules keep (`article` None) or the learned decision keeps, given
    each block's probability of being the article (`learned.decide`)."""
    blocks = [copy.copy(b) for b in rows.blocks]
    if article is not None:
        decide(blocks, article, drop_below)
    return "\n".join(b.text for b in blocks if b.kind in (ARTICLE, TITLE))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--composed",
        type=int,
        default=COMPOSED_PAGES,
        help="composed training pages added to every fold (bench/composed_train.py)",
    )
    parser.add_argument("--save-model", action="store_true", help="Fit on all pages, ship it.")
    args = parser.parse_args()
    quiet_libraries()
    started = time.perf_counter()
    pages = load_l3s_pages(args.data, args.limit)
    tables = [collect(pages, mode, args.cache) for mode in MODES]
    composed_pages, composed = composed_training(args.data, args.cache, args.composed)
    print(f"features: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    predicted = cross_validated(tables, pages, composed, composed_pages, args.folds)
    report = []
    below = NoiseConfig().learned_below
    for mode, table, out in zip(MODES, tables, predicted):
        rules = [score(kept_text(table[p.id][0], None, below), None, p) for p in pages]
        learned = [score(kept_text(table[p.id][0], out.get(p.id), below), None, p) for p in pages]
        report += [
            summarize_scores(f"rules {mode}", rules),
            summarize_scores(f"learned {mode} (site CV)", learned),
        ]
    print(format_rows(report))
    if args.save_model:
        model = fit_on(tables, pages, composed, composed_pages)
        model.save(DEFAULT_MODEL)
        check = BlockModel.load(DEFAULT_MODEL)
        print(f"saved {DEFAULT_MODEL} ({len(check.trees)} trees)", file=sys.stderr)
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

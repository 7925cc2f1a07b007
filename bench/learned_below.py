"""Where should the learned block decision drop blocks? Its edge walk (`learned.decide`)
at a sweep of thresholds, measured on the L3S-GN1 dev pages and on the real English pages;
with the German pages (`bench/noise_dev.py --pages-lang de`), it chose `noise.learned_below`
(0.05; bench/results/quality.md, "Tenth round").

    python bench/learned_below.py [--data DIR] [--cache DIR]

The model was fitted on L3S's 2008 pages; allowed to drop kept blocks anywhere it dropped
article lines inside the 2019 real pages' stories (bench/results/quality.md, fifth and
sixth rounds). Peeling only the kept story's top and bottom, the question is how sure it
must be to keep the real pages within the 0.3 F1 the other rows may move while lifting L3S.

L3S figures come from site-grouped cross-validation (`bench/l3s_learn.py`: the model fitted
on the other folds' sites and the composed pages); the real pages are read with the model
fitted on all of L3S, which never saw them. Block vectors come from `bench/noise_dev.py`'s
cache and features from `l3s_learn`'s, both outside the repository.
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

import noise_dev  # noqa: E402
from l3s import load_l3s_pages, score, summarize_scores  # noqa: E402
from l3s_learn import (  # noqa: E402
    COMPOSED_PAGES,
    DEFAULT_CACHE,
    MODES,
    collect,
    composed_training,
    cross_validated,
    fit_on,
    kept_text,
)
from real_pages import RealPage, load_real_pages, page_plain_text, score_page  # noqa: E402

from summarizer.config import load_config  # noqa: E402
from summarizer.errors import UserError  # noqa: E402
from summarizer.models.load import quiet_libraries  # noqa: E402
from summarizer.noise.features import page_features  # noqa: E402
from summarizer.noise.learned import LEARNED, decide  # noqa: E402
from summarizer.pipeline import Pipeline  # noqa: E402
from summarizer.train.blocks import PageRows  # noqa: E402

THRESHOLDS = (0.2, 0.1, 0.05, 0.03)
Predictions = dict[str, np.ndarray]  # page id -> each block's probability of being article


def overrides(
    rows: PageRows, gold: np.ndarray, article: np.ndarray | None, below: float
) -> np.ndarray:
    """How many blocks the rules kept the walk drops, and how many of them the gold leaves
    out of the article (where the model was right to overrule the rules)."""
    if article is None:
        return np.zeros(2, dtype=int)
    blocks = [copy.copy(b) for b in rows.blocks]
    decide(blocks, article, below)
    dropped = np.array([b.rule == LEARNED for b in blocks], dtype=bool)
    return np.array([dropped.sum(), (dropped & ~gold).sum()])


def real_rows(
    pipeline: Pipeline, pages: list[RealPage], mode: str, cache: Path
) -> dict[str, PageRows]:
    """The real pages' rows under the rules, in `mode`; cached as ``real-<mode>.pkl`` (drop
    the file after a rule change)."""
    path = cache / f"real-{mode}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    segmented = {}
    for page in pages:
        try:
            source = page_plain_text(page) if mode == "text" else page.html
            segmented[page.id] = pipeline.segment(page.id, source).segments
        except UserError:
            continue
    segmented = {k: v for k, v in segmented.items() if v}
    vectors = noise_dev.page_vectors(
        pipeline, segmented, noise_dev.DEFAULT_CACHE / f"{mode}-en-all.pkl"
    )
    out = {}
    for page_id, segments in segmented.items():
        blocks = pipeline.noise([segments], [vectors[page_id]])[0]
        out[page_id] = PageRows(blocks, *page_features(segments, blocks, vectors[page_id]))
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    quiet_libraries()
    started = time.perf_counter()
    pipeline = Pipeline(load_config(None, ["device=cpu", "noise.learned=null"]))
    l3s = load_l3s_pages(args.data)
    tables = [collect(l3s, mode, args.cache) for mode in MODES]
    composed_pages, composed = composed_training(args.data, args.cache, COMPOSED_PAGES)
    cv = cross_validated(tables, l3s, composed, composed_pages)
    model = fit_on(tables, l3s, composed, composed_pages)
    real = load_real_pages(args.data)
    real_tables = [real_rows(pipeline, real, mode, args.cache) for mode in MODES]
    unseen: list[Predictions] = [
        {k: model.article_probability(r.names, r.rows) for k, r in t.items() if r.blocks}
        for t in real_tables
    ]
    print(f"features and models: {time.perf_counter() - started:.0f} s", file=sys.stderr)

    def cells(threshold: float | None) -> list[str]:
        """L3S F1 / leak pooled / the walk's drops in each mode, then the real pages' F1 in
        each mode (`threshold` None: the rules alone)."""

        def article(predicted: Predictions, page_id: str) -> np.ndarray | None:
            return None if threshold is None else predicted.get(page_id)

        below = threshold or 0.0
        out = []
        for table, predicted in zip(tables, cv):
            scores = [
                score(kept_text(table[p.id][0], article(predicted, p.id), below), None, p)
                for p in l3s
            ]
            row = summarize_scores("", scores)
            dropped, right = sum(
                overrides(*table[p.id], article(predicted, p.id), below) for p in l3s
            )
            share = f"{100 * right / dropped:.0f}%" if dropped else "-"
            out.append(
                f"{100 * row.f1:5.1f} / {100 * row.related_pooled:3.1f} / {dropped} ({share})"
            )
        for table, predicted in zip(real_tables, unseen):
            f1 = [
                score_page(
                    kept_text(table[p.id], article(predicted, p.id), below)
                    if p.id in table
                    else "",
                    p,
                ).f1
                for p in real
            ]
            out.append(f"{100 * float(np.mean(f1)):6.2f}")
        return out

    header = (
        f"{'the edge walk drops':<20} {'L3S text':>24} {'L3S html':>24}"
        f" {'real text':>9} {'real html':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, threshold in [("(rules alone)", None)] + [(f"p < {t:g}", t) for t in THRESHOLDS]:
        text, html, real_text, real_html = cells(threshold)
        print(f"{name:<20} {text:>24} {html:>24} {real_text:>9} {real_html:>9}")
    print(
        "\nL3S: article F1 / related leak pooled (%) / blocks the rules kept that the walk drops\n"
        "(the share of them the gold leaves out), site-grouped CV. real: article F1 (%) of the\n"
        "361 English real pages (ScrapingHub + trafilatura), the model fitted on all of L3S."
    )
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

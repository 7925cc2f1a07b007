"""Which kept blocks could the learned block decision drop by default? Gates over its drops,
measured on the L3S-GN1 dev pages and on the real English pages.

    python bench/l3s_gates.py [--data DIR] [--cache DIR]

`noise.learned` stays opt-in because the model, fitted on L3S's 2008 pages, drops article
lines of the 2019 real pages (`bench/quality.py --only pages --set noise.learned=default`).
This asks whether letting it override the rules only somewhere (short lines, headline-shaped
lines, the blocks one rule kept) or only when it is very sure keeps the real pages within
the 0.3 F1 the other rows may move while lifting L3S. Each row is the model's drops under
the threshold, restricted to the gate (`learned.decide`), on the rules' verdicts.

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
from collections.abc import Callable
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
)
from real_pages import RealPage, load_real_pages, page_plain_text, score_page  # noqa: E402

from summarizer.config import load_config  # noqa: E402
from summarizer.errors import UserError  # noqa: E402
from summarizer.models.load import quiet_libraries  # noqa: E402
from summarizer.noise.features import page_features  # noqa: E402
from summarizer.noise.learned import decide  # noqa: E402
from summarizer.pipeline import Pipeline  # noqa: E402
from summarizer.text.lines import is_headline  # noqa: E402
from summarizer.text.overlap import tokens  # noqa: E402
from summarizer.train.blocks import PageRows  # noqa: E402
from summarizer.types import ARTICLE, TITLE, Block  # noqa: E402

Gate = Callable[[Block], bool]
GATES: dict[str, Gate] = {
    "any block": lambda b: True,
    "8 words or fewer": lambda b: len(tokens(b.text)) <= 8,
    "15 words or fewer": lambda b: len(tokens(b.text)) <= 15,
    "headline-shaped": lambda b: is_headline(b.text),
    "kept by the core": lambda b: b.rule == "core",
    "kept as main content": lambda b: b.rule == "main_content",
    "kept on topic": lambda b: b.rule == "on_topic",
    "kept as a header line": lambda b: b.rule == "header",
}
VARIANTS: list[tuple[str, float]] = [
    ("any block", 0.5),
    ("any block", 0.1),
    ("any block", 0.02),
    ("8 words or fewer", 0.3),
    ("15 words or fewer", 0.3),
    ("headline-shaped", 0.3),
    ("kept by the core", 0.2),
    ("kept as main content", 0.2),
    ("kept on topic", 0.2),
    ("kept as a header line", 0.5),
    ("kept as a header line", 0.2),
]
Predictions = dict[str, np.ndarray]  # page id -> each block's probability of being article


def kept_text(rows: PageRows, article: np.ndarray | None, gate: Gate, threshold: float) -> str:
    """The article after the model's drops limited to `gate` (blocks outside it read as sure
    article; `article` None: no drops)."""
    blocks = [copy.copy(b) for b in rows.blocks]
    if article is not None:
        allowed = np.array([gate(b) for b in blocks], dtype=bool)
        decide(blocks, np.where(allowed, article, 1.0), threshold)
    return "\n".join(b.text for b in blocks if b.kind in (ARTICLE, TITLE))


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

    def cells(gate: Gate, threshold: float, learned: bool) -> list[str]:
        """L3S F1 / leak in each mode, then the real pages' F1 in each mode."""
        out = []
        for table, predicted in zip(tables, cv):
            row = summarize_scores(
                "",
                [
                    score(
                        kept_text(
                            table[p.id][0],
                            predicted.get(p.id) if learned else None,
                            gate,
                            threshold,
                        ),
                        None,
                        p,
                    )
                    for p in l3s
                ],
            )
            out.append(f"{100 * row.f1:5.1f} / {100 * row.related_pooled:3.1f}")
        for table, predicted in zip(real_tables, unseen):
            f1 = [
                score_page(
                    kept_text(
                        table[p.id],
                        predicted.get(p.id) if learned else None,
                        gate,
                        threshold,
                    )
                    if p.id in table
                    else "",
                    p,
                ).f1
                for p in real
            ]
            out.append(f"{100 * float(np.mean(f1)):6.2f}")
        return out

    header = (
        f"{'the model may drop':<24} {'p <':>5} {'L3S text':>12} {'L3S html':>12}"
        f" {'real text':>9} {'real html':>9}"
    )
    print(header)
    print("-" * len(header))
    rows = [("(rules alone)", "-", GATES["any block"], 0.0, False)]
    rows += [(gate, f"{t:g}", GATES[gate], t, True) for gate, t in VARIANTS]
    for name, shown, gate, threshold, learned in rows:
        text, html, real_text, real_html = cells(gate, threshold, learned)
        print(f"{name:<24} {shown:>5} {text:>12} {html:>12} {real_text:>9} {real_html:>9}")
    print(
        "\nL3S: article F1 / related leak pooled (%), site-grouped CV. real: article F1 (%) of\n"
        "the 361 English real pages (ScrapingHub + trafilatura), the model fitted on all of L3S."
    )
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

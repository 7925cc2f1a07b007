"""Fast iteration on the noise rules over the real pages: block embeddings are cached, so a
run after a rule change takes seconds where `bench/quality.py --only pages` embeds for minutes.

    python bench/noise_dev.py [--mode text|html] [--pages-lang en|de|unk] [--limit N]
                              [--skip N] [--save NAME] [--compare NAME] [--cache DIR]

Every block of every page is embedded once, not only the blocks the rules leave open as the
pipeline does, so a changed rule never needs new vectors; a page is embedded again only when
its segments change. The scores equal the pipeline's: the detector reads no vector of a block
its rules flagged. The per-rule figures in `bench/results/quality.md` come from this script.
The cache holds third-party text, so it lives outside the repository (``--cache``, default
``~/.cache/summarizer/noise_dev``). ``--save NAME`` keeps the run's per-page F1 there and
``--compare NAME`` lists the pages whose F1 moved since that run.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from real_pages import (  # noqa: E402
    LANGS,
    RealPage,
    format_table,
    load_real_pages,
    page_plain_text,
    percent,
    score_page,
    score_rows,
)

from summarizer.models.load import quiet_libraries  # noqa: E402
from summarizer.pipeline import Pipeline, block_means, embed_sentences  # noqa: E402
from summarizer.segment import Segment  # noqa: E402
from summarizer.text.sentences import split_sentences  # noqa: E402
from summarizer.types import ARTICLE  # noqa: E402

DEFAULT_CACHE = Path.home() / ".cache" / "summarizer" / "noise_dev"
MODES = ("text", "html")


def embed_blocks(pipeline: Pipeline, segments: list[Segment]) -> np.ndarray:
    """One unit vector per block, the mean of its sentences' vectors, as the pipeline makes
    them, but for every block."""
    sentences = [split_sentences(s.text) or [s.text] for s in segments]
    return block_means(embed_sentences(pipeline.embedder, [sentences])[0])


def page_vectors(
    pipeline: Pipeline, pages: dict[str, list[Segment]], cache_file: Path
) -> dict[str, np.ndarray]:
    """Block vectors per page id, from the cache where a page's segments are unchanged."""
    cached = pickle.loads(cache_file.read_bytes()) if cache_file.exists() else {}
    vectors, stale = {}, []
    for page_id, segments in pages.items():
        texts, page_vecs = cached.get(page_id, (None, None))
        if texts == [s.text for s in segments]:
            vectors[page_id] = page_vecs
        else:
            stale.append(page_id)
            vectors[page_id] = embed_blocks(pipeline, segments)
    if stale:
        print(f"embedded {len(stale)} pages whose segments are new or changed", file=sys.stderr)
        fresh = {i: ([s.text for s in pages[i]], vectors[i]) for i in pages}
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_bytes(pickle.dumps({**cached, **fresh}))
    return vectors


def articles(
    pipeline: Pipeline, pages: dict[str, list[Segment]], vectors: dict[str, np.ndarray]
) -> dict[str, str]:
    """The article text the noise detector keeps on each page."""
    ids = list(pages)
    labelled = pipeline.noise([pages[i] for i in ids], [vectors[i] for i in ids])
    return {
        page_id: "\n".join(b.text for b in blocks if b.kind == ARTICLE)
        for page_id, blocks in zip(ids, labelled)
    }


def compare(now: dict[str, float], before: dict[str, float]) -> str:
    """The pages whose F1 moved, largest moves first, and the net sum of the moves."""
    moves = sorted(
        ((now[i] - before[i], i) for i in now if i in before and abs(now[i] - before[i]) > 1e-9),
        key=lambda move: -abs(move[0]),
    )
    lines = [
        f"{delta:+.3f}  {page_id}  {before[page_id]:.3f} -> {now[page_id]:.3f}"
        for delta, page_id in moves
    ]
    up = sum(delta > 0 for delta, _ in moves)
    total = sum(delta for delta, _ in moves)
    return "\n".join([*lines, f"{up} pages up, {len(moves) - up} down, net {total:+.3f} page-F1"])


def after(pages: list[RealPage], skip: int) -> list[RealPage]:
    """Each source's pages after its first `skip`, in file order."""
    by_source: dict[str, list[RealPage]] = {}
    for page in pages:
        by_source.setdefault(page.source, []).append(page)
    return [page for group in by_source.values() for page in group[skip:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--mode", default="text", choices=MODES, help="Plain text or HTML input.")
    parser.add_argument("--pages-lang", default="en", choices=LANGS)
    parser.add_argument("--limit", type=int, default=None, help="Pages per source.")
    parser.add_argument(
        "--skip",
        type=int,
        default=0,
        help="Leave out each source's first N pages (those `--limit N` measures): pages the "
        "rules were not read off.",
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--save", metavar="NAME", help="Keep this run's per-page F1.")
    parser.add_argument("--compare", metavar="NAME", help="List pages that moved since NAME.")
    args = parser.parse_args()
    quiet_libraries()
    started = time.perf_counter()
    pipeline = Pipeline.from_config({"device": "cpu"})
    last = None if args.limit is None else args.skip + args.limit
    real = after(load_real_pages(args.data, limit=last, lang=args.pages_lang), args.skip)
    source = page_plain_text if args.mode == "text" else (lambda page: page.html)
    # a page with no text (one that is only markup) keeps nothing, as in bench/quality.py
    pages = {
        page.id: pipeline.segment(page.id, source(page)).segments
        for page in real
        if source(page).strip()
    }
    name = f"{args.mode}-{args.pages_lang}-{args.limit or 'all'}"
    name += f"-after{args.skip}" if args.skip else ""
    vectors = page_vectors(pipeline, pages, args.cache / f"{name}.pkl")
    kept = articles(pipeline, pages, vectors)
    scores = {page.id: score_page(kept.get(page.id, ""), page) for page in real}
    rows = score_rows(f"summarizer {args.mode}", [(p.source, scores[p.id]) for p in real])
    print(format_table(rows, args.pages_lang))
    every = rows[-1]  # "all": the figure the per-rule deltas quote, to two decimals
    print(
        f"\nall pages: F1 {percent(every.f1, 2)}, leak {percent(every.leak, 2)},"
        f" related {percent(every.related_leak, 2)}"
    )
    f1 = {page_id: score.f1 for page_id, score in scores.items()}
    if args.compare:
        saved = args.cache / f"{name}.{args.compare}.json"
        if not saved.exists():
            parser.error(f"no saved run {args.compare!r} for {name} ({saved}); use --save first")
        before = json.loads(saved.read_text())
        print(f"\nagainst {args.compare}:\n{compare(f1, before)}")
    if args.save:
        (args.cache / f"{name}.{args.save}.json").write_text(json.dumps(f1))
    print(f"\n{len(real)} pages, {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()

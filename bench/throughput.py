"""Throughput: the single-document path in a loop vs `summarizer batch`, same pages, one process.

    python bench/throughput.py [--docs 300] [--config configs/gpu.yaml] [--set key=value]

(a) naive: `pipeline([text])` once per page, what calling `summarizer run` per page does
minus the process start; (b) batch: `BatchJob(...).run(pipeline)` over a JSONL of the same
pages, reading and writing files as `summarizer batch` does. Both run after one warm-up
page, on one pipeline. Prints a markdown table: docs/s (wall clock) and CPU seconds per
doc for both, their ratios, peak RSS, whether both modes agree, and the batch run's time
per stage. CPU time is reported because a shared machine makes wall time noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline
    from summarizer.progress import BatchStats
    from summarizer.types import Result

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "pages_bbc_dev.jsonl"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if platform.system() == "Darwin" else peak / 1024


def load_pages(path: Path, count: int) -> list[dict[str, str]]:
    pages = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if len(pages) == count:
                break
            row = json.loads(line)
            pages.append({"id": row["id"], "text": row["text"]})
    return pages


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    """`work()`'s result, wall seconds and CPU seconds (all threads) it took."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def naive(pipeline: Pipeline, pages: list[dict[str, str]]) -> list[Result]:
    return [pipeline([page["text"]], [page["id"]])[0] for page in pages]


def batch(
    pipeline: Pipeline, config: Config, pages: list[dict[str, str]], folder: Path
) -> tuple[list[dict], BatchStats]:
    from summarizer.batch import BatchJob

    source, target = folder / "in.jsonl", folder / "out.jsonl"
    source.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    stats = BatchJob(source, target, config).run(pipeline)
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()], stats


def recording_embeddings(pipeline: Pipeline) -> list[list[str]]:
    """Every list of texts the pipeline embeds from now on (kept for `padded_tokens`)."""
    calls: list[list[str]] = []
    encode = pipeline.embedder.encode

    def recorded(texts: list[str]) -> object:
        calls.append(texts)
        return encode(texts)

    pipeline.embedder.encode = recorded
    return calls


def padded_tokens(pipeline: Pipeline, calls: list[list[str]]) -> int:
    """Tokens the embedding model computed for `calls`, padding included.

    Inference on a busy device costs about this many token-steps, so the naive/batch
    ratio of padded tokens is about the most cross-document batching can gain.
    """
    import numpy as np

    from summarizer.model_batches import plan_batches, unique_texts

    embedder, total = pipeline.embedder, 0
    for texts in calls:
        lengths = np.array(embedder.token_lengths(unique_texts(texts)[0]))
        total += sum(int(lengths[b].max()) * len(b) for b in plan_batches(lengths, embedder.limits))
    return total


def agreement(singles: list[Result], batched: list[dict]) -> tuple[int, int]:
    """Pages with the same summary, and with the same top topic, both ways."""
    pairs = list(zip(singles, batched))
    summaries = sum(a.id == b["id"] and a.summary == b["summary"] for a, b in pairs)
    topics = sum(
        bool(a.topic and b["topic"] and a.topic.label == b["topic"]["label"]) for a, b in pairs
    )
    return summaries, topics


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL with id, text")
    parser.add_argument("--docs", type=int, default=300, help="pages to run both ways")
    parser.add_argument("--config", type=Path, default=None, help="YAML config (default: built-in)")
    parser.add_argument("--set", action="append", default=[], help="config override key=value")
    parser.add_argument("--device", default=None, help="cpu, cuda, ...")
    args = parser.parse_args()

    from summarizer.config import load_config
    from summarizer.errors import UserError
    from summarizer.models import quiet_libraries
    from summarizer.pipeline import Pipeline

    quiet_libraries()
    try:
        config = load_config(args.config, args.set, args.device)
        pages = load_pages(args.data, args.docs + 1)
        started = time.perf_counter()
        pipeline = Pipeline(config)
        pipeline([pages[0]["text"]], [pages[0]["id"]])  # warm-up: label vectors, kernels
        load_s, load_rss = time.perf_counter() - started, peak_rss_mb()
        pages = pages[1:]
        naive_calls = recording_embeddings(pipeline)
        singles, naive_wall, naive_cpu = timed(lambda: naive(pipeline, pages))
        del pipeline.embedder.encode
        batch_calls = recording_embeddings(pipeline)
        with tempfile.TemporaryDirectory() as folder:
            (batched, stats), batch_wall, batch_cpu = timed(
                lambda: batch(pipeline, config, pages, Path(folder))
            )
    except UserError as exc:
        sys.exit(f"error: {exc}")

    import torch

    n = len(pages)
    print(f"`{shlex.join(['python', 'bench/throughput.py', *sys.argv[1:]])}`\n")
    print(
        f"{n} pages from `{args.data.name}`; device {pipeline.device}, "
        f"batch_size {config.batch_size}, chunk_size {config.batch.chunk_size}; "
        f"{os.cpu_count()} CPUs, torch {torch.__version__} with {torch.get_num_threads()} threads; "
        f"load average at the end {os.getloadavg()[0]:.1f}; "
        f"model load + warm-up {load_s:.1f}s, RSS after it {load_rss:.0f} MB.\n"
    )
    print("| mode | docs | wall s | docs/s | CPU s/doc |")
    print("|---|---:|---:|---:|---:|")
    print(f"| naive loop | {n} | {naive_wall:.1f} | {n / naive_wall:.2f} | {naive_cpu / n:.2f} |")
    print(f"| batch | {n} | {batch_wall:.1f} | {n / batch_wall:.2f} | {batch_cpu / n:.2f} |")
    print(
        f"| **batch / naive** | | | **{naive_wall / batch_wall:.2f}x** | "
        f"**{naive_cpu / batch_cpu:.2f}x** |\n"
    )
    print(f"Peak RSS (whole process, both runs): {peak_rss_mb():.0f} MB.  ")
    naive_tokens = padded_tokens(pipeline, naive_calls)
    batch_tokens = padded_tokens(pipeline, batch_calls)
    print(
        f"Padded tokens through the embedding model: naive {naive_tokens}, batch {batch_tokens} "
        f"({naive_tokens / batch_tokens:.2f}x fewer): on a compute-bound device, about the most "
        "cross-document batching can gain.  "
    )
    summaries, topics = agreement(singles, batched)
    print(f"Same summary both ways: {summaries}/{n}; same top topic: {topics}/{n}", end="")
    print(
        f" (topic.backend {config.topic.backend} refines its label prototypes on calls of "
        f"{config.topic.adapt_min_docs}+ documents, so batch topics may differ by design).  "
        if config.topic.backend == "embedding"
        else ".  "
    )
    print(f"Batch errors: {stats.errors}.\n")
    print("| batch stage | seconds | share |")
    print("|---|---:|---:|")
    for stage, seconds in stats.stages.items():
        print(f"| {stage} | {seconds:.2f} | {seconds / stats.seconds:.1%} |")


if __name__ == "__main__":
    main()

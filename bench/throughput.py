"""Throughput: the single-document path in a loop vs `summarizer batch`, same pages, one process.

    python bench/throughput.py [--docs 300] [--repeat 2] [--config configs/gpu.yaml]
    python bench/throughput.py --compare [--limit 300] [--repeat 3]
    python bench/throughput.py --engine ray [--docs 300] [--repeat 2]

`--compare` runs the embedder's runtimes side by side instead (see bench/backends.py);
`--engine ray` the local and the ray engine of `summarizer batch` (see bench/engines.py).

(a) naive: `pipeline([text])` once per page, what calling `summarizer run` per page does
minus the process start; (b) batch: `BatchJob(...).run(pipeline)` over a JSONL of the same
pages, reading and writing files as `summarizer batch` does. Both run on one pipeline
after one warm-up page, alternating `--repeat` times; each mode reports its best round,
because other work on a shared machine only ever slows a round down.

Prints a markdown table (docs/s, CPU seconds per doc, the ratios), peak RSS, the padded
tokens each mode pushed through the embedding model, whether both modes agree, and the
batch run's time per stage.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from summarizer.batch.progress import BatchStats
    from summarizer.config import Config
    from summarizer.pipeline import Pipeline
    from summarizer.types import Result

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "pages_bbc_dev.jsonl"

T = TypeVar("T")


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


@dataclass
class Mode:
    """One way of processing the pages: its rounds, and the texts it embedded in round 1."""

    name: str
    rounds: list[tuple[float, float]] = field(default_factory=list)  # (wall s, CPU s)
    embedded: list[list[str]] = field(default_factory=list)

    def timed(self, work: Callable[[], T]) -> T:
        """Run `work` as a fresh process would: no sentence splits remembered from earlier
        rounds or modes (`summarizer.text.sentences` keeps them within one run)."""
        from summarizer.text.sentences import _pysbd_sentences

        _pysbd_sentences.cache_clear()
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.rounds.append((time.perf_counter() - wall, time.process_time() - cpu))
        return result

    @property
    def best(self) -> tuple[float, float]:
        return min(self.rounds)


def record_embeddings(pipeline: Pipeline, into: list[list[str]] | None) -> None:
    """Keep every list of texts the pipeline embeds in `into` (None: stop recording)."""
    embedder = pipeline.embedder
    if "encode" in vars(embedder):
        del embedder.encode
    if into is None:
        return
    encode = embedder.encode

    def recorded(texts: list[str]) -> object:
        into.append(texts)
        return encode(texts)

    embedder.encode = recorded


def padded_tokens(pipeline: Pipeline, calls: list[list[str]]) -> int:
    """Tokens the embedding model computed for `calls`, padding included.

    Inference on a busy device costs about this many token-steps, so the naive/batch
    ratio of padded tokens is about the most cross-document batching can gain.
    """
    import numpy as np

    from summarizer.models.batching import plan_batches, unique_texts

    embedder, total = pipeline.embedder, 0
    for texts in calls:
        lengths = np.array(embedder.token_lengths(unique_texts(texts)[0]))
        total += sum(int(lengths[b].max()) * len(b) for b in plan_batches(lengths, embedder.limits))
    return total


def naive(pipeline: Pipeline, pages: list[dict[str, str]]) -> list[Result]:
    return [pipeline([page["text"]], [page["id"]])[0] for page in pages]


def batch(
    pipeline: Pipeline, config: Config, pages: list[dict[str, str]], folder: Path
) -> tuple[list[dict], BatchStats]:
    from summarizer.batch.job import BatchJob

    source, target = folder / "in.jsonl", folder / "out.jsonl"
    source.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    stats = BatchJob(source, target, config, overwrite=True).run(pipeline)
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()], stats


def agreement(singles: list[Result], batched: list[dict]) -> tuple[int, int]:
    """Pages with the same summary, and with the same top topic, both ways."""
    pairs = list(zip(singles, batched))
    summaries = sum(a.id == b["id"] and a.summary == b["summary"] for a, b in pairs)
    topics = sum(
        bool(a.topic and b["topic"] and a.topic.label == b["topic"]["label"]) for a, b in pairs
    )
    return summaries, topics


def report(
    pipeline: Pipeline,
    modes: tuple[Mode, Mode],
    outputs: tuple[list[Result], list[dict], BatchStats],
    n: int,
    setup: str,
) -> None:
    naive_mode, batch_mode = modes
    singles, batched, stats = outputs
    print(f"`{shlex.join(['python', 'bench/throughput.py', *sys.argv[1:]])}`\n")
    print(f"{setup}\n")
    print("| mode | docs | best wall s | docs/s | CPU s/doc | rounds (wall s) |")
    print("|---|---:|---:|---:|---:|---|")
    for mode in modes:
        wall, cpu = mode.best
        rounds = ", ".join(f"{w:.1f}" for w, _ in mode.rounds)
        print(f"| {mode.name} | {n} | {wall:.1f} | {n / wall:.2f} | {cpu / n:.2f} | {rounds} |")
    (naive_wall, naive_cpu), (batch_wall, batch_cpu) = naive_mode.best, batch_mode.best
    print(
        f"| **batch / naive** | | | **{naive_wall / batch_wall:.2f}x** | "
        f"**{naive_cpu / batch_cpu:.2f}x** | |\n"
    )
    print(f"Peak RSS (whole process, all rounds): {peak_rss_mb():.0f} MB.  ")
    if pipeline.placement.device.startswith("cuda"):
        import torch

        peak = torch.cuda.max_memory_allocated() / 2**20
        print(f"Peak GPU memory allocated by torch (all rounds): {peak:.0f} MB.  ")
    naive_tokens = padded_tokens(pipeline, naive_mode.embedded)
    batch_tokens = padded_tokens(pipeline, batch_mode.embedded)
    print(
        f"Padded tokens through the embedding model: naive {naive_tokens}, batch {batch_tokens} "
        f"({naive_tokens / batch_tokens:.2f}x fewer): on a compute-bound device, about the most "
        "cross-document batching can gain.  "
    )
    summaries, topics = agreement(singles, batched)
    topic = pipeline.config.topic
    note = (
        " (with topic.adapt=corpus, batch adapts the label prototypes on a sample of the "
        "input, which single calls never do, so batch topics may differ by design)"
        if topic.backend == "embedding" and topic.adapt == "corpus" and not topic.prototypes
        else ""
    )
    print(f"Same summary both ways: {summaries}/{n}; same top topic: {topics}/{n}{note}.  ")
    print(f"Batch errors: {stats.errors}.\n")
    print("| batch stage (last round) | seconds | share |")
    print("|---|---:|---:|")
    for stage, seconds in stats.stages.items():
        print(f"| {stage} | {seconds:.2f} | {seconds / stats.seconds:.1%} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL with id, text")
    parser.add_argument(
        "--docs", "--limit", type=int, default=300, help="pages to run (each way / runtime)"
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="compare the embedder's runtimes (torch fp32/bf16, ONNX fp32/int8) in batch mode",
    )
    parser.add_argument(
        "--engine",
        choices=["local", "ray"],
        default="local",
        help="ray: the local engine next to the ray engine (bench/engines.py) instead",
    )
    parser.add_argument("--repeat", type=int, default=2, help="alternating rounds per mode")
    parser.add_argument("--config", type=Path, default=None, help="YAML config (default: built-in)")
    parser.add_argument("--set", action="append", default=[], help="config override key=value")
    parser.add_argument("--device", default=None, help="cpu, cuda, ...")
    parser.add_argument(
        "--records", type=Path, default=None, help="also write the batch records here (JSONL)"
    )
    args = parser.parse_args()

    from summarizer.config import load_config
    from summarizer.errors import UserError
    from summarizer.models.load import quiet_libraries
    from summarizer.pipeline import Pipeline

    quiet_libraries()
    if args.compare:
        from backends import compare

        print(f"`{shlex.join(['python', 'bench/throughput.py', *sys.argv[1:]])}`\n")
        compare(load_pages(args.data, args.docs + 1), args.repeat, batch)
        print(f"{os.cpu_count()} CPUs; load average at the end {os.getloadavg()[0]:.1f}.")
        return
    if args.engine == "ray":
        from engines import compare_engines

        print(f"`{shlex.join(['python', 'bench/throughput.py', *sys.argv[1:]])}`\n")
        try:
            config = load_config(args.config, args.set, args.device)
        except UserError as exc:
            sys.exit(f"error: {exc}")
        compare_engines(load_pages(args.data, args.docs), config, args.repeat)
        return
    modes = (Mode("naive loop"), Mode("batch"))
    try:
        config = load_config(args.config, args.set, args.device)
        pages = load_pages(args.data, args.docs + 1)
        started = time.perf_counter()
        pipeline = Pipeline(config)
        pipeline([pages[0]["text"]], [pages[0]["id"]])  # warm-up: label vectors, kernels
        load_s, load_rss = time.perf_counter() - started, peak_rss_mb()
        pages = pages[1:]
        with tempfile.TemporaryDirectory() as folder:
            for round_ in range(args.repeat):
                record_embeddings(pipeline, modes[0].embedded if round_ == 0 else None)
                singles = modes[0].timed(lambda: naive(pipeline, pages))
                record_embeddings(pipeline, modes[1].embedded if round_ == 0 else None)
                batched, stats = modes[1].timed(
                    lambda: batch(pipeline, config, pages, Path(folder))
                )
        record_embeddings(pipeline, None)
    except UserError as exc:
        sys.exit(f"error: {exc}")

    import torch

    setup = (
        f"{len(pages)} pages from `{args.data.name}`; device {pipeline.placement.device}, "
        f"batch_size {config.batch_size}, embedding.batch_tokens {config.embedding.batch_tokens}, "
        f"chunk_size {config.batch.chunk_size}; {os.cpu_count()} CPUs, torch {torch.__version__} "
        f"with {torch.get_num_threads()} threads; load average at the end "
        f"{os.getloadavg()[0]:.1f}; model load + warm-up {load_s:.1f}s, RSS after it "
        f"{load_rss:.0f} MB; best of {args.repeat} alternating rounds per mode."
    )
    report(pipeline, modes, (singles, batched, stats), len(pages), setup)
    if args.records:
        args.records.write_text("".join(json.dumps(r) + "\n" for r in batched), encoding="utf-8")


if __name__ == "__main__":
    main()

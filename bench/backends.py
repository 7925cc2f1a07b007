"""`throughput.py --compare`: the embedder's runtimes side by side on the same pages.

torch fp32, torch bf16 (autocast on the CPU), ONNX Runtime fp32 and ONNX Runtime int8,
each a pipeline of its own, run as `summarizer batch` does (`BatchJob`), rounds
alternating so a busy machine slows every runtime alike; each reports its best and median
round. The ONNX pipelines export into a fresh cache, so their load time includes the
one-off export.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

RUNTIMES: dict[str, list[str]] = {
    "torch fp32": ["embedding.backend=torch", "embedding.quantize=none"],
    "torch bf16 (autocast)": ["embedding.backend=torch", "embedding.quantize=none"],
    "onnx fp32": ["embedding.backend=onnx", "embedding.quantize=none"],
    "onnx int8": ["embedding.backend=onnx", "embedding.quantize=int8"],
}


def current_rss_mb() -> float:
    """Resident memory of this process now (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def autocast_bf16(pipeline: Any) -> None:
    """Run the pipeline's embedding forward passes under torch's CPU bf16 autocast (the
    weights stay float32 and shared; only this pipeline's calls change)."""
    import torch

    embedder = pipeline.embedder
    forward = embedder._forward

    def in_bf16(texts: list[str]) -> Any:
        with torch.autocast("cpu", dtype=torch.bfloat16):
            return forward(texts)

    embedder._forward = in_bf16


def build(name: str, overrides: list[str], cache: Path, first_page: dict) -> tuple[Any, Any, float]:
    """(config, warmed-up pipeline, load seconds incl. any export) for one runtime."""
    from summarizer.config import load_config
    from summarizer.pipeline import Pipeline

    config = load_config(None, [*overrides, f"embedding.onnx_cache={cache}", "device=cpu"])
    started = time.perf_counter()
    pipeline = Pipeline(config)
    if "bf16" in name:
        autocast_bf16(pipeline)
    pipeline([first_page["text"]], [first_page["id"]])
    return config, pipeline, time.perf_counter() - started


def agreement(reference: list[dict], other: list[dict]) -> tuple[float, float]:
    """Share of pages with the same top topic, and of blocks with the same noise flag."""
    topic = sum(
        (a.get("topic") or {}).get("label") == (b.get("topic") or {}).get("label")
        for a, b in zip(reference, other)
    )
    flags = [
        x["noise"] == y["noise"]
        for a, b in zip(reference, other)
        for x, y in zip(a["blocks"], b["blocks"])
    ]
    return topic / len(reference), sum(flags) / max(1, len(flags))


def compare(pages: list[dict], repeat: int, batch: Any) -> None:
    """Print the comparison table for `pages` (the first one is the warm-up page)."""
    from throughput import Mode

    first, pages = pages[0], pages[1:]
    built, modes, outputs = {}, {}, {}
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "onnx"
        for name, overrides in RUNTIMES.items():
            built[name] = build(name, overrides, cache, first)
            modes[name] = Mode(name)
        rss: dict[str, float] = {}
        for _ in range(repeat):
            for name, (config, pipeline, _) in built.items():
                run = lambda c=config, p=pipeline: batch(p, c, pages, Path(folder))  # noqa: E731
                records, _ = modes[name].timed(run)
                outputs[name] = records
                rss[name] = current_rss_mb()
    report(pages, built, modes, outputs, rss)


def report(pages: list, built: dict, modes: dict, outputs: dict, rss: dict) -> None:
    n, base = len(pages), modes["torch fp32"].best[0]
    print(
        "| runtime | load s (incl. export) | best docs/s | median docs/s | CPU s/doc | "
        "vs torch fp32 | RSS after MB | same top topic | same noise flag |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, mode in modes.items():
        wall, cpu = mode.best
        median = statistics.median(w for w, _ in mode.rounds)
        topic, noise = agreement(outputs["torch fp32"], outputs[name])
        print(
            f"| {name} | {built[name][2]:.1f} | {n / wall:.2f} | {n / median:.2f} | "
            f"{cpu / n:.3f} | {base / wall:.2f}x | {rss[name]:.0f} | {topic:.1%} | {noise:.2%} |"
        )
    from throughput import peak_rss_mb

    print(f"\nPeak RSS of the whole process (all four pipelines): {peak_rss_mb():.0f} MB.")

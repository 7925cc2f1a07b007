"""`python bench/throughput.py --engine ray`: the local engine next to the ray engine.

Both run the same pages through `summarizer batch`'s own job classes, end to end as the
command does: the local engine loads the models and runs the job; the ray engine (on a
Ray cluster started once, beforehand, as `ray start` would) adapts on the driver, starts
its actors (each loads the models) and assembles the output from its shards. Rounds
alternate; each engine reports its best, since other work on a shared machine only ever
slows a round down. The records must be the same both ways, line for line.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from summarizer.config import Config


def _local(source: Path, target: Path, config: Config) -> tuple[float, float]:
    """Wall seconds of a local run, end to end and without loading the models."""
    from summarizer.batch.job import BatchJob
    from summarizer.pipeline import Pipeline

    started = time.perf_counter()
    job = BatchJob(source, target, config, overwrite=True)
    pipeline = Pipeline(config)
    loaded = time.perf_counter()
    job.run(pipeline)
    done = time.perf_counter()
    return done - started, done - loaded


def _ray(source: Path, target: Path, config: Config) -> tuple[float, dict[str, float]]:
    """Wall seconds of a ray run, end to end, and its stages."""
    from summarizer.batch.ray_engine import RayBatchJob

    started = time.perf_counter()
    stats = RayBatchJob(source, target, config, overwrite=True, quiet=True).run()
    return time.perf_counter() - started, stats.stages


def compare_engines(pages: list[dict[str, str]], config: Config, repeat: int) -> None:
    """Print the markdown table: docs/s of each engine and the ray engine's overhead."""
    import tempfile

    import ray

    started = time.perf_counter()
    ray.init(include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    cluster_s = time.perf_counter() - started
    local_rounds: list[tuple[float, float]] = []
    ray_rounds: list[tuple[float, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.jsonl"
        source.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
        local_out, ray_out = Path(folder) / "local.jsonl", Path(folder) / "ray.jsonl"
        for _ in range(repeat):
            local_rounds.append(_local(source, local_out, config))
            ray_rounds.append(_ray(source, ray_out, config))
        local_lines = local_out.read_text(encoding="utf-8").splitlines()
        ray_lines = ray_out.read_text(encoding="utf-8").splitlines()
    resources = ray.cluster_resources()
    ray.shutdown()

    n, settings = len(pages), config.batch.ray
    local_wall, local_run = min(local_rounds)
    ray_wall, stages = min(ray_rounds, key=lambda r: r[0])
    print(
        f"{n} pages; {os.cpu_count()} CPUs; Ray cluster of {resources.get('CPU', 0):g} CPUs "
        f"started once beforehand in {cluster_s:.1f}s; ray engine: actors "
        f"{settings.actors or 'auto'} x {settings.num_cpus:g} CPU, batch_size "
        f"{settings.batch_size}, shard_size {settings.shard_size}; best of {repeat} "
        f"alternating rounds; load average at the end {os.getloadavg()[0]:.1f}.\n"
    )
    print("| engine | docs | best wall s (end to end) | docs/s | rounds (wall s) |")
    print("|---|---:|---:|---:|---|")
    local_list = ", ".join(f"{w:.1f}" for w, _ in local_rounds)
    ray_list = ", ".join(f"{w:.1f}" for w, _ in ray_rounds)
    print(f"| local | {n} | {local_wall:.1f} | {n / local_wall:.2f} | {local_list} |")
    print(f"| ray | {n} | {ray_wall:.1f} | {n / ray_wall:.2f} | {ray_list} |")
    overhead = ray_wall / local_wall - 1
    print(f"| **ray vs local** | | **{overhead:+.1%}** wall | | |\n")
    print(
        f"Local engine without its model load (what `bench/throughput.py` calls batch): "
        f"{local_run:.1f}s, {n / local_run:.2f} docs/s.  "
    )
    same = sum(a == b for a, b in zip(local_lines, ray_lines))
    print(
        f"Same record line for line: {same}/{n} (lengths {len(local_lines)}, {len(ray_lines)}).\n"
    )
    print("| ray stage (best round) | seconds |")
    print("|---|---:|")
    for stage, seconds in stages.items():
        print(f"| {stage} | {seconds:.2f} |")

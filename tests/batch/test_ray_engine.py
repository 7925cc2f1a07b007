"""`summarizer batch --engine ray` on a local 2-CPU Ray cluster, started once for the module:
the same records as the local engine, a worker killed mid-run, the driver killed mid-run
and resumed. Drivers in subprocesses join the module's cluster through RAY_ADDRESS, so a
kill there leaves the cluster (and the other tests) alone."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tiny_models import build_tiny_sentence_transformer

ray = pytest.importorskip("ray")

ACTOR_TITLE = b"ray::MapWorker(MapBatches(PipelineActor))"
BAD_LINES = ["not json at all", '{"id": "no-text", "body": "x"}', "[1, 2, 3]"]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The module's Ray cluster; its address, for drivers in other processes."""
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def tiny_embedder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_sentence_transformer(tmp_path_factory.mktemp("models") / "st")


def write_pages(data_dir: Path, path: Path, count: int, chars: int | None = None) -> list[str]:
    """`count` BBC pages (cut to `chars`), a malformed line after pages 11, 41 and 71; the
    ids the output must have, in order (a line that is no JSON object: its line number)."""
    lines = []
    with (data_dir / "pages_bbc_dev.jsonl").open() as handle:
        for number in range(count):
            row = json.loads(next(handle))
            lines.append(json.dumps({"id": row["id"], "text": row["text"][:chars]}))
            if number % 30 == 10:
                lines.append(BAD_LINES[number // 30])
    path.write_text("\n".join(lines) + "\n")
    ids = []
    for number, line in enumerate(lines, start=1):
        try:
            ids.append(json.loads(line)["id"])
        except (ValueError, TypeError):
            ids.append(f"line-{number}")
    return ids


def output_rows(path: Path) -> list[dict]:
    """The records of a JSONL, Parquet or CSV output, in order (CSV: as text)."""
    if path.suffix == ".parquet":
        import pyarrow.parquet

        return pyarrow.parquet.read_table(path).to_pylist()
    if path.suffix == ".csv":
        with path.open(newline="") as handle:
            return list(csv.DictReader(handle))
    return [json.loads(line) for line in path.read_text().splitlines()]


def output_ids(path: Path) -> list[str]:
    return [row["id"] for row in output_rows(path)]


def tiny_settings(model: Path, batch_size: int = 4, shard_size: int = 8) -> list[str]:
    """A fast pipeline (tiny random embedder, zero-shot topics) and small Ray blocks."""
    pairs = {
        "embedding.model": model,
        "embedding.max_seq_length": 128,
        "topic.adapt": "none",
        "noise.enabled": "false",  # random weights would call whole pages noise
        "batch.ray.batch_size": batch_size,
        "batch.ray.shard_size": shard_size,
    }
    return [arg for key, value in pairs.items() for arg in ("--set", f"{key}={value}")]


def driver(cluster: str, *args: str) -> subprocess.Popen:
    """`summarizer batch --engine ray` in its own process, on the module's cluster."""
    command = [sys.executable, "-m", "summarizer", "batch", *args, "--engine", "ray", "-q"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAY_ADDRESS": cluster}
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finished_shards(out: Path) -> list[dict]:
    manifest = out.with_name(out.name + ".shards") / "manifest.json"
    try:
        return json.loads(manifest.read_text())["shards"]
    except (OSError, ValueError):  # not there yet, or between writes
        return []


def wait_for(condition, process: subprocess.Popen, what: str, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert process.poll() is None, f"the run ended before {what}: {process.stderr.read()}"
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.05)


def actor_pids() -> list[int]:
    """The PIDs of running pipeline actors (Ray titles its worker processes by actor)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes().startswith(ACTOR_TITLE):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


@pytest.mark.slow
def test_ray_records_equal_the_local_engines(
    cli, cluster: str, data_dir: Path, tmp_path: Path
) -> None:
    """The real default pipeline, topic prototypes adapted once on the driver: record for
    record the local engine's OUTPUT, malformed lines included, in input order."""
    source = tmp_path / "in.jsonl"
    ids = write_pages(data_dir, source, 80)
    local, distributed = tmp_path / "local.jsonl", tmp_path / "ray.jsonl"
    assert cli("batch", str(source), "-o", str(local), "-q", "--device", "cpu").exit_code == 1
    result = cli(
        "batch", str(source), "-o", str(distributed), "--device", "cpu", "--engine", "ray",
        "--set", "batch.ray.batch_size=8", "--set", "batch.ray.shard_size=25",
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # the malformed lines are error records
    assert f"83 records -> {distributed}; 3 failed" in result.stderr
    assert "topic prototypes: adapted on 80 documents" in result.stderr
    local_lines = local.read_text().splitlines()
    assert distributed.read_text().splitlines() == local_lines
    assert output_ids(distributed) == ids
    assert sum(json.loads(line)["error"] is not None for line in local_lines) == 3
    adapted = [
        json.loads((tmp_path / f"{name}.jsonl.prototypes" / "prototypes.json").read_text())
        for name in ("local", "ray")
    ]
    assert adapted[0]["vectors"] == adapted[1]["vectors"]
    assert not (tmp_path / "ray.jsonl.shards").exists()  # assembled, then cleaned up


@pytest.mark.slow
def test_a_killed_worker_is_replaced_and_no_record_is_lost_or_doubled(
    cluster: str, data_dir: Path, tiny_embedder: Path, tmp_path: Path
) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.parquet"
    ids = write_pages(data_dir, source, 48)
    run = driver(cluster, str(source), "-o", str(out), *tiny_settings(tiny_embedder))
    wait_for(lambda: len(finished_shards(out)) >= 1, run, "a finished shard")
    victims = actor_pids()
    assert victims, "no pipeline actor found"
    os.kill(victims[0], signal.SIGKILL)
    assert len(finished_shards(out)) < 7, "the run was nearly over before the kill"
    _, stderr = run.communicate(timeout=300)
    assert run.returncode == 1, stderr  # the malformed lines, nothing else
    assert output_ids(out) == ids  # Parquet, in input order
    assert sum(row["error"] is not None for row in output_rows(out)) == 2


@pytest.mark.slow
def test_a_killed_driver_resumes_with_only_the_unfinished_shards(
    cli, cluster: str, data_dir: Path, tiny_embedder: Path, tmp_path: Path
) -> None:
    source, out = tmp_path / "in.jsonl", tmp_path / "out.csv"
    ids = write_pages(data_dir, source, 48)
    settings = tiny_settings(tiny_embedder)
    run = driver(cluster, str(source), "-o", str(out), *settings)
    wait_for(lambda: len(finished_shards(out)) >= 2, run, "two finished shards")
    run.send_signal(signal.SIGKILL)
    assert run.wait() == -signal.SIGKILL
    finished = finished_shards(out)
    assert 2 <= len(finished) < 7 and not out.exists()
    done = sum(shard["records"] for shard in finished)
    parts = out.with_name(out.name + ".shards")
    for shard in finished:  # mark the part files: a recomputed shard would replace them
        path = parts / f"part-{shard['index']:06d}.jsonl"
        path.write_bytes(path.read_bytes().replace(b'"summary": "', b'"summary": "KEPT '))

    result = cli("batch", str(source), "-o", str(out), "--engine", "ray", "--resume", *settings)
    assert result.exit_code == 1, result.output
    assert f"{len(ids)} records -> {out}, {done} of them from the earlier run" in result.stderr
    assert output_ids(out) == ids  # CSV, in input order
    records = output_rows(out)
    kept = {shard["index"] for shard in finished}
    for position, record in enumerate(records):  # shard = position // shard_size
        assert record["summary"].startswith("KEPT ") == (position // 8 in kept)

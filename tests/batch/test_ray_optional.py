"""Ray is an optional extra: without it `--engine ray` is one `error:` line saying how to
install it, while `--help` and the local engine never import it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tiny_models import build_tiny_sentence_transformer

SCRIPT = """
import json, sys
sys.modules["ray"] = None  # every `import ray` now fails as if Ray were not installed
from typer.testing import CliRunner
from summarizer.cli.main import app
runner = CliRunner()
for args in json.loads(sys.argv[1]):
    result = runner.invoke(app, args)
    print(json.dumps([result.exit_code, result.stderr]))
"""


def test_without_ray_the_engine_is_one_error_line_and_local_runs(tmp_path: Path) -> None:
    model = build_tiny_sentence_transformer(tmp_path / "st")
    source = tmp_path / "in.jsonl"
    text = "The minister said the talks would go on. Both sides agreed to meet again in May."
    source.write_text(json.dumps({"id": "a", "text": text}) + "\n")
    tiny = ["--set", f"embedding.model={model}", "--set", "embedding.max_seq_length=128"]
    tiny += ["--set", "noise.enabled=false"]  # random weights would call the page noise
    runs = [
        ["batch", "--help"],
        ["batch", str(source), "-o", str(tmp_path / "ray.jsonl"), "--engine", "ray"],
        ["batch", str(source), "-o", str(tmp_path / "local.jsonl"), "-q", *tiny],
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(runs)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    (help_code, help_err), (code, error), (local_code, local_err) = map(
        json.loads, done.stdout.splitlines()
    )
    assert (help_code, help_err) == (0, "")
    assert code == 1 and error.count("\n") == 1
    assert error.startswith("error: batch.engine ray needs Ray Data, which is not installed: ")
    assert 'pip install -e ".[ray]"' in error
    assert not (tmp_path / "ray.jsonl").exists()
    assert (local_code, local_err) == (0, "")
    assert [json.loads(line)["id"] for line in (tmp_path / "local.jsonl").open()] == ["a"]


def test_a_failed_ray_job_is_told_by_its_original_error() -> None:
    """Ray puts the remote traceback into its error's text; the line shown is its cause."""
    from summarizer.batch.ray_engine import failure

    remote = RuntimeError(
        "The actor died because of an error raised in its creation task\n"
        '  File "summarizer/pipeline.py", line 54, in __init__\n'
        "summarizer.errors.UserError: embedding.model: model directory not found: /m\n"
    )
    assert failure(remote) == "embedding.model: model directory not found: /m"
    assert failure(ValueError("a plain message: kept whole")) == "a plain message: kept whole"


def test_a_missing_model_is_one_line_before_ray_starts(cli, tmp_path: Path) -> None:
    pytest.importorskip("ray")
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "A page."}) + "\n")
    missing = tmp_path / "no-model"
    result = cli("batch", str(source), "-o", str(out), "--engine", "ray",
                 "--set", f"embedding.model={missing}")  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("error: embedding.model: model directory not found")
    assert result.stderr.count("\n") == 1
    assert not out.exists() and not (tmp_path / "out.jsonl.shards").exists()

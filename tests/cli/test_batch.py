"""`summarizer batch` as a user runs it: a real process, killed with SIGKILL mid-run, then
resumed; the output must hold every input id exactly once, in input order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest


def complete_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


@pytest.mark.slow
def test_kill_nine_mid_run_then_resume_gives_every_id_once(data_dir: Path, tmp_path: Path) -> None:
    with (data_dir / "pages_bbc_dev.jsonl").open() as handle:
        rows = [json.loads(next(handle)) for _ in range(6)]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    journal = tmp_path / "out.jsonl.partial.jsonl"  # where results go until the run completes
    source.write_text("".join(json.dumps({"id": r["id"], "text": r["text"]}) + "\n" for r in rows))
    command = [sys.executable, "-m", "summarizer", "batch", str(source), "-o", str(out)]
    command += ["--device", "cpu", "--set", "batch.chunk_size=2"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}

    process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while complete_lines(journal) < 1 + 2:  # the header and the first chunk: kill the run now
        assert process.poll() is None, "the run ended before it could be killed"
        assert time.monotonic() < deadline, "no chunk written within 5 minutes"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    done = complete_lines(journal) - 1
    assert 2 <= done < len(rows) and not out.exists()
    with journal.open("ab") as handle:  # as if the kill had landed in the middle of a write
        handle.write(b'{"id": "' + rows[done]["id"].encode() + b'", "summ')

    resumed = subprocess.run(
        [*command, "--resume"], env=env, capture_output=True, text=True, timeout=600
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"resuming after {done}" in resumed.stderr
    assert "removed a torn last record" in resumed.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == [r["id"] for r in rows]
    assert all(r["error"] is None and r["summary"] for r in records)
    assert not journal.exists()


@pytest.mark.slow
def test_a_stalled_record_times_out_and_the_run_goes_on(
    cli, pipeline, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The real pipeline, its segmentation stalled on one record: the alarm stops it there
    and the pipeline goes on with the rest. The pages are short and the pipeline warm, so
    that alone each finishes well within the limit on a busy machine too."""
    from summarizer import pipeline as stages

    segment_text = stages.segment_text

    def stalling(text: str) -> list:
        if "STALL" in text:
            time.sleep(3600)
        return segment_text(text)

    monkeypatch.setattr(stages, "segment_text", stalling)
    monkeypatch.setattr("summarizer.cli.main.build_pipeline", lambda cfg: pipeline)
    pages = [
        "The minister said the talks would go on. Both sides agreed to meet again in May.",
        "The striker scored twice as the home side won the cup final in front of a full house.",
        "Shares fell sharply after the bank warned that profits would be lower this year.",
    ]
    pipeline(pages)  # warm: label vectors and the like are made on a first call
    rows = [("a", pages[0]), ("b", pages[1]), ("stuck", f"STALL\n{pages[0]}"), ("c", pages[2])]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows))
    settings = ["--set", "batch.chunk_size=2", "--set", "batch.record_timeout=5"]
    result = cli("batch", str(source), "-o", str(out), "-q", *settings)
    assert result.exit_code == 1  # as for any error record
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "stuck", "c"]
    assert records[2]["error"].startswith("stuck: took longer than the 5 s record_timeout")
    assert [r["error"] for r in records] == [None, None, records[2]["error"], None]
    assert [r["summary"] for r in records] == [pages[0], pages[1], "", pages[2]]

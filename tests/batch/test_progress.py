"""Progress in `batch`: a word while the models load, a bar that moves within a chunk."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from summarizer.batch.job import BatchJob
from summarizer.batch.progress import BatchStats, LogReporter, loading
from summarizer.config import Config
from summarizer.timing import StageTimes
from summarizer.types import Result


class CountingPipeline:
    """Echoes ids; remembers each call's ids."""

    def __init__(self) -> None:
        self.times = StageTimes()
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str], ids: list[str], titles: list[str | None]) -> list[Result]:
        self.calls.append(list(ids))
        return [Result(id=doc_id, summary=text) for doc_id, text in zip(ids, texts)]


class Recorder:
    """A reporter that keeps the count shown at each update."""

    def __init__(self) -> None:
        self.shown: list[int] = []

    def start(self, stats: BatchStats, title: str) -> None:
        pass

    def update(self, stats: BatchStats) -> None:
        self.shown.append(stats.seen)

    def stop(self) -> None:
        pass


def test_progress_moves_per_sub_batch_within_a_chunk(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"d{i}", "text": "t"}) + "\n" for i in range(7)))
    config = Config.model_validate({"batch_size": 2, "batch": {"chunk_size": 5}})
    pipeline, recorder = CountingPipeline(), Recorder()
    stats = BatchJob(source, tmp_path / "out.jsonl", config).run(pipeline, recorder)
    assert pipeline.calls == [["d0", "d1"], ["d2", "d3"], ["d4"], ["d5", "d6"]]
    assert recorder.shown == [2, 4, 5, 5, 7, 7]
    assert (stats.new, stats.in_chunk) == (7, 0)


def test_log_lines_count_the_records_of_the_chunk_in_progress() -> None:
    lines: list[str] = []
    reporter = LogReporter(interval=0)
    reporter._print = lines.append  # type: ignore[method-assign]
    reporter.update(BatchStats(total=10, new=4, in_chunk=3))
    assert lines[0].startswith("batch: 7/10 records (70.0%)")


def test_loading_spins_on_a_terminal_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with loading(quiet=False):  # stderr is no terminal here: a log keeps one error line
        pass
    assert capsys.readouterr().err == ""
    statuses: list[str] = []

    class Console:
        def __init__(self, stderr: bool) -> None:
            pass

        def status(self, text: str) -> contextlib.AbstractContextManager[None]:
            statuses.append(text)
            return contextlib.nullcontext()

    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    monkeypatch.setattr("rich.console.Console", Console)
    with loading(quiet=False):
        pass
    with loading(quiet=True):
        pass
    assert statuses == ["batch: loading models"]

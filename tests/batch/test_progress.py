"""Progress in `batch`: a word while the models load, and a bar that moves inside a chunk."""

from __future__ import annotations

import contextlib

import pytest

from summarizer.batch.job import BatchJob
from summarizer.batch.progress import BatchStats, QuietReporter, RichReporter, loading
from summarizer.config import Config
from summarizer.types import Result


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


class HalfwayPipeline:
    """Stands in for a pipeline whose embedding reports half of each call done."""

    def __init__(self) -> None:
        from summarizer.timing import StageTimes

        self.times = StageTimes()
        self.progress = None

    def __call__(self, texts, ids, titles) -> list[Result]:
        self.progress(0.5)
        return [Result(id=i, summary=t) for i, t in zip(ids, texts)]


class Recorder(QuietReporter):
    def __init__(self) -> None:
        self.heard: list[tuple[int, float]] = []

    def within(self, stats: BatchStats, records: float) -> None:
        self.heard.append((stats.records, records))


def test_the_bar_hears_progress_inside_each_chunk(tmp_path) -> None:
    rows = "".join(f'{{"id": "d{i}", "text": "text {i}"}}\n' for i in range(7))
    (tmp_path / "in.jsonl").write_text(rows)
    config = Config.model_validate({"batch": {"chunk_size": 3}, "topic": {"adapt": "none"}})
    pipeline, reporter = HalfwayPipeline(), Recorder()
    BatchJob(tmp_path / "in.jsonl", tmp_path / "out.jsonl", config).run(pipeline, reporter)
    # chunks of 3, 3 and 1 records, each half done mid-call
    assert reporter.heard == [(0, 1.5), (3, 1.5), (6, 0.5)]
    assert pipeline.progress is None  # the pipeline is left as it was found


def test_the_rich_bar_moves_within_a_chunk_and_never_back() -> None:
    reporter = RichReporter()
    stats = BatchStats(total=10)
    reporter.start(stats, "in -> out")
    reporter.within(stats, 2.5)
    reporter.within(stats, 1.0)  # a later embedding call of the same chunk starts over
    assert reporter.progress.tasks[0].completed == 2.5
    stats.new = 4
    reporter.update(stats)
    assert reporter.progress.tasks[0].completed == 4
    reporter.stop()

"""Progress while `summarizer batch` runs, and the summary at its end.

On a terminal: a rich progress bar with records/s and ETA. Anywhere else (CI logs, nohup,
a pipe): a plain line every `interval` seconds, because a redrawn bar turns into garbage
in a log file. `--quiet`: nothing. Rates count only the records this run processed, so a
resumed run's ETA is not flattered by the records it skipped.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO


@dataclass
class BatchStats:
    """Counts and timings of one batch run; `total` is None while unknown."""

    total: int | None = None
    resumed: int = 0
    new: int = 0
    errors: int = 0
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    prototypes: str | None = None  # which topic prototypes scored the run (see BatchJob)

    @property
    def records(self) -> int:
        return self.resumed + self.new

    def rate(self) -> float:
        """Records per second processed by this run so far."""
        elapsed = self.seconds or time.perf_counter() - self.started
        return self.new / elapsed if elapsed > 0 else 0.0

    def eta(self) -> float | None:
        """Seconds left at the current rate, or None before there is a rate or a total."""
        rate = self.rate()
        if self.total is None or rate <= 0:
            return None
        return max(0, self.total - self.records) / rate


def duration(seconds: float | None) -> str:
    """Human-sized duration: 12.3s, 4m05s, 3h02m."""
    if seconds is None:
        return "?"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class Reporter(Protocol):
    def start(self, stats: BatchStats, title: str) -> None: ...

    def update(self, stats: BatchStats) -> None: ...

    def within(self, stats: BatchStats, records: float) -> None:
        """`records` of the chunk in flight are about done (its embedding batches so far)."""

    def stop(self) -> None: ...


class QuietReporter:
    """--quiet: no progress at all."""

    def start(self, stats: BatchStats, title: str) -> None:
        pass

    def update(self, stats: BatchStats) -> None:
        pass

    def within(self, stats: BatchStats, records: float) -> None:
        pass

    def stop(self) -> None:
        pass


class LogReporter:
    """Plain progress lines at most every `interval` seconds, for logs and pipes."""

    def __init__(self, interval: float, stream: TextIO | None = None) -> None:
        self.interval = interval
        self.stream = stream
        self._last = 0.0

    def _print(self, line: str) -> None:
        print(line, file=self.stream or sys.stderr, flush=True)

    def start(self, stats: BatchStats, title: str) -> None:
        self._print(f"batch: {title}")
        self._last = time.perf_counter()

    def update(self, stats: BatchStats) -> None:
        now = time.perf_counter()
        if now - self._last < self.interval:
            return
        self._last = now
        total = "?" if stats.total is None else str(stats.total)
        share = f" ({stats.records / stats.total:.1%})" if stats.total else ""
        self._print(
            f"batch: {stats.records}/{total} records{share}, {stats.errors} failed, "
            f"{stats.rate():.2f} records/s, ETA {duration(stats.eta())}"
        )

    def within(self, stats: BatchStats, records: float) -> None:
        pass  # a log gets whole chunks: lines stay few and every count in them is exact

    def stop(self) -> None:
        pass


class RichReporter:
    """A live progress bar on the terminal (stderr, so stdout stays clean)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            SpinnerColumn(),  # moves before the first record is through
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} records/s"),
            TextColumn("ETA {task.fields[eta]}"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[errors]} failed"),
            console=Console(stderr=True),
            refresh_per_second=2,
        )
        self.task: Any = None

    def _fields(self, stats: BatchStats) -> dict[str, Any]:
        return {"rate": f"{stats.rate():.2f}", "eta": duration(stats.eta()), "errors": stats.errors}

    def start(self, stats: BatchStats, title: str) -> None:
        self.progress.console.print(f"batch: {title}", markup=False)
        self.progress.start()
        self.task = self.progress.add_task(
            "batch", total=stats.total, completed=stats.records, **self._fields(stats)
        )

    def update(self, stats: BatchStats) -> None:
        self.progress.update(self.task, completed=stats.records, **self._fields(stats))

    def within(self, stats: BatchStats, records: float) -> None:
        """Move the bar inside a chunk (never back): a 256-record chunk can take a minute."""
        current = self.progress.tasks[0].completed
        self.progress.update(self.task, completed=max(current, stats.records + records))

    def stop(self) -> None:
        self.progress.stop()


@contextmanager
def loading(quiet: bool) -> Iterator[None]:
    """While the models load (seconds to minutes, before any record moves): a spinner on a
    terminal, which vanishes when done. Nothing elsewhere or with --quiet: in a log, a
    model that fails to load must leave its one `error:` line alone on stderr."""
    if quiet or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status("batch: loading models"):
        yield


def make_reporter(quiet: bool, interval: float) -> Reporter:
    """Quiet, a progress bar on a terminal, or periodic log lines elsewhere."""
    if quiet:
        return QuietReporter()
    if sys.stderr.isatty():
        return RichReporter()
    return LogReporter(interval)


def summary(stats: BatchStats, output: object) -> str:
    """The end-of-run report: records, failures, wall time, rate, and time per stage."""
    resumed = f", {stats.resumed} of them from the earlier run" if stats.resumed else ""
    failed = f'{stats.errors} failed (the "error" field says why)' if stats.errors else "0 failed"
    lines = [
        f"{stats.records} records -> {output}{resumed}; {failed}",
        f"wall time {duration(stats.seconds)}, {stats.rate():.2f} records/s",
    ]
    if stats.prototypes:
        lines.append(f"topic prototypes: {stats.prototypes}")
    if stats.stages:
        width = max(len(stage) for stage in stats.stages)
        lines.append(f"{'stage'.ljust(width)}  seconds   share")
        for stage, seconds in stats.stages.items():
            share = seconds / stats.seconds if stats.seconds else 0.0
            lines.append(f"{stage.ljust(width)}  {seconds:7.2f}  {share:6.1%}")
    return "\n".join(lines)

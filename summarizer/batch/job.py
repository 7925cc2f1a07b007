"""`summarizer batch`: stream records through the pipeline chunk by chunk, resumably.

Records come from `summarizer.io.readers`, go through the pipeline `batch.chunk_size` at a
time (so a chunk's documents share large, length-sorted model batches) and are appended
to the output by `summarizer.io.writers`, one durable chunk at a time. The output keeps the
input's order and ids, one record per input record: a record that cannot be read or
processed becomes an error record in its place and the run goes on. `--resume` skips the
records an earlier run wrote, after checking they are this input's, in this order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from summarizer.batch.progress import BatchStats, QuietReporter, Reporter
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.io.readers import Fields, Reader, Record, open_input
from summarizer.io.writers import Output
from summarizer.timing import StageTimes
from summarizer.types import Result

log = logging.getLogger(__name__)


def process_chunk(
    pipeline: Any,
    chunk: list[Record],
    size: int | None = None,
    done: Callable[[int], None] | None = None,
) -> list[Result]:
    """Results for a chunk, in input order, unreadable records turned into error results.

    The readable records go through the pipeline `size` at a time (all at once without
    one), and `done(count)` hears of each part, so progress moves within a long chunk.
    """
    readable = [r for r in chunk if r.error is None]
    results: list[Result] = []
    step = size or len(readable) or 1
    for start in range(0, len(readable), step):
        part = readable[start : start + step]
        results += _process_part(pipeline, part)
        if done:
            done(len(part))
    processed = iter(results)
    return [
        next(processed) if r.error is None else Result.failed(r.id, r.error or "") for r in chunk
    ]


def _process_part(pipeline: Any, records: list[Record]) -> list[Result]:
    """The records' results; if the pipeline fails on them as a whole (a model error), each
    is retried on its own, so only the records that really fail become error records."""
    try:
        return _call(pipeline, records)
    except Exception as exc:  # any model failure: isolate it rather than stop the run
        log.warning(
            "a chunk of %d records failed (%s); retrying them one at a time",
            len(records),
            _one_line(exc),
        )
        return [_process_alone(pipeline, record) for record in records]


def _call(pipeline: Any, records: list[Record]) -> list[Result]:
    if not records:
        return []
    return pipeline([r.text for r in records], [r.id for r in records], [r.title for r in records])


def _process_alone(pipeline: Any, record: Record) -> Result:
    try:
        return _call(pipeline, [record])[0]
    except Exception as exc:  # this record's own failure becomes its error record
        return Result.failed(record.id, f"{record.id}: {_one_line(exc)}")


def _one_line(exc: BaseException, limit: int = 500) -> str:
    text = f"{exc.__class__.__name__}: {' '.join(str(exc).split())}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _chunks(records: Iterator[Record], size: int, times: StageTimes) -> Iterator[list[Record]]:
    while True:
        with times("read"):
            chunk = list(islice(records, size))
        if not chunk:
            return
        yield chunk


def _skip_done(records: Iterator[Record], output: Output, stats: BatchStats, source: Path) -> None:
    """Consume the records an earlier run already wrote, checking they match, in order."""
    for position, done in enumerate(output.done(), start=1):
        record = next(records, None)
        if record is None or record.id != done.id:
            found = "nothing" if record is None else repr(record.id)
            raise UserError(
                f"{output.path} does not continue {source}: its record {position} is "
                f"{done.id!r} but the input has {found} there; "
                "choose another output or pass --overwrite"
            )
        stats.resumed += 1
        stats.errors += done.failed


def _fields(config: Config) -> Fields:
    batch = config.batch
    return Fields(text=batch.text_field, id=batch.id_field, title=batch.title_field)


def _advance(stats: BatchStats, reporter: Reporter) -> Callable[[int], None]:
    """Count a part of the chunk through the pipeline and show it, before it is written."""

    def done(count: int) -> None:
        stats.in_chunk += count
        reporter.update(stats)

    return done


class BatchJob:
    """One batch run, checked up front: `BatchJob(...)` raises `UserError` before any model
    loads or any output is written when the input, its fields or the output are wrong
    (the output exists without `resume`/`overwrite`, or belongs to another input); then
    `run(pipeline)` processes what is left.
    """

    def __init__(
        self,
        source: Path,
        target: Path,
        config: Config,
        *,
        resume: bool = False,
        overwrite: bool = False,
    ) -> None:
        self.source, self.target, self.config = source, target, config
        self.times, self.stats = StageTimes(), BatchStats()
        with self.times("open"):  # count, and on --resume check what is done
            reader: Reader = open_input(source, _fields(config), config.input.max_bytes)
            self.stats.total = reader.count()
            self.records = iter(reader)
            self.output = Output(target, source, resume=resume, overwrite=overwrite)
            try:
                _skip_done(self.records, self.output, self.stats, source)
            except BaseException:
                self.output.__exit__()  # let go of the journal's lock at once
                raise
        if self.output.finished and self.stats.resumed < self.stats.total:
            raise UserError(
                f"{target} is the finished output of a run over the first {self.stats.resumed} "
                f"of these {self.stats.total} records; pass --overwrite to start over"
            )
        resumed = f", resuming after {self.stats.resumed}" if self.stats.resumed else ""
        self.title = f"{source} ({reader.format}, {self.stats.total} records) -> {target}{resumed}"

    def run(self, pipeline: Any, reporter: Reporter | None = None) -> BatchStats:
        """Process the remaining records chunk by chunk; returns counts and stage timings."""
        stats, times, before = self.stats, self.times, dict(pipeline.times)
        reporter = reporter or QuietReporter()
        stats.started = time.perf_counter()  # the rate leaves out loading the models
        with self.output as output:
            reporter.start(stats, self.title)
            try:
                for chunk in _chunks(self.records, self.config.batch.chunk_size, times):
                    results = process_chunk(
                        pipeline, chunk, self.config.batch_size, _advance(stats, reporter)
                    )
                    with times("write"):
                        output.append(results)
                    stats.in_chunk = 0
                    stats.new += len(results)
                    stats.errors += sum(r.error is not None for r in results)
                    reporter.update(stats)
            finally:
                reporter.stop()
            with times("write"):
                output.finish()
        stats.seconds = times["open"] + time.perf_counter() - stats.started
        stats.stages = {
            "open": times["open"],
            "read": times["read"],
            **pipeline.times.since(before),
            "write": times["write"],
        }
        return stats

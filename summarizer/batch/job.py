"""`summarizer batch`: stream records through the pipeline chunk by chunk, resumably.

Records come from `summarizer.io.readers`, go through the pipeline `batch.chunk_size` at a
time (so a chunk's documents share large, length-sorted model batches) and are appended
to the output by `summarizer.io.writers`, one durable chunk at a time. The output keeps the
input's order and ids, one record per input record: a record that cannot be read or
processed, or takes longer than `batch.record_timeout` (see `ChunkBudget`), becomes an
error record in its place and the run goes on. `--resume` skips the records an earlier run
wrote, after checking they are this input's, in this order.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from summarizer.batch.adapt import NothingToAdapt, adapt_on_corpus
from summarizer.batch.budget import ChunkBudget, RecordTimeout, time_limit
from summarizer.batch.progress import BatchStats, QuietReporter, Reporter
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.io.readers import Fields, Reader, Record, open_input
from summarizer.io.writers import Output
from summarizer.timing import StageTimes
from summarizer.topic import prototypes
from summarizer.types import Result

log = logging.getLogger(__name__)


def process_chunk(
    pipeline: Any, chunk: list[Record], budget: ChunkBudget | None = None
) -> list[Result]:
    """Results for a chunk, in input order, unreadable records turned into error results.

    If the pipeline fails on the chunk as a whole (a model error) or runs over the
    `budget`, each record is retried on its own, so only the records that really fail
    (or alone take longer than `record_timeout`) become error records.
    """
    budget = budget or ChunkBudget(None)
    readable = [r for r in chunk if r.error is None]
    started, seconds = time.perf_counter(), budget.seconds(len(readable))
    try:
        with time_limit(seconds):
            processed = iter(_call(pipeline, readable))
        budget.observe(time.perf_counter() - started, len(readable))
    except (Exception, RecordTimeout) as exc:  # isolate a model failure rather than stop
        why = f"over its {seconds:g} s budget" if isinstance(exc, RecordTimeout) else _one_line(exc)
        log.warning(
            "a chunk of %d records failed (%s); retrying them one at a time", len(readable), why
        )
        processed = iter([_process_alone(pipeline, record, budget) for record in readable])
    results = [
        next(processed) if r.error is None else Result.failed(r.id, r.error or "") for r in chunk
    ]
    for record, result in zip(chunk, results):
        result.fields = record.fields
    return results


def _call(pipeline: Any, records: list[Record]) -> list[Result]:
    if not records:
        return []
    return pipeline([r.text for r in records], [r.id for r in records], [r.title for r in records])


def _process_alone(pipeline: Any, record: Record, budget: ChunkBudget) -> Result:
    started = time.perf_counter()
    try:
        with time_limit(budget.record_timeout):
            result = _call(pipeline, [record])[0]
    except RecordTimeout:
        return Result.failed(
            record.id,
            f"{record.id}: took longer than the {budget.record_timeout:g} s record_timeout "
            "(batch.record_timeout; null for no limit)",
        )
    except Exception as exc:  # this record's own failure becomes its error record
        return Result.failed(record.id, f"{record.id}: {_one_line(exc)}")
    budget.observe(time.perf_counter() - started, 1)
    return result


def _one_line(exc: BaseException, limit: int = 500) -> str:
    text = f"{exc.__class__.__name__}: {' '.join(str(exc).split())}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def run_in_chunks(
    pipeline: Any,
    records: Iterable[Record],
    size: int,
    times: StageTimes | None = None,
    budget: ChunkBudget | None = None,
) -> Iterator[list[Result]]:
    """The pipeline over `records`, `size` at a time: each chunk's results, in input order.

    The one chunked run loop: `batch`, `eval` and the benchmarks all go through here, so a
    chunk's documents share length-sorted model batches everywhere and a model failure
    costs only the records that really fail (and, with a `budget`, a record that runs over
    `batch.record_timeout` becomes an error record). Reading a chunk counts as
    `times["read"]`.
    """
    times = times or StageTimes()
    records = iter(records)
    while True:
        with times("read"):
            chunk = list(islice(records, size))
        if not chunk:
            return
        yield process_chunk(pipeline, chunk, budget)


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
    return Fields(
        text=batch.text_field,
        id=batch.id_field,
        title=batch.title_field,
        title_if_present=True,
        keep=tuple(batch.keep_fields),
    )


def prototypes_folder(target: Path) -> Path:
    """Where a batch run with `topic.adapt: corpus` keeps the prototypes: beside OUTPUT."""
    return target.with_name(target.name + ".prototypes")


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
        self.resume = resume
        resumed = f", resuming after {self.stats.resumed}" if self.stats.resumed else ""
        self.title = f"{source} ({reader.format}, {self.stats.total} records) -> {target}{resumed}"

    def run(self, pipeline: Any, reporter: Reporter | None = None) -> BatchStats:
        """Process the remaining records chunk by chunk; returns counts and stage timings."""
        stats, times = self.stats, self.times
        reporter = reporter or QuietReporter()
        budget = ChunkBudget(self.config.batch.record_timeout)
        stats.started = time.perf_counter()  # the rate leaves out loading the models
        with self.output as output:
            with times("adapt"):
                stats.prototypes = self.topic_prototypes(pipeline)
            before = dict(pipeline.times)  # the stages below count records, not the sample
            reporter.start(stats, self.title)
            size = self.config.batch.chunk_size

            def within_chunk(share: float) -> None:
                in_flight = min(size, (stats.total or 0) - stats.records)
                reporter.within(stats, share * in_flight)

            pipeline.progress = within_chunk
            try:
                for results in run_in_chunks(pipeline, self.records, size, times, budget):
                    with times("write"):
                        output.append(results)
                    stats.new += len(results)
                    stats.errors += sum(r.error is not None for r in results)
                    reporter.update(stats)
            finally:
                pipeline.progress = None
                reporter.stop()
            with times("write"):
                output.finish()
        stats.seconds = times["open"] + time.perf_counter() - stats.started
        stats.stages = {
            "open": times["open"],
            "adapt": times["adapt"],
            "read": times["read"],
            **pipeline.times.since(before),
            "write": times["write"],
        }
        return stats

    def topic_prototypes(self, pipeline: Any) -> str | None:
        """Which label prototypes score this run's topics (None: not the embedding backend);
        adapted or saved ones are put into `pipeline` (see `choose_prototypes`)."""
        chosen, origin = self.choose_prototypes(lambda: pipeline)
        if chosen is not None:
            pipeline.classify.use(chosen)
        return origin

    def choose_prototypes(
        self, pipeline: Callable[[], Any]
    ) -> tuple[prototypes.Prototypes | None, str | None]:
        """The prototypes this run must score with, if the config does not name them, and
        the line saying which ones score it (None: not the embedding backend).

        With `topic.adapt: corpus` and no `topic.prototypes`, they are adapted on a sample
        of the input before any record is written and saved beside the output; a resumed
        run loads the saved ones, so every record of the output saw the same prototypes.
        `pipeline()` gives the pipeline to adapt with, called only when adapting: the ray
        engine builds one on the driver for that alone, its actors get the result.
        """
        topic = self.config.topic
        if topic.backend != "embedding":
            return None, None
        if topic.prototypes is not None:
            named = prototypes.find(topic.prototypes, self.config.base_dir)
            return None, prototypes.load(named, topic.labels, self.config.embedding.model).origin
        if topic.adapt == "none":
            return None, "none (zero-shot)"
        folder = prototypes_folder(self.target)
        if self.resume and (folder / prototypes.PROTOTYPES_FILE).is_file():
            saved = prototypes.load(folder, topic.labels, self.config.embedding.model)
            return saved, f"adapted on this input by the earlier run, {saved.origin}"
        try:
            adapted = adapt_on_corpus(pipeline(), self.source, _fields(self.config), self.config)
        except NothingToAdapt as exc:
            return None, f"none (zero-shot): {exc}"
        if self.stats.resumed:  # an earlier run scored its records without these
            raise UserError(
                f"{self.target}: the earlier run wrote records without adapted topic "
                f"prototypes ({folder} is missing); resume with --set topic.adapt=none, "
                "or pass --overwrite"
            )
        prototypes.save(folder, adapted)
        saved = prototypes.load(folder, topic.labels, self.config.embedding.model)
        return saved, f"{adapted.origin}, saved in {folder}"

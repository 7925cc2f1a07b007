"""`summarizer batch` with `batch.engine: ray`: the same records, made by Ray Data actors.

The driver (this process) reads INPUT with the usual readers (so every format and every
error record is as the local engine makes them), adapts the topic prototypes once, as the
local engine does, and puts the unfinished records into Ray's object store in blocks of
`batch.ray.batch_size`. `map_batches` runs them through `PipelineActor`s, each building
the pipeline once and calling `process_chunk` (the local engine's own chunk step) on a
block. Results come back to the driver in any order; when a shard's records are all back
it becomes a part file (`shards.py`), and at the end OUTPUT is assembled from the parts in
input order through the same `Output` journal the local engine writes.

A dead actor is restarted and its block retried by Ray (`max_restarts`, `max_task_retries`);
a retried block may come back twice, so the driver keeps the first copy of each position,
and a shard is written only when all of its positions are in: no record lost, none twice.

Ray is an optional extra: it is imported only here, and only when the engine is chosen.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from summarizer.batch.budget import ChunkBudget
from summarizer.batch.job import BatchJob, process_chunk
from summarizer.batch.progress import BatchStats
from summarizer.batch.shards import ShardStore, ids_digest
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.io.formats import json_line
from summarizer.io.readers import Record
from summarizer.topic.prototypes import Prototypes

log = logging.getLogger(__name__)

INSTALL = 'pip install "summarizer[ray]" (in a checkout: pip install -e ".[ray]")'
_TEXT = ("id", "text", "title", "error", "fields")  # Record fields carried in a block
_ERROR_LINE = re.compile(r"^[\w.]+\.\w*(Error|Exception): ")


def require_ray() -> Any:
    """The `ray` module with Ray Data, or one line saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401 - the `data` extra, not just the core
    except ImportError:
        raise UserError(
            f"batch.engine ray needs Ray Data, which is not installed: {INSTALL}"
        ) from None
    return ray


# --- blocks: numbered records in, numbered JSONL lines out ------------------------------


def records_table(numbered: list[tuple[int, Record]]) -> Any:
    """An Arrow block of records and their input positions. Strings travel as UTF-8 bytes
    with surrogates passed through, so an id or error holding a lone surrogate (a file name
    that is not UTF-8) survives the trip; kept fields travel as JSON text."""
    import pyarrow as pa

    def encoded(value: Any) -> bytes | None:
        return None if value is None else str(value).encode("utf-8", "surrogatepass")

    columns: dict[str, Any] = {"position": pa.array([p for p, _ in numbered], pa.int64())}
    for name in _TEXT:
        values = [getattr(record, name) for _, record in numbered]
        if name == "fields":
            values = [None if v is None else json.dumps(v) for v in values]
        columns[name] = pa.array([encoded(v) for v in values], pa.binary())
    return pa.table(columns)


def table_records(table: Any) -> list[tuple[int, Record]]:
    """The numbered records of a block made by `records_table`."""
    rows = table.to_pydict()

    def decoded(value: bytes | None) -> str | None:
        return None if value is None else value.decode("utf-8", "surrogatepass")

    numbered = []
    for index, position in enumerate(rows["position"]):
        values = {name: decoded(rows[name][index]) for name in _TEXT}
        fields = values.pop("fields")
        record = Record(**values, fields=None if fields is None else json.loads(fields))
        numbered.append((position, record))
    return numbered


class PipelineActor:
    """One Ray actor: builds the pipeline once (the models load once per actor), then turns
    each block of records into a block of output lines with the local engine's chunk step.
    """

    def __init__(self, config: Config, chosen: Prototypes | None) -> None:
        from summarizer.models.load import quiet_libraries
        from summarizer.pipeline import Pipeline

        quiet_libraries()
        self.pipeline = Pipeline(config)
        if chosen is not None:
            self.pipeline.classify.use(chosen)
        self.record_timeout = config.batch.record_timeout
        self.budget: ChunkBudget | None = None

    def __call__(self, table: Any) -> Any:
        import pyarrow as pa

        if self.budget is None:  # made in the thread that calls: Ray's, not the main one
            self.budget = ChunkBudget(self.record_timeout)
        numbered = table_records(table)
        results = process_chunk(self.pipeline, [record for _, record in numbered], self.budget)
        return pa.table(
            {
                "position": pa.array([position for position, _ in numbered], pa.int64()),
                "line": pa.array([json_line(r.to_dict()) for r in results], pa.binary()),
                "failed": pa.array([r.error is not None for r in results], pa.bool_()),
            }
        )


# --- the cluster ------------------------------------------------------------------------


@contextmanager
def connected(ray: Any, address: str | None, quiet: bool) -> Iterator[None]:
    """Ray joined for the run: the cluster at `address`, or a local one started here and
    stopped at the end. A process that already joined one (a notebook, the tests) keeps it.
    """
    if ray.is_initialized():
        yield
        return
    level = logging.ERROR if quiet else logging.WARNING
    kwargs: dict[str, Any] = {"logging_level": level, "log_to_driver": not quiet}
    if quiet:  # Ray's C++ core logs a warning for every actor pool Ray Data starts
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "error")
    if address is None and not os.environ.get("RAY_ADDRESS"):
        kwargs["include_dashboard"] = False
    try:
        ray.init(address=address, **kwargs)
    except Exception as exc:  # noqa: BLE001 - ConnectionError, ValueError, RuntimeError...
        where = address or os.environ.get("RAY_ADDRESS") or "a local cluster"
        detail = " ".join(f"{exc.__class__.__name__}: {exc}".split())[:300]
        raise UserError(
            f"batch.ray.address: cannot start or join Ray at {where} ({detail}); for a "
            "cluster run `ray start --head` there and pass its address, or null for a local one"
        ) from None
    try:
        yield
    finally:
        ray.shutdown()


def actor_count(ray: Any, config: Config) -> int:
    """`batch.ray.actors`, or as many actors as the cluster's CPUs and GPUs hold; refused
    when not one fits (Ray would wait for resources forever)."""
    settings = config.batch.ray
    resources = ray.cluster_resources()
    cpus, gpus = resources.get("CPU", 0.0), resources.get("GPU", 0.0)
    if settings.num_gpus and gpus < settings.num_gpus:
        raise UserError(
            f"batch.ray.num_gpus {settings.num_gpus:g}: the Ray cluster has {gpus:g} GPUs; "
            "set batch.ray.num_gpus=0 or join a cluster with GPUs (batch.ray.address)"
        )
    if cpus < settings.num_cpus:
        raise UserError(
            f"batch.ray.num_cpus {settings.num_cpus:g}: the Ray cluster has {cpus:g} CPUs; lower it"
        )
    if settings.actors is not None:
        return settings.actors
    fit = int(cpus // settings.num_cpus)
    if settings.num_gpus:
        fit = min(fit, int(gpus // settings.num_gpus))
    return max(1, fit)


def check_models(config: Config) -> None:
    """Refuse, on the driver, a model name that names no model (a missing folder): in an
    actor it would only surface as a Ray traceback."""
    from summarizer.models.load import resolve
    from summarizer.models.status import configured_models

    for key, name in configured_models(config):
        resolve(key, name, config.base_dir)


def failure(exc: BaseException) -> str:
    """What failed in a Ray job, in one line: Ray puts the remote traceback in its error's
    text, whose last line is the original error (its module path left out)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    last = lines[-1] if lines else exc.__class__.__name__
    last = _ERROR_LINE.sub("", last)  # "summarizer.errors.UserError: ..." -> "..."
    return last if len(last) <= 500 else last[:497] + "..."


def actor_config(config: Config) -> Config:
    """The config each actor builds its pipeline from: `device: auto` in an actor without a
    GPU of its own means the CPU, never a GPU that another actor was given."""
    if config.device == "auto" and not config.batch.ray.num_gpus:
        return config.model_copy(update={"device": "cpu"})
    return config


# --- the job ----------------------------------------------------------------------------


class RayBatchJob(BatchJob):
    """A `BatchJob` whose records are processed by Ray Data actors (see the module doc).

    Checked up front like the local one, before Ray starts or any model loads; a run that
    the local engine began (its journal holds records) is resumed by the local engine.
    """

    def __init__(
        self,
        source: Path,
        target: Path,
        config: Config,
        *,
        resume: bool = False,
        overwrite: bool = False,
        quiet: bool = False,
    ) -> None:
        self.ray = require_ray()
        check_models(config)
        super().__init__(source, target, config, resume=resume, overwrite=overwrite)
        self.quiet = quiet
        self.store: ShardStore | None = None
        if self.output.finished:
            return  # a finished OUTPUT, all of it this input's: nothing to do
        try:
            if self.stats.resumed:
                raise UserError(
                    f"{self.output.journal} is a run of the local engine; resume it with "
                    "--set batch.engine=local, or pass --overwrite"
                )
            with self.times("open"):
                self.store = ShardStore(
                    target,
                    source,
                    self.stats.total or 0,
                    config.batch.ray.shard_size,
                    resume=resume,
                    overwrite=overwrite,
                )
        except BaseException:
            self.output.__exit__()
            raise

    def run(self, pipeline: Any = None, reporter: Any = None) -> BatchStats:  # noqa: ARG002
        """Process the unfinished shards on Ray, then assemble OUTPUT from the part files;
        returns counts and stage timings. (`pipeline` and `reporter` are the local
        engine's: the actors build their own pipelines, and Ray shows its own progress.)"""
        stats, times = self.stats, self.times
        stats.started = time.perf_counter()
        with self.output as output:
            if self.store is not None:
                with connected(self.ray, self.config.batch.ray.address, self.quiet):
                    self._process(self.store)
                with times("write"):
                    for part in self.store.parts(self._shards()):
                        output.append_lines(part)
                    output.finish()
                self.store.remove()
        stats.seconds = times["open"] + time.perf_counter() - stats.started
        stats.stages = {name: times[name] for name in ("open", "read", "adapt", "ray", "write")}
        return stats

    def _shards(self) -> int:
        size = self.config.batch.ray.shard_size
        return -(-(self.stats.total or 0) // size)

    def _process(self, store: ShardStore) -> None:
        """Read what is left into Ray, adapt the prototypes, run the actors, keep shards."""
        with self.times("read"):
            blocks, pending = self._blocks(store)
        with self.times("adapt"):
            chosen, self.stats.prototypes = self.choose_prototypes(self._driver_pipeline)
        if not blocks:
            return
        if not self.quiet:
            print(f"batch: {self.title} on Ray", file=sys.stderr, flush=True)
        with self.times("ray"):
            results = self._dataset(blocks, chosen).iter_batches(
                batch_size=None, batch_format="pyarrow"
            )
            try:
                self._collect(results, pending, store)
            except UserError:
                raise
            except Exception as exc:  # noqa: BLE001 - Ray wraps what failed in its own types
                raise UserError(
                    f"the Ray job failed ({failure(exc)}); finished shards are saved in "
                    f"{store.folder}: fix that and rerun with --resume"
                ) from None

    def _driver_pipeline(self) -> Any:
        """A pipeline on the driver, only to adapt the topic prototypes once for all actors."""
        from summarizer.models.load import quiet_libraries
        from summarizer.pipeline import Pipeline

        quiet_libraries()
        return Pipeline(self.config)

    def _blocks(self, store: ShardStore) -> tuple[list[Any], dict[int, tuple[int, str]]]:
        """The unfinished records, put into the object store a block at a time (so the
        driver holds one block, not the input), and each unfinished shard's size and id
        digest; a finished shard is checked against the input and counted as resumed."""
        settings, stats = self.config.batch.ray, self.stats
        blocks: list[Any] = []
        pending: dict[int, tuple[int, str]] = {}
        block: list[tuple[int, Record]] = []
        for index in range(self._shards()):
            shard = list(islice(self.records, settings.shard_size))
            digest = ids_digest(record.id for record in shard)
            done = store.expected(index)
            if done is not None:
                store.check(done, digest, shard[0].id if shard else "")
                stats.resumed += done.records
                stats.errors += done.errors
                continue
            pending[index] = (len(shard), digest)
            for offset, record in enumerate(shard):
                block.append((index * settings.shard_size + offset, record))
                if len(block) == settings.batch_size:
                    blocks.append(self.ray.put(records_table(block)))
                    block = []
        if block:
            blocks.append(self.ray.put(records_table(block)))
        if stats.resumed:
            self.title += f", {stats.resumed} records in finished shards"
        return blocks, pending

    def _dataset(self, blocks: list[Any], chosen: Prototypes | None) -> Any:
        """The records through a fixed pool of `PipelineActor`s. Ray Data's own defaults
        for actor pools restart a dead actor and retry its block as often as it takes
        (`max_restarts=-1`, `max_task_retries=-1`); `_collect` drops a block's second copy."""
        ray, settings = self.ray, self.config.batch.ray
        if self.quiet:  # a failure is the one `error:` line the command ends with
            for name in ("ray", "ray.data"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        ray.data.DataContext.get_current().enable_progress_bars = not self.quiet
        actors = min(actor_count(ray, self.config), len(blocks))  # an idle actor only loads
        return ray.data.from_arrow_refs(blocks).map_batches(
            PipelineActor,
            fn_constructor_kwargs={"config": actor_config(self.config), "chosen": chosen},
            batch_size=settings.batch_size,
            batch_format="pyarrow",
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=settings.num_cpus,
            num_gpus=settings.num_gpus or None,
        )

    def _collect(
        self, results: Any, pending: dict[int, tuple[int, str]], store: ShardStore
    ) -> None:
        """Keep each position's first result; write a shard when all of it is back."""
        stats, size = self.stats, self.config.batch.ray.shard_size
        waiting: dict[int, dict[int, tuple[bytes, bool]]] = {}
        for batch in results:
            columns = batch.to_pydict()
            for position, line, failed in zip(
                columns["position"], columns["line"], columns["failed"]
            ):
                index = position // size
                rows = waiting.setdefault(index, {}) if index in pending else None
                if rows is None or position in rows:  # a retried block's second copy
                    continue
                rows[position] = (line, failed)
                stats.new += 1
                stats.errors += failed
                count, digest = pending[index]
                if len(rows) == count:
                    del waiting[index], pending[index]
                    errors = sum(failed for _, failed in rows.values())
                    store.write(index, [rows[p][0] for p in sorted(rows)], errors, digest)
        if pending:
            missing = sum(count - len(waiting.get(i, {})) for i, (count, _) in pending.items())
            raise UserError(
                f"Ray returned {missing} records fewer than it was given; finished shards "
                f"are saved in {store.folder}: rerun with --resume"
            )

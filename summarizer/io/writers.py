"""Batch outputs: JSONL, Parquet or CSV by extension, written so a killed run can resume.

Every result goes first to a JSONL journal, appended, flushed and fsynced chunk by chunk.
For a `.jsonl` output the journal *is* the output. For `.parquet` and `.csv` it sits next
to the output as `OUT.partial.jsonl` and is converted when the run completes: a Parquet
file is unreadable until its footer is written, and a CSV row cut off by a kill can look
like a complete one, so neither format can be appended to safely.

A kill can land mid-write and leave the journal's last line torn (no newline); `Output.done`
cuts that line off, so its record is redone. Every complete line is a finished record.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import types
from collections.abc import Iterator
from dataclasses import dataclass, is_dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from summarizer.errors import UserError
from summarizer.types import Result

log = logging.getLogger(__name__)

OUTPUT_FORMATS = {".jsonl": "jsonl", ".parquet": "parquet", ".csv": "csv"}
_CONVERT_ROWS = 1024


@dataclass(frozen=True)
class Done:
    """A record an earlier run already wrote."""

    id: str
    failed: bool


def output_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise UserError(
            f"{path}: unknown output format {suffix or '(no extension)'!r}; "
            f"end the name with {', '.join(OUTPUT_FORMATS)}"
        )
    return OUTPUT_FORMATS[suffix]


class Output:
    """The output of one batch run, possibly continuing an interrupted one.

    Use as a context manager: `append` chunks of results, then `finish`.
    """

    def __init__(self, path: Path, *, resume: bool = False, overwrite: bool = False) -> None:
        if resume and overwrite:
            raise UserError("--resume and --overwrite contradict each other; pass one of them")
        self.path = path
        self.format = output_format(path)
        if path.is_dir():
            raise UserError(f"{path} is a folder; -o needs a file name")
        self.journal = (
            path if self.format == "jsonl" else path.with_name(path.name + ".partial.jsonl")
        )
        existing = [p for p in dict.fromkeys([path, self.journal]) if p.exists()]
        if existing and not (resume or overwrite):
            raise UserError(
                f"{existing[0]} already exists; pass --resume to continue that run "
                "or --overwrite to start over"
            )
        # A Parquet/CSV output without a journal is a completed run: nothing to append to.
        self.finished = (
            not overwrite and path != self.journal and path.exists() and not self.journal.exists()
        )
        self._handle: Any = None
        if not self.finished:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.journal.open("ab")
            _lock(self._handle, path)
            if overwrite:
                self._handle.truncate(0)
                if path != self.journal:
                    path.unlink(missing_ok=True)

    def done(self) -> Iterator[Done]:
        """Records an earlier run wrote, in order; a torn last journal line is cut off first."""
        if self.finished:
            yield from _DONE_READERS[self.format](self.path)
        else:
            _cut_torn_tail(self.journal)
            yield from _journal_done(self.journal)

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def append(self, results: list[Result]) -> None:
        """Append one chunk and make it durable before the next chunk starts."""
        self._handle.write(b"".join(_json_line(r.to_dict()) for r in results))
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def finish(self) -> None:
        """Close the journal and, for Parquet/CSV, convert it into the output."""
        self.__exit__()
        if self.format == "jsonl" or self.finished:
            return
        partial = self.path.with_name(self.path.name + ".tmp")
        _WRITERS[self.format](_journal_rows(self.journal), partial)
        os.replace(partial, self.path)
        self.journal.unlink()


def _lock(handle: Any, path: Path) -> None:
    """Hold an exclusive advisory lock on the journal for the rest of the run.

    Two runs appending to one output would duplicate records; the OS releases the lock
    when the process ends, however it ends, so a killed run never blocks its `--resume`.
    (Windows has no `fcntl`; there the check is skipped.)
    """
    try:
        import fcntl
    except ImportError:
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise UserError(
            f"{path} is being written by another running `summarizer batch`; "
            "let it finish or stop it first"
        ) from None


def _json_line(record: dict[str, Any]) -> bytes:
    """One JSONL line; a lone surrogate in the data falls back to ASCII escapes."""
    try:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(record) + "\n").encode("ascii")


def _cut_torn_tail(path: Path) -> None:
    """Truncate `path` after its last newline: a line without one was cut by a kill."""
    with path.open("r+b") as handle:
        size = end = handle.seek(0, os.SEEK_END)
        keep = 0
        while end > 0:
            start = max(0, end - 65536)
            handle.seek(start)
            newline = handle.read(end - start).rfind(b"\n")
            if newline >= 0:
                keep = start + newline + 1
                break
            end = start
        if keep < size:
            handle.truncate(keep)
            log.warning(
                "%s: removed a torn last record (%d bytes) left by an interrupted run; "
                "it will be redone",
                path,
                size - keep,
            )


def _journal_records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                record = None
            if not isinstance(record, dict) or "id" not in record:
                raise UserError(
                    f"{path}: line {number} is not an output record, so this file was not "
                    "written by `summarizer batch`; choose another output or --overwrite"
                )
            yield record


def _journal_done(path: Path) -> Iterator[Done]:
    for record in _journal_records(path):
        yield Done(str(record["id"]), record.get("error") is not None)


def _journal_rows(path: Path) -> Iterator[list[dict[str, Any]]]:
    records = _journal_records(path)
    while rows := list(islice(records, _CONVERT_ROWS)):
        yield rows


# --- Parquet: the Result dataclass mapped onto a nested Arrow schema -------------------


def _optional_inner(hint: Any) -> Any:
    """`X | None` -> X; anything else unchanged."""
    if get_origin(hint) in (Union, types.UnionType):
        return next(arg for arg in get_args(hint) if arg is not type(None))
    return hint


def _arrow_type(hint: Any) -> Any:
    """Arrow type for a field of the output dataclasses (structs and lists nest)."""
    import pyarrow as pa

    hint = _optional_inner(hint)
    if get_origin(hint) is list:
        return pa.list_(_arrow_type(get_args(hint)[0]))
    if is_dataclass(hint):
        return pa.struct([(name, _arrow_type(h)) for name, h in get_type_hints(hint).items()])
    scalars = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_()}
    if hint not in scalars:
        raise TypeError(f"no Parquet column type for output field type {hint!r}")
    return scalars[hint]


def result_schema() -> Any:
    """The Arrow schema of an output record, derived from `Result` so the two never drift."""
    import pyarrow as pa

    return pa.schema([(name, _arrow_type(h)) for name, h in get_type_hints(Result).items()])


def _write_parquet(chunks: Iterator[list[dict[str, Any]]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = result_schema()
    with pq.ParquetWriter(path, schema) as writer:
        for rows in chunks:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))


def _parquet_done(path: Path) -> Iterator[Done]:
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(path).iter_batches(columns=["id", "error"]):
        for row in batch.to_pylist():
            yield Done(row["id"], row["error"] is not None)


# --- CSV: one column per scalar, `parent.child` for nested records, JSON for lists ------


def _csv_layout() -> dict[str, list[str] | None]:
    """Each Result field, with its child names when it is a nested record."""
    layout: dict[str, list[str] | None] = {}
    for name, hint in get_type_hints(Result).items():
        inner = _optional_inner(hint)
        layout[name] = list(get_type_hints(inner)) if is_dataclass(inner) else None
    return layout


def csv_columns() -> list[str]:
    """Column names: `topic` becomes `topic.label` and `topic.score`; lists stay one column."""
    return [
        f"{name}.{child}" if children else name
        for name, children in _csv_layout().items()
        for child in children or [None]
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def flatten(record: dict[str, Any], layout: dict[str, list[str] | None]) -> dict[str, Any]:
    """One CSV row from an output record (a missing nested record leaves its columns empty)."""
    row: dict[str, Any] = {}
    for name, children in layout.items():
        value = record.get(name)
        if children:
            row.update({f"{name}.{child}": _cell((value or {}).get(child)) for child in children})
        else:
            row[name] = _cell(value)
    return row


def _write_csv(chunks: Iterator[list[dict[str, Any]]], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8", errors="backslashreplace") as handle:
        layout = _csv_layout()
        writer = csv.DictWriter(handle, fieldnames=csv_columns())
        writer.writeheader()
        for rows in chunks:
            writer.writerows(flatten(row, layout) for row in rows)


def _csv_done(path: Path) -> Iterator[Done]:
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield Done(row["id"], bool(row["error"]))


_WRITERS = {"parquet": _write_parquet, "csv": _write_csv}
_DONE_READERS = {"parquet": _parquet_done, "csv": _csv_done}

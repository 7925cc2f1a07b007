"""Batch inputs: JSONL, CSV, Parquet, a folder of .txt/.html pages, or a `datasets` dataset.

Every reader streams `Record`s in input order, so memory stays bounded whatever the input
size, and is deterministic, so a resumed run can skip what an earlier run wrote. A record
that cannot be processed (a malformed JSON line, a row without text) comes out with
`error` set, in its place; it is never dropped. Problems with the input as a whole (no
such file, an unknown format, a field name the input does not have) raise `UserError`
when the reader is opened, before any output is written.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from summarizer.errors import UserError
from summarizer.io.sources import read_source, too_big

log = logging.getLogger(__name__)

PAGE_SUFFIXES = frozenset({".txt", ".html", ".htm"})
FILE_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_DATASET_MARKERS = ("state.json", "dataset_info.json", "dataset_dict.json")
_ARROW_BATCH = 1024


@dataclass
class Record:
    """One input record; `text` is None when `error` says why it cannot be processed."""

    id: str
    text: str | None
    title: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Fields:
    """Which input fields hold the text, the id and the title.

    `id` None means: the `id` field where the input has one, else a stable fallback (the
    row or line number, or the file name). A field named explicitly must exist.
    """

    text: str = "text"
    id: str | None = None
    title: str | None = None

    def check(self, available: Iterable[str], source: object) -> None:
        """Refuse a named field the input does not have, listing the ones it has."""
        names = list(available)
        named = [
            ("--text-field", self.text),
            ("--id-field", self.id),
            ("--title-field", self.title),
        ]
        for option, name in named:
            if name is not None and name not in names:
                listed = ", ".join(map(str, names)) or "none"
                raise UserError(
                    f"{source}: no field {name!r} (fields: {listed}); "
                    f"name the right one with {option}"
                )

    def record(
        self, row: Mapping[str, Any], fallback_id: str, where: str, max_bytes: int
    ) -> Record:
        """A `Record` from one row; a missing or oversized text makes it an error record."""
        raw_id = row.get(self.id or "id")
        doc_id = fallback_id if raw_id is None or raw_id == "" else str(raw_id)
        title = row.get(self.title) if self.title else None
        title = title if isinstance(title, str) and title.strip() else None
        text = row.get(self.text)
        if not isinstance(text, str):
            return Record(doc_id, None, title, f"{where}: no {self.text!r} text")
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            return Record(doc_id, None, title, f"{where}: text is not valid Unicode")
        if size > max_bytes:
            return Record(doc_id, None, title, str(too_big(where, size, max_bytes)))
        return Record(doc_id, text, title)


class Reader(Protocol):
    """What `batch` needs from an input: its records in order, and how many there are."""

    format: str

    def __iter__(self) -> Iterator[Record]: ...

    def count(self) -> int: ...


class JsonlReader:
    """One JSON object per line; blank lines are not records."""

    format = "jsonl"

    def __init__(self, path: Path, fields: Fields, max_bytes: int) -> None:
        self.path, self.fields, self.max_bytes = path, fields, max_bytes
        self._check_first_object()

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        with self.path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if raw.strip():
                    yield number, raw

    def _check_first_object(self) -> None:
        """JSONL has no header: the first parseable object stands in for one."""
        for _, raw in self._lines():
            data = _json_object(raw)
            if data is not None:
                self.fields.check(data, f"{self.path} (first record)")
                return

    def count(self) -> int:
        return sum(1 for _ in self._lines())

    def __iter__(self) -> Iterator[Record]:
        for number, raw in self._lines():
            where = f"line {number}"
            data = _json_object(raw)
            if data is None:
                yield Record(f"line-{number}", None, error=f"{where}: not a JSON object")
            else:
                yield self.fields.record(data, f"line-{number}", where, self.max_bytes)


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


class CsvReader:
    """A CSV file with a header row; rows are numbered from 1 after the header."""

    format = "csv"

    def __init__(self, path: Path, fields: Fields, max_bytes: int) -> None:
        self.path, self.fields, self.max_bytes = path, fields, max_bytes
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # size is checked per record
        with self._open() as handle:
            header = next(csv.reader(handle), None)
        if header is not None:
            fields.check(header, self.path)

    def _open(self) -> Any:
        return self.path.open(newline="", encoding="utf-8-sig")

    def _rows(self, reader: Iterator[Any]) -> Iterator[Any]:
        try:
            yield from reader
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UserError(
                f"{self.path}: unreadable CSV after row {getattr(reader, 'line_num', '?')} "
                f"({exc.__class__.__name__}: {exc}); it must be UTF-8 CSV with a header row"
            ) from None

    def count(self) -> int:
        with self._open() as handle:
            return max(0, sum(1 for _ in self._rows(csv.reader(handle))) - 1)

    def __iter__(self) -> Iterator[Record]:
        with self._open() as handle:
            rows = self._rows(csv.DictReader(handle))
            for number, row in enumerate(rows, start=1):
                yield self.fields.record(row, f"row-{number}", f"row {number}", self.max_bytes)


def _table_records(batches: Iterable[Any], fields: Fields, max_bytes: int) -> Iterator[Record]:
    """Records from Arrow record batches (Parquet, datasets), rows numbered from 1."""
    number = 0
    for batch in batches:
        for row in batch.to_pylist():
            number += 1
            yield fields.record(row, f"row-{number}", f"row {number}", max_bytes)


def _columns(fields: Fields, available: list[str]) -> list[str]:
    """The columns to load: only the named ones, so wide tables stay cheap to stream."""
    wanted = [fields.text, fields.id or "id", fields.title]
    return [name for name in dict.fromkeys(wanted) if name in available]


class ParquetReader:
    """A Parquet file, streamed a record batch at a time."""

    format = "parquet"

    def __init__(self, path: Path, fields: Fields, max_bytes: int) -> None:
        import pyarrow.parquet as pq

        self.fields, self.max_bytes = fields, max_bytes
        try:
            self.file = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several types for a bad file
            raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
        self.names = self.file.schema_arrow.names
        fields.check(self.names, path)

    def count(self) -> int:
        return self.file.metadata.num_rows

    def __iter__(self) -> Iterator[Record]:
        columns = _columns(self.fields, self.names)
        batches = self.file.iter_batches(batch_size=_ARROW_BATCH, columns=columns)
        return _table_records(batches, self.fields, self.max_bytes)


class DatasetReader:
    """A `datasets.Dataset` saved with `save_to_disk` (memory-mapped, never loaded whole)."""

    format = "dataset"

    def __init__(self, path: Path, fields: Fields, max_bytes: int) -> None:
        import datasets

        if (path / "dataset_dict.json").is_file():
            splits = sorted(p.name for p in path.iterdir() if p.is_dir())
            raise UserError(
                f"{path}: a DatasetDict with splits {', '.join(splits)}; "
                f"pass one split's folder, e.g. {path / splits[0]}"
                if splits
                else f"{path}: a DatasetDict without splits"
            )
        datasets.disable_progress_bars()
        self.fields, self.max_bytes = fields, max_bytes
        self.dataset = datasets.load_from_disk(str(path))
        fields.check(self.dataset.column_names, path)

    def count(self) -> int:
        return len(self.dataset)

    def __iter__(self) -> Iterator[Record]:
        columns = _columns(self.fields, self.dataset.column_names)
        batches = self.dataset.with_format("arrow").select_columns(columns).iter(_ARROW_BATCH)
        return _table_records(batches, self.fields, self.max_bytes)


class FolderReader:
    """Every .txt/.html/.htm file under a folder, in sorted path order.

    A page's id is its path inside the folder without the extension (`2024/page-1`), the
    same id `summarizer run` gives a single file.
    """

    format = "folder"

    def __init__(self, path: Path, fields: Fields, max_bytes: int) -> None:
        self.root, self.max_bytes = path, max_bytes
        files = sorted(p for p in path.rglob("*") if p.is_file())
        self.files = [p for p in files if p.suffix.lower() in PAGE_SUFFIXES]
        if len(files) > len(self.files):
            log.warning(
                "%s: ignoring %d file(s) that are not %s",
                path,
                len(files) - len(self.files),
                "/".join(sorted(PAGE_SUFFIXES)),
            )

    def count(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[Record]:
        for file in self.files:
            doc_id = file.relative_to(self.root).with_suffix("").as_posix()
            try:
                yield Record(doc_id, read_source(str(file), self.max_bytes))
            except UserError as exc:
                yield Record(doc_id, None, error=str(exc))


READERS: dict[str, type[Reader]] = {
    "jsonl": JsonlReader,
    "csv": CsvReader,
    "parquet": ParquetReader,
    "dataset": DatasetReader,
    "folder": FolderReader,
}


def input_format(path: Path) -> str:
    """The reader for `path`: by extension for files, by content for folders."""
    if path.is_dir():
        is_dataset = any((path / name).is_file() for name in _DATASET_MARKERS)
        return "dataset" if is_dataset else "folder"
    if not path.is_file():
        raise UserError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix not in FILE_FORMATS:
        raise UserError(
            f"{path}: unknown input format {suffix or '(no extension)'!r}; use "
            f"{', '.join(FILE_FORMATS)}, a folder of .txt/.html files or a saved `datasets` folder"
        )
    return FILE_FORMATS[suffix]


def open_input(path: Path, fields: Fields, max_bytes: int) -> Reader:
    """A reader for `path`, its fields already checked."""
    return READERS[input_format(path)](path, fields, max_bytes)

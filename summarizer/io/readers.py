"""Batch inputs: JSONL, CSV, Parquet, a folder of .txt/.html pages, or a `datasets` dataset.

Every reader streams `Record`s in input order, so memory stays bounded whatever the input
size, and is deterministic, so a resumed run can skip what an earlier run wrote. A record
that cannot be processed (a malformed JSON line, a row without text) comes out with
`error` set, in its place; it is never dropped. Problems with the input as a whole (no
such file, an unknown format, a field name the input does not have, a FIFO or device
instead of a file) raise `UserError` when the reader is opened, before any output is
written. Reads are bounded: a JSONL line longer than any record under `max_bytes` could
be is skipped without being held in memory, and becomes an error record.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from summarizer.errors import UserError
from summarizer.io.formats import format_by_suffix
from summarizer.io.sources import open_regular, read_source, regular_file, too_big, utf8_safe

log = logging.getLogger(__name__)

PAGE_SUFFIXES = frozenset({".txt", ".html", ".htm"})
FILE_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
_DATASET_MARKERS = ("state.json", "dataset_info.json", "dataset_dict.json")
_ARROW_BATCH = 1024
_SKIP_CHUNK = 1 << 20
KEEP_ALL = "all"  # `--keep-fields all`: every input field but the text


Row = dict[str, Any]
"""One input row as read, every field kept: what `train`, `eval` and `split` work on."""


@dataclass
class Record:
    """One input record for the pipeline; `text` is None when `error` says why it cannot be
    processed."""

    id: str
    text: str | None
    title: str | None = None
    error: str | None = None
    fields: dict[str, Any] | None = None  # input fields kept for the output (`keep`)


@dataclass(frozen=True)
class Fields:
    """Which input fields hold the text, the id and the title, and in labeled data the
    `target` (the label, line labels or reference summary) that `eval` scores against.

    `id` None means: the `id` field where the input has one, else a stable fallback (the
    row or line number, or the file name). `title` None (or "") means no title, unless
    `title_if_present` (what `batch` does): then the `title` field where a row has one.
    A field named explicitly must exist. `keep` names fields copied into the output
    record's `fields` (`KEEP_ALL`: every field but the text).
    """

    text: str = "text"
    target: str = "label"
    id: str | None = None
    title: str | None = None
    title_if_present: bool = False
    keep: tuple[str, ...] = ()

    def check(self, available: Iterable[str], source: object) -> None:
        """Refuse a named field the input does not have, listing the ones it has."""
        names = list(available)
        named = [
            ("--text-field", self.text),
            ("--id-field", self.id),
            ("--title-field", self.title),
            *[("--keep-fields", name) for name in self.keep if name != KEEP_ALL],
        ]
        for option, name in named:
            if name and name not in names:
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
        doc_id = fallback_id if raw_id is None or raw_id == "" else utf8_safe(str(raw_id))
        title_key = "title" if self.title is None and self.title_if_present else self.title
        title = row.get(title_key) if title_key else None
        title = utf8_safe(title) if isinstance(title, str) and title.strip() else None
        kept = self.kept(row)
        text = row.get(self.text)
        if not isinstance(text, str):
            return Record(doc_id, None, title, f"{where}: no {self.text!r} text", kept)
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            return Record(doc_id, None, title, f"{where}: text is not valid Unicode", kept)
        if size > max_bytes:
            return Record(doc_id, None, title, str(too_big(where, size, max_bytes)), kept)
        return Record(doc_id, text, title, fields=kept)

    def kept(self, row: Mapping[str, Any]) -> dict[str, Any] | None:
        """The `keep` fields of `row` as JSON values (a date or bytes becomes its text)."""
        if not self.keep:
            return None
        names = [k for k in row if k != self.text] if KEEP_ALL in self.keep else self.keep
        return json.loads(json.dumps({str(k): row.get(k) for k in names}, default=str))


class Reader(Protocol):
    """What `batch` needs from an input: its records in order, and how many there are."""

    format: str

    def __iter__(self) -> Iterator[Record]: ...

    def count(self) -> int: ...


Numbered = tuple[int, Row | str]
"""A row and its number in the input, or in its place why it cannot be read."""


class RowReader:
    """A file of rows (JSONL, CSV, Parquet, datasets): `rows()` numbers them for labeled
    data, iterating turns them into `Record`s for the pipeline.

    `fields` None reads labeled data: every field, none of them required up front.
    """

    format: str
    unit = "row"
    fields: Fields | None
    max_bytes: int

    def rows(self) -> Iterator[Numbered]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[Record]:
        """Records in input order; an unreadable row becomes an error record in its place."""
        fields = self.fields or Fields()
        for number, row in self.rows():
            where, fallback_id = f"{self.unit} {number}", f"{self.unit}-{number}"
            if isinstance(row, str):
                yield Record(fallback_id, None, error=f"{where}: {row}")
            else:
                yield fields.record(row, fallback_id, where, self.max_bytes)


class JsonlReader(RowReader):
    """One JSON object per line; blank lines are not records."""

    format, unit = "jsonl", "line"

    def __init__(self, path: Path, fields: Fields | None, max_bytes: int) -> None:
        self.path, self.fields, self.max_bytes = path, fields, max_bytes
        # A record's text is at most max_bytes of UTF-8; JSON escapes take up to 6 bytes a
        # character (`\u0001`), and the other fields need some room too.
        self.line_limit = 6 * max_bytes + 65536
        if fields is not None:
            self._check_first_object(fields)

    def _lines(self) -> Iterator[tuple[int, bytes | None]]:
        """Each non-blank line with its number; None for one over `line_limit`, which is
        read past in chunks rather than held whole."""
        with open_regular(self.path) as handle:
            number = 0
            while raw := handle.readline(self.line_limit):
                number += 1
                if len(raw) == self.line_limit and not raw.endswith(b"\n"):
                    while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                        pass
                    yield number, None
                elif raw.strip():
                    yield number, raw

    def _check_first_object(self, fields: Fields) -> None:
        """JSONL has no header: the first parseable object stands in for one."""
        for _, raw in self._lines():
            data = _json_object(raw) if raw is not None else None
            if data is not None:
                fields.check(data, f"{self.path} (first record)")
                return

    def count(self) -> int:
        return sum(1 for _ in self._lines())

    def rows(self) -> Iterator[Numbered]:
        for number, raw in self._lines():
            if raw is None:
                yield number, f"over {self.line_limit} bytes, too long for input.max_bytes"
            else:
                data = _json_object(raw)
                yield number, "not a JSON object" if data is None else data


def _json_object(raw: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # bad JSON or UTF-8, 4301+ digit ints, deep nesting
        return None
    return data if isinstance(data, dict) else None


class CsvReader(RowReader):
    """A CSV file with a header row; rows are numbered from 1 after the header."""

    format = "csv"

    def __init__(self, path: Path, fields: Fields | None, max_bytes: int) -> None:
        self.path, self.fields, self.max_bytes = path, fields, max_bytes
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # size is checked per record
        with self._open() as handle:
            header = next(csv.reader(handle), None)
        if header is not None and fields is not None:
            fields.check(header, self.path)

    def _open(self) -> Any:
        return io.TextIOWrapper(open_regular(self.path), encoding="utf-8-sig", newline="")

    def _rows(self, reader: Iterator[Any]) -> Iterator[Any]:
        try:
            yield from reader
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UserError(
                f"{self.path}: unreadable CSV after row {getattr(reader, 'line_num', '?')} "
                f"({exc.__class__.__name__}: {exc}); it must be UTF-8 CSV with a header row"
            ) from None

    def count(self) -> int:
        """The data rows; blank lines are not records (DictReader skips them too)."""
        with self._open() as handle:
            rows = self._rows(csv.reader(handle))
            next(rows, None)  # the header
            return sum(1 for row in rows if row)

    def rows(self) -> Iterator[Numbered]:
        with self._open() as handle:
            yield from enumerate(self._rows(csv.DictReader(handle)), start=1)


def _table_rows(batches: Iterable[Any]) -> Iterator[Numbered]:
    """Rows of Arrow record batches (Parquet, datasets), numbered from 1."""
    number = 0
    for batch in batches:
        for row in batch.to_pylist():
            number += 1
            yield number, row


def _columns(fields: Fields | None, available: list[str]) -> list[str]:
    """The columns to load: only the named ones, so wide tables stay cheap to stream (all
    of them for labeled data, `fields` None)."""
    if fields is None:
        return available
    wanted = [fields.text, fields.id or "id", fields.title]
    return [name for name in dict.fromkeys(wanted) if name in available]


class ParquetReader(RowReader):
    """A Parquet file, streamed a record batch at a time."""

    format = "parquet"

    def __init__(self, path: Path, fields: Fields | None, max_bytes: int) -> None:
        import pyarrow.parquet as pq

        self.fields, self.max_bytes = fields, max_bytes
        try:
            self.file = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several types for a bad file
            raise UserError(f"{path}: not a readable Parquet file ({exc})") from None
        self.names = self.file.schema_arrow.names
        if fields is not None:
            fields.check(self.names, path)

    def count(self) -> int:
        return self.file.metadata.num_rows

    def rows(self) -> Iterator[Numbered]:
        columns = _columns(self.fields, self.names)
        return _table_rows(self.file.iter_batches(batch_size=_ARROW_BATCH, columns=columns))


class DatasetReader(RowReader):
    """A `datasets.Dataset` saved with `save_to_disk` (memory-mapped, never loaded whole)."""

    format = "dataset"

    def __init__(self, path: Path, fields: Fields | None, max_bytes: int) -> None:
        self.fields, self.max_bytes = fields, max_bytes
        self.dataset = load_saved_dataset(path)
        if fields is not None:
            fields.check(self.dataset.column_names, path)

    def count(self) -> int:
        return len(self.dataset)

    def rows(self) -> Iterator[Numbered]:
        columns = _columns(self.fields, self.dataset.column_names)
        return _table_rows(
            self.dataset.with_format("arrow").select_columns(columns).iter(_ARROW_BATCH)
        )


def load_saved_dataset(path: Path) -> Any:
    """The `datasets.Dataset` saved in folder `path`, or one line saying why it is not one.

    A folder can look like a saved dataset (it has a state.json) and still not load, and
    `datasets` then raises anything from KeyError to ArrowInvalid: each becomes the line.
    """
    import datasets

    datasets.disable_progress_bars()
    if (path / "dataset_dict.json").is_file():
        splits = sorted(p.name for p in path.iterdir() if p.is_dir())
        example = f", e.g. {path / splits[0]}" if splits else ""
        raise UserError(
            f"{path}: a DatasetDict with several splits ({', '.join(splits) or 'none found'}); "
            f"pass one split's folder{example}"
        )
    try:
        return datasets.load_from_disk(str(path))
    except Exception as exc:  # noqa: BLE001 - see the docstring
        detail = " ".join(f"{exc.__class__.__name__}: {exc}".split())
        raise UserError(
            f"{path}: a folder, but not a `datasets` dataset saved with save_to_disk ({detail})"
        ) from None


class FolderReader:
    """Every .txt/.html/.htm file under a folder, in sorted path order.

    A page's id is its path inside the folder without the extension (`2024/page-1`), the
    same id `summarizer run` gives a single file; pages that would share one (`a.txt` and
    `a.html`) keep their extensions. A FIFO, device or socket with a page's name is not
    opened: it becomes an error record.
    """

    format = "folder"

    def __init__(self, path: Path, fields: Fields, max_bytes: int) -> None:
        if fields.keep:
            raise UserError(
                f"{path}: a folder of pages has no fields to keep; "
                "--keep-fields needs a JSONL, CSV or Parquet input"
            )
        self.root, self.max_bytes = path, max_bytes
        files = sorted(p for p in path.rglob("*") if not p.is_dir())
        self.files = [p for p in files if p.suffix.lower() in PAGE_SUFFIXES]
        if len(files) > len(self.files):
            log.warning(
                "%s: ignoring %d file(s) that are not %s",
                path,
                len(files) - len(self.files),
                "/".join(sorted(PAGE_SUFFIXES)),
            )
        self.ids = _page_ids([file.relative_to(path) for file in self.files])

    def count(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[Record]:
        for file, doc_id in zip(self.files, self.ids):
            try:
                yield Record(doc_id, read_source(str(file), self.max_bytes))
            except UserError as exc:
                yield Record(doc_id, None, error=str(exc))


def _page_ids(names: list[Path]) -> list[str]:
    """Each page's path without its extension, or with it where that would be shared."""
    stems = Counter(name.with_suffix("") for name in names)
    kept = [name.with_suffix("") if stems[name.with_suffix("")] == 1 else name for name in names]
    return [utf8_safe(name.as_posix()) for name in kept]


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
    if not path.exists():
        raise UserError(f"{path}: no such file or folder")
    regular_file(path)
    fix = (
        f"use {', '.join(FILE_FORMATS)}, a folder of .txt/.html files or a saved `datasets` folder"
    )
    return format_by_suffix(path, FILE_FORMATS, "input", fix)


def open_input(path: Path, fields: Fields, max_bytes: int) -> Reader:
    """A reader for `path`, its fields already checked."""
    return READERS[input_format(path)](path, fields, max_bytes)

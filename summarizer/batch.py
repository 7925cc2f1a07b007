"""Batch runs: read records, process them chunk by chunk, write one record per input.

Records stream through in chunks of `batch.chunk_size`, so memory stays bounded and each
chunk's documents share model batches. A bad record (malformed JSON, no text) becomes an
error record in its place; it never stops the run or shifts the order.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.types import Result


@dataclass
class Record:
    """One input record: `text` is None when `error` says why it cannot be processed."""

    id: str
    text: str | None
    error: str | None = None


@dataclass
class BatchStats:
    records: int = 0
    errors: int = 0
    seconds: float = 0.0


def read_jsonl(path: Path, text_field: str, id_field: str) -> Iterator[Record]:
    """Records of a JSONL file; a line that is not a JSON object with text is an error record."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            yield _parse_line(raw, number, text_field, id_field)


def _parse_line(raw: bytes, number: int, text_field: str, id_field: str) -> Record:
    fallback_id = f"line-{number}"
    try:
        data: Any = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Record(
            fallback_id, None, f"line {number}: malformed JSON ({exc.__class__.__name__})"
        )
    if not isinstance(data, dict):
        return Record(fallback_id, None, f"line {number}: expected a JSON object")
    doc_id = str(data.get(id_field) or fallback_id)
    text = data.get(text_field)
    if not isinstance(text, str):
        return Record(doc_id, None, f"line {number}: no {text_field!r} string field")
    return Record(doc_id, text)


def chunked(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


def process_chunk(pipeline: Any, chunk: list[Record]) -> list[Result]:
    """Results for a chunk, in input order, error records kept in place."""
    valid = [r for r in chunk if r.text is not None]
    done = iter(pipeline([r.text for r in valid], [r.id for r in valid]))
    return [Result.failed(r.id, r.error or "") if r.text is None else next(done) for r in chunk]


def write_results(results: list[Result], out: TextIO) -> None:
    for result in results:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    out.flush()


def run_batch(input_path: Path, output: Path, pipeline: Any, config: Config) -> BatchStats:
    """Stream `input_path` through `pipeline` into `output` (JSONL)."""
    stats, start = BatchStats(), time.perf_counter()
    records = read_jsonl(input_path, config.batch.text_field, config.batch.id_field)
    with output.open("w", encoding="utf-8") as out:
        for chunk in chunked(records, config.batch.chunk_size):
            results = process_chunk(pipeline, chunk)
            write_results(results, out)
            stats.records += len(results)
            stats.errors += sum(r.error is not None for r in results)
    stats.seconds = time.perf_counter() - start
    return stats

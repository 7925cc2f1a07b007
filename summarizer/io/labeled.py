"""Labeled records for training and evaluation: reading, checking, splitting.

`train`, `eval` and `split` all read labeled data through here, so a file that one of
them accepts the others accept too, and a bad file (empty, no label field, one class,
a label the model never saw) gets the same one-line error wherever it is used. The files
themselves are read by `readers.py`, the readers `batch` uses, as rows with every field.
"""

from __future__ import annotations

import ast
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarizer.config.schema import InputConfig
from summarizer.errors import UserError
from summarizer.io.readers import (
    FILE_FORMATS,
    CsvReader,
    DatasetReader,
    JsonlReader,
    ParquetReader,
    Row,
    RowReader,
)
from summarizer.io.sources import regular_file
from summarizer.topic import with_title

_FILE_READERS: dict[str, type[RowReader]] = {
    "jsonl": JsonlReader,
    "csv": CsvReader,
    "parquet": ParquetReader,
}


def read_records(path: Path) -> list[Row]:
    """Every row of a JSONL, CSV or Parquet file or a `datasets` folder (`save_to_disk`),
    read by the readers `batch` uses; a line that is not a JSON object stops it with one
    line, since a training or eval set with a hole in it would mislead."""
    reader = _labeled_reader(path)
    rows = []
    for number, row in reader.rows():
        if isinstance(row, str):
            raise UserError(
                f"{path}, {reader.unit} {number}: {row} (expected JSONL, CSV or Parquet)"
            )
        rows.append(row)
    if not rows:
        raise UserError(f"{path}: no records (the file is empty)")
    return rows


def _labeled_reader(path: Path) -> RowReader:
    """The reader `batch` would choose, except that a folder can only be a saved dataset
    and a file of any other extension reads as JSONL, as labeled data always has."""
    max_bytes = InputConfig().max_bytes
    if path.is_dir():
        return DatasetReader(path, None, max_bytes)
    regular_file(path)  # before opening: a FIFO would block, /dev/zero would never end
    reader = _FILE_READERS[FILE_FORMATS.get(path.suffix.lower(), "jsonl")]
    return reader(path, None, max_bytes)


def column(records: Sequence[Row], name: str, source: Path, option: str) -> list[Any]:
    """The values of field `name`, or an error naming the first record without it."""
    for number, record in enumerate(records, start=1):
        if record.get(name) is None:
            fields = ", ".join(record) or "none"
            raise UserError(
                f"{source}: record {number} has no {name!r} field (its fields: {fields}); "
                f"name the right one with {option}"
            )
    return [record[name] for record in records]


def text_column(
    records: Sequence[Row], name: str, source: Path, title: str | None = None
) -> list[str]:
    """The texts, each with its title as a first line where the record has a `title` field.

    "title\\ntext" is what the pipeline gives a classifier for a page with a title (the
    title line, then the article), so a model trained on it sees at inference what it
    learned on. Records without a title (or with an empty one) give the text alone.
    """
    texts = [str(value) for value in column(records, name, source, "--text-field")]
    if title is None:
        return texts
    titles = [str(record.get(title) or "").strip() for record in records]
    return [with_title(head, text) for head, text in zip(titles, texts)]


def label_column(records: Sequence[Row], name: str, source: Path) -> list[str]:
    return [str(value) for value in column(records, name, source, "--label-field")]


def check_classes(labels: Sequence[str], source: Path) -> list[str]:
    """The sorted label names, refusing data a classifier cannot learn from."""
    names = sorted(set(labels))
    if len(names) < 2:
        raise UserError(
            f"{source}: every record has the label {names[0]!r}; a classifier needs "
            "examples of at least two labels"
        )
    return names


def check_known(labels: Sequence[str], known: Sequence[str], source: Path, whose: str) -> None:
    """Refuse evaluation labels the model cannot predict: they could only ever be wrong."""
    unknown = Counter(label for label in labels if label not in set(known))
    if unknown:
        label, count = unknown.most_common(1)[0]
        raise UserError(
            f"{source}: label {label!r} ({count} records) is not one of {whose} labels "
            f"({', '.join(known)})"
        )


def stratified_split(
    labels: Sequence[str] | None, count: int, fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """Record indices for (train, eval): `fraction` of each label's records held out.

    Each label is shuffled with the seed and split on its own, so both parts keep the
    label mix and the same seed always holds out the same records. Without labels the
    records are shuffled as one group.
    """
    if not 0.0 < fraction < 1.0:
        raise UserError(f"the eval fraction must be between 0 and 1, got {fraction}")
    groups: dict[str, list[int]] = defaultdict(list)
    for index in range(count):
        groups[labels[index] if labels is not None else ""].append(index)
    rng = random.Random(seed)
    train: list[int] = []
    held_out: list[int] = []
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        cut = min(len(members) - 1, max(1, round(fraction * len(members))))
        held_out += members[:cut]
        train += members[cut:]
    if not held_out or not train:
        raise UserError(f"{count} records are too few to hold out {fraction:.0%} for evaluation")
    return sorted(train), sorted(held_out)


def per_class_sample(
    indices: Sequence[int], labels: Sequence[str], per_class: int, seed: int
) -> list[int]:
    """At most `per_class` of `indices` for each label, drawn with the seed (few-shot runs)."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index in indices:
        groups[labels[index]].append(index)
    rng = random.Random(seed)
    chosen: list[int] = []
    for key in sorted(groups):
        chosen += rng.sample(groups[key], min(per_class, len(groups[key])))
    return sorted(chosen)


def page_lines(
    records: Sequence[Row], text_field: str, label_field: str, source: Path
) -> list[tuple[list[str], list[str]]]:
    """(lines, labels) of each labeled page: one label per line of the page text.

    Labels may be a list or its string form ("['byline', 'article']"); empty lines may
    carry a label or not, and are dropped either way since they never become blocks.
    """
    texts = text_column(records, text_field, source)
    raw_labels = column(records, label_field, source, "--label-field")
    pages = []
    for number, (text, raw) in enumerate(zip(texts, raw_labels), start=1):
        labels = _label_list(raw, source, number)
        lines = text.split("\n")
        if len(labels) == len(lines):
            kept = [(line.strip(), lab) for line, lab in zip(lines, labels) if line.strip()]
        elif len(labels) == sum(bool(line.strip()) for line in lines):
            kept = list(zip([line.strip() for line in lines if line.strip()], labels))
        else:
            raise UserError(
                f"{source}: record {number} has {len(lines)} lines but {len(labels)} "
                f"{label_field!r} labels; give one label per line"
            )
        pages.append(([line for line, _ in kept], [str(lab) for _, lab in kept]))
    return pages


def _label_list(value: Any, source: Path, number: int) -> list[Any]:
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            value = None
    if not isinstance(value, list | tuple):
        raise UserError(f"{source}: record {number}: line labels must be a list, one per line")
    return list(value)


def write_jsonl(records: Sequence[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def split_file(
    path: Path,
    out_dir: Path,
    fraction: float,
    seed: int,
    label_field: str | None,
    per_class: int | None = None,
) -> tuple[int, int]:
    """Write `out_dir/train.jsonl` and `out_dir/eval.jsonl`; return their record counts.

    Stratified by `label_field` when given. `per_class` keeps at most that many training
    records per label (few-shot runs) and leaves the eval part as it is, so runs with
    different `per_class` are scored on the same records.
    """
    records = read_records(path)
    labels = label_column(records, label_field, path) if label_field else None
    if labels is not None:
        check_classes(labels, path)
    train, held_out = stratified_split(labels, len(records), fraction, seed)
    if per_class is not None:
        if labels is None:
            raise UserError("--per-class needs labels to count per class (--label-field)")
        train = per_class_sample(train, labels, per_class, seed)
    write_jsonl([records[i] for i in train], out_dir / "train.jsonl")
    write_jsonl([records[i] for i in held_out], out_dir / "eval.jsonl")
    return len(train), len(held_out)

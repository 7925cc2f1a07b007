"""The three `summarizer train` tasks: turn labeled files into training runs.

Each task reads its file(s), checks them (one clear error for an empty file, a missing
field, a single class, a label the eval file has but training lacks), holds out an eval
split when no eval file is given, and hands plain lists to the trainer.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.io.labeled import (
    check_classes,
    check_known,
    column,
    label_column,
    page_lines,
    read_records,
    stratified_split,
    text_column,
)
from summarizer.io.readers import Row
from summarizer.train.classifier import LabeledTexts, train_classifier
from summarizer.train.common import TrainOptions
from summarizer.train.seq2seq import Pairs, train_seq2seq
from summarizer.types import ARTICLE


@dataclass
class DataSpec:
    """Where the labeled data is and which fields hold the text and the target."""

    train: Path
    eval: Path | None = None
    eval_split: float = 0.1
    text_field: str = "text"
    target_field: str = "label"
    title_field: str | None = "title"


def _parts(
    spec: DataSpec, seed: int, strata: Callable[[list[Row]], list[str]] | None
) -> tuple[list[Row], list[Row], Path]:
    """(train records, eval records, where the eval records came from).

    Without an eval file, `eval_split` of the training file is held out, stratified by
    `strata` when given (for topics: the split `summarizer split --eval-fraction F --seed S`
    writes, so `eval` can score the held-out part).
    """
    records = read_records(spec.train)
    if spec.eval is not None:
        return records, read_records(spec.eval), spec.eval
    labels = strata(records) if strata else None
    train, held_out = stratified_split(labels, len(records), spec.eval_split, seed)
    return [records[i] for i in train], [records[i] for i in held_out], spec.train


def _announce(what: str, train: int, evaluation: int, source: Path, options: TrainOptions) -> None:
    print(
        f"training {what} from {options.base} on {train} examples, "
        f"early-stopping on {evaluation} from {source}",
        file=sys.stderr,
    )


def train_topic(spec: DataSpec, options: TrainOptions) -> str:
    """Fine-tune a topic classifier on text/label records."""
    train, held_out, eval_source = _parts(
        spec, options.seed, lambda rs: label_column(rs, spec.target_field, spec.train)
    )
    train_data = LabeledTexts(
        text_column(train, spec.text_field, spec.train, spec.title_field),
        label_column(train, spec.target_field, spec.train),
    )
    eval_data = LabeledTexts(
        text_column(held_out, spec.text_field, eval_source, spec.title_field),
        label_column(held_out, spec.target_field, eval_source),
    )
    labels = check_classes(train_data.labels, spec.train)
    check_known(eval_data.labels, labels, eval_source, "the training data's")
    _announce(
        f"a {len(labels)}-label topic classifier", len(train), len(held_out), eval_source, options
    )
    snippet = {"topic": {"backend": "classifier", "model": str(options.out)}}
    return train_classifier(train_data, eval_data, labels, options, snippet)


def _blocks(records: list[Row], spec: DataSpec, source: Path) -> LabeledTexts:
    """Every labeled line of every page, as one (block text, label) example each."""
    texts, labels = [], []
    for lines, line_labels in page_lines(records, spec.text_field, spec.target_field, source):
        texts += lines
        labels += line_labels
    return LabeledTexts(texts, labels)


def train_noise(spec: DataSpec, options: TrainOptions) -> str:
    """Fine-tune a block classifier on labeled pages; the eval split holds out whole pages,
    so teasers and bylines of a page never sit on both sides."""
    train, held_out, eval_source = _parts(spec, options.seed, None)
    train_data = _blocks(train, spec, spec.train)
    eval_data = _blocks(held_out, spec, eval_source)
    labels = check_classes(train_data.labels, spec.train)
    if ARTICLE not in labels:
        raise UserError(
            f"{spec.train}: no line is labeled {ARTICLE!r} (labels: {', '.join(labels)}); "
            f"the noise model keeps '{ARTICLE}' blocks and flags every other label as noise"
        )
    check_known(eval_data.labels, labels, eval_source, "the training data's")
    _announce(
        f"a {len(labels)}-label block noise classifier",
        len(train_data.texts),
        len(eval_data.texts),
        eval_source,
        options,
    )
    snippet = {"noise": {"model": str(options.out)}}
    return train_classifier(train_data, eval_data, labels, options, snippet)


def train_noise_learned(spec: DataSpec, config: Config, out: Path, seed: int = 0) -> str:
    """Fit the learned block decision (`summarizer.noise.learned`) on pages labeled line by
    line ('article' kept, any other label noise), through the rules and embedder of `config`;
    report block noise P/R/F1 of the rules and of the model on the held-out pages, write
    `block_model.json`, `metrics.json` and the config snippet to `out`."""
    import json

    import numpy as np

    from summarizer.evaluate.metrics import PRF
    from summarizer.noise.learned import decide
    from summarizer.pipeline import Pipeline
    from summarizer.segment import Segment
    from summarizer.train.blocks import fit_pages, rules_features
    from summarizer.train.common import METRICS_FILE, write_snippet

    train, held_out, eval_source = _parts(spec, seed, None)
    rules_only = config.model_copy(
        update={"noise": config.noise.model_copy(update={"learned": None, "model": None})}
    )
    pipeline = Pipeline(rules_only)

    def labeled(records: list[Row], source: Path) -> tuple[list, list[np.ndarray]]:
        pages = page_lines(records, spec.text_field, spec.target_field, source)
        rows = rules_features(pipeline, [[Segment(line) for line in lines] for lines, _ in pages])
        return rows, [np.array([label == ARTICLE for label in labels]) for _, labels in pages]

    train_rows, train_gold = labeled(train, spec.train)
    check_classes([str(bool(g)) for gold in train_gold for g in gold], spec.train)
    eval_rows, eval_gold = labeled(held_out, eval_source)
    print(
        f"training the learned block decision on {len(train_rows)} pages, "
        f"scoring {len(eval_rows)} from {eval_source}",
        file=sys.stderr,
    )
    model = fit_pages(train_rows, train_gold, seed=seed)
    rules, learned = PRF(), PRF()
    for rows, gold in zip(eval_rows, eval_gold):
        if not rows.blocks:
            continue
        noise = [not g for g in gold]
        rules.add([b.noise for b in rows.blocks], noise)
        article = model.article_probability(rows.names, rows.rows)
        decide(rows.blocks, article, config.noise.learned_below)
        learned.add([b.noise for b in rows.blocks], noise)
    out.mkdir(parents=True, exist_ok=True)
    path = (out / "block_model.json").resolve()
    model.save(path)
    figures = {
        name: {"precision": prf.precision, "recall": prf.recall, "f1": prf.f1}
        for name, prf in (("rules", rules), ("learned", learned))
    }
    report = {"train_pages": len(train_rows), "eval_pages": len(eval_rows), "eval_noise": figures}
    (out / METRICS_FILE).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"held-out block noise F1: rules {rules.f1:.4f}, learned {learned.f1:.4f}", file=sys.stderr
    )
    return write_snippet(out, {"noise": {"learned": str(path)}})


def train_summary(spec: DataSpec, options: TrainOptions, max_target_length: int) -> str:
    """Fine-tune a seq2seq summarizer on text/summary records."""
    train, held_out, eval_source = _parts(spec, options.seed, None)

    def pairs(records: list[Row], source: Path) -> Pairs:
        texts = text_column(records, spec.text_field, source)
        summaries = column(records, spec.target_field, source, "--summary-field")
        return Pairs(texts, [str(s) for s in summaries])

    _announce("a seq2seq summarizer", len(train), len(held_out), eval_source, options)
    snippet = {"summary": {"backend": "seq2seq", "model": str(options.out)}}
    return train_seq2seq(
        pairs(train, spec.train), pairs(held_out, eval_source), options, max_target_length, snippet
    )

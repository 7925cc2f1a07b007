"""`summarizer eval`: run the pipeline on labeled data and score it next to a baseline.

Each task runs the configured pipeline exactly as `run` and `batch` do, then scores one
stage: topics (accuracy, macro-F1, per-class F1, confusion matrix), noise blocks
(precision / recall / F1 of "this block is noise") or summaries (ROUGE-1/2/Lsum). The
baseline is scored in the same run on the same records, so the two rows compare:
the majority class for topics, keeping every block for noise, lead-3 for summaries.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from summarizer.batch.job import run_in_chunks
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.evaluate.metrics import PRF, Classification, average, rouge_each
from summarizer.io.labeled import (
    check_known,
    column,
    label_column,
    page_lines,
    read_records,
    text_column,
)
from summarizer.io.readers import Fields, Record, Row
from summarizer.text.sentences import split_sentences
from summarizer.types import ARTICLE, TITLE, Result

KEPT_LABELS = frozenset({ARTICLE, TITLE})
EXAMPLES = 200  # per-example errors kept for the HTML report
PAGES = 20  # pages with wrong blocks the noise report shows whole
LABEL_PROBES = 20  # records tried to learn the model's label set before the full run


@dataclass
class Evaluation:
    """The figures of one `eval` run: a row per method, plus the task's details.

    `rows` maps a method name to its headline figures (the columns are `metrics`); the
    first row is the pipeline, the rest are baselines. `examples` are the records it got
    wrong and `pages` the noise task's pages with a wrong block and their gold labels, for
    the HTML report; both are left out of `to_dict` (the JSON holds figures).
    `calibration` is the topic pipeline's mean confidence next to its accuracy, and
    `provenance` where the figures came from (filled by the command).
    """

    task: str
    source: str
    records: int
    metrics: tuple[str, ...]
    rows: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: float = 0.0
    failed: int = 0
    first_error: str | None = None
    skipped: int = 0
    prototypes: str | None = None  # topic: which label prototypes the embedding backend used
    classes: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_label: dict[str, dict[str, float]] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)
    pages: list[tuple[Result, list[str]]] = field(default_factory=list)
    calibration: dict[str, float] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("examples")
        data.pop("pages")
        return data


def run_pipeline(pipeline: Any, texts: Sequence[str], ids: Sequence[str]) -> list[Result]:
    """The pipeline over every record, chunk by chunk as `batch` runs it, with a progress
    bar on a terminal."""
    from tqdm.auto import tqdm

    records = [Record(doc_id, text) for doc_id, text in zip(ids, texts)]
    results: list[Result] = []
    with tqdm(total=len(texts), unit="doc", file=sys.stderr, disable=None) as bar:
        for chunk in run_in_chunks(pipeline, records, pipeline.config.batch.chunk_size):
            results += chunk
            bar.update(len(chunk))
    return results


def _timed_run(
    evaluation: Evaluation, pipeline: Any, texts: Sequence[str], ids: Sequence[str]
) -> list[Result]:
    started = time.perf_counter()
    results = run_pipeline(pipeline, texts, ids)
    evaluation.seconds = round(time.perf_counter() - started, 1)
    errors = [r.error for r in results if r.error]
    evaluation.failed, evaluation.first_error = len(errors), errors[0] if errors else None
    return results


def _ids(records: Sequence[Row], name: str | None) -> list[str]:
    return [str(r.get(name or "id") or f"record-{n}") for n, r in enumerate(records, start=1)]


def method_name(config: Config, task: str) -> str:
    """The pipeline's row label: the backend and model that produced the figures."""
    if task == "noise":
        model = config.noise.model
        return f"summarizer (rules + {model})" if model else "summarizer (rules)"
    section = config.topic if task == "topic" else config.summary
    model = f", {section.model}" if section.model else ""
    return f"summarizer ({section.backend}{model})"


def prototypes_used(pipeline: Any) -> str | None:
    """Which label prototypes the embedding topic backend scores with (None for the other
    backends): eval never adapts on the data it scores; `topic.prototypes` names saved ones."""
    if pipeline.config.topic.backend != "embedding":
        return None
    saved = pipeline.classify.prototypes
    return saved.origin if saved is not None else "none (zero-shot)"


def _model_labels(pipeline: Any, texts: Sequence[str], ids: Sequence[str]) -> list[str]:
    """The labels the configured topic model predicts, read off its first good result
    (every backend scores every label), so bad eval labels fail before the long run."""
    for text, doc_id in list(zip(texts, ids))[:LABEL_PROBES]:
        result = pipeline([text], [doc_id])[0]
        if result.topics:
            return sorted(topic.label for topic in result.topics)
    raise UserError(
        f"the pipeline gave no topic for the first {min(len(texts), LABEL_PROBES)} records "
        f"(e.g. {result.error}); check the input and the noise settings"
    )


def evaluate_topic(pipeline: Any, path: Path, fields: Fields, baseline: bool) -> Evaluation:
    """Accuracy, macro-F1, per-class F1 and confusion of the topic stage on labeled records."""
    records = read_records(path)
    texts = text_column(records, fields.text, path, fields.title)
    gold = label_column(records, fields.target, path)
    ids = _ids(records, fields.id)
    labels = _model_labels(pipeline, texts, ids)
    check_known(gold, labels, path, "the model's")
    evaluation = Evaluation("topic", str(path), len(records), ("accuracy", "macro_f1"))
    evaluation.prototypes = prototypes_used(pipeline)
    results = _timed_run(evaluation, pipeline, texts, ids)
    predicted = [r.topic.label if r.topic else None for r in results]
    methods = {method_name(pipeline.config, "topic"): predicted}
    if baseline:
        majority = min(Counter(gold).items(), key=lambda item: (-item[1], item[0]))[0]
        methods[f"majority class ({majority})"] = [majority] * len(gold)
    for name, guesses in methods.items():
        report = Classification(labels)
        report.add(guesses, gold)
        evaluation.rows[name] = {"accuracy": report.accuracy, "macro_f1": report.macro_f1}
        evaluation.classes[name] = report.to_dict()
    evaluation.calibration = calibration(results, gold)
    evaluation.examples = topic_errors(results, gold, texts)
    return evaluation


def calibration(results: list[Result], gold: list[str]) -> dict[str, float]:
    """Mean confidence of the top label next to accuracy: equal when calibrated, a
    confidence above the accuracy when the model is overconfident."""
    scores = [r.topic.score if r.topic else 0.0 for r in results]
    right = [bool(r.topic) and r.topic.label == g for r, g in zip(results, gold)]
    count = len(results) or 1
    return {"mean_confidence": sum(scores) / count, "accuracy": sum(right) / count}


def topic_errors(
    results: list[Result], gold: list[str], texts: Sequence[str]
) -> list[dict[str, Any]]:
    """The records the pipeline got wrong, most confident first (the surprising ones),
    with the two best labels, so a near miss reads apart from a confident mistake."""
    wrong = [
        (r, g, text)
        for r, g, text in zip(results, gold, texts)
        if not r.topic or r.topic.label != g
    ]
    wrong.sort(key=lambda item: -(item[0].topic.score if item[0].topic else 0.0))
    return [
        {
            "id": r.id,
            "gold": g,
            "predicted": r.topic.label if r.topic else f"(failed: {r.error})",
            "score": r.topic.score if r.topic else None,
            "second": _second(r),
            "text": text[:400],
        }
        for r, g, text in wrong[:EXAMPLES]
    ]


def _second(result: Result) -> str:
    if len(result.topics) < 2:
        return ""
    return f"{result.topics[1].label} ({result.topics[1].score:.2f})"


def evaluate_noise(pipeline: Any, path: Path, fields: Fields, baseline: bool) -> Evaluation:
    """Block precision / recall / F1 of "noise" on pages labeled line by line.

    A gold line is noise unless labeled article (or title). Pages whose blocks do not line
    up one-to-one with their lines (the segmenter re-joined hard-wrapped text) are skipped
    and counted, since their blocks have no single gold label.
    """
    records = read_records(path)
    pages = page_lines(records, fields.text, fields.target, path)
    evaluation = Evaluation(
        "noise", str(path), len(records), ("precision", "recall", "f1", "accuracy", "pages_exact")
    )
    texts = text_column(records, fields.text, path)
    results = _timed_run(evaluation, pipeline, texts, _ids(records, fields.id))
    aligned = [
        (labels, r) for (lines, labels), r in zip(pages, results) if len(r.blocks) == len(lines)
    ]
    evaluation.skipped = len(pages) - len(aligned)
    gold = [[label not in KEPT_LABELS for label in labels] for labels, _ in aligned]
    methods = {
        method_name(pipeline.config, "noise"): [[b.noise for b in r.blocks] for _, r in aligned]
    }
    if baseline:
        methods["keep everything"] = [[False] * len(page) for page in gold]
    for name, predicted in methods.items():
        evaluation.rows[name] = block_scores(predicted, gold)
    blocks = [(label, block) for labels, r in aligned for label, block in zip(labels, r.blocks)]
    per_label = Counter(label for label, _ in blocks)
    flagged = Counter(label for label, block in blocks if block.noise)
    evaluation.by_label = {
        label: {"blocks": n, "flagged": flagged[label] / n}
        for label, n in sorted(per_label.items())
    }
    evaluation.examples = [
        {"id": r.id, "block": b.index, "gold": label, "predicted": b.kind, "score": b.score}
        | {"text": b.text[:400]}
        for labels, r in aligned
        for label, b in zip(labels, r.blocks)
        if b.noise != (label not in KEPT_LABELS)
    ][:EXAMPLES]
    evaluation.pages = [
        (r, labels)
        for labels, r in aligned
        if any(b.noise != (label not in KEPT_LABELS) for label, b in zip(labels, r.blocks))
    ][:PAGES]
    return evaluation


def block_scores(predicted: list[list[bool]], gold: list[list[bool]]) -> dict[str, float]:
    """Noise P/R/F1 over all blocks, the share of blocks right and of pages all right."""
    prf = PRF()
    for page_predicted, page_gold in zip(predicted, gold):
        prf.add(page_predicted, page_gold)
    total = sum(len(page) for page in gold)
    wrong = prf.fp + prf.fn
    return {
        "precision": prf.precision,
        "recall": prf.recall,
        "f1": prf.f1,
        "accuracy": (total - wrong) / total if total else 0.0,
        "pages_exact": sum(p == g for p, g in zip(predicted, gold)) / len(gold) if gold else 0.0,
    }


def lead(text: str, count: int = 3) -> str:
    """The first `count` sentences: the lead-N baseline (news puts the key facts first)."""
    return " ".join(split_sentences(text)[:count])


def evaluate_summary(pipeline: Any, path: Path, fields: Fields, baseline: bool) -> Evaluation:
    """ROUGE-1/2/Lsum of the pipeline's summaries against reference summaries.

    Lead-3 takes the first three sentences of the article the pipeline kept, so the two
    rows differ only in how the summary is picked.
    """
    records = read_records(path)
    texts = text_column(records, fields.text, path)
    references = [str(s) for s in column(records, fields.target, path, "--summary-field")]
    evaluation = Evaluation(
        "summary", str(path), len(records), ("rouge1", "rouge2", "rougeLsum", "words")
    )
    results = _timed_run(evaluation, pipeline, texts, _ids(records, fields.id))
    summaries = [r.summary if not r.error else "" for r in results]
    methods = {method_name(pipeline.config, "summary"): summaries}
    if baseline:
        methods["lead-3"] = [lead(r.article or t) for r, t in zip(results, texts)]
    for name, predicted in methods.items():
        scores = rouge_each(predicted, references)
        words = sum(len(p.split()) for p in predicted) / len(predicted)
        evaluation.rows[name] = {**average(scores), "words": words}
        if name == next(iter(methods)):
            evaluation.examples = _worst(results, scores, references)
    return evaluation


def _worst(
    results: list[Result], scores: list[dict[str, float]], references: list[str]
) -> list[dict[str, Any]]:
    """The summaries furthest from their references (lowest ROUGE-1), worst first."""
    order = sorted(range(len(results)), key=lambda i: scores[i]["rouge1"])[:EXAMPLES]
    return [
        {
            "id": results[i].id,
            "rouge1": scores[i]["rouge1"],
            "summary": results[i].summary or f"(failed: {results[i].error})",
            "reference": references[i],
        }
        for i in order
    ]


TASKS = {"topic": evaluate_topic, "noise": evaluate_noise, "summary": evaluate_summary}

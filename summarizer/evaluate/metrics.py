"""Evaluation metrics shared by `summarizer eval`, `bench/` and tests.

Block noise P/R/F1, classification accuracy / macro-F1 / confusion matrix and ROUGE.
Classification metrics are computed here rather than with scikit-learn so the figures
`eval` prints are exactly the ones the tests check by hand, with no extra dependency.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from summarizer.text.sentences import split_sentences

ROUGE_TYPES = ("rouge1", "rouge2", "rougeLsum")
# A sentence end glued to the next sentence ("$10.9bn.For the", 'said."We', "no.”The"), as
# in the BBC reference summaries: a space is put back so the sentence splitter sees two.
# "U.S.Army" is left alone: the full stop must follow a lowercase letter or a digit.
_GLUED_SENTENCES = re.compile(r"(?<=[a-z0-9%)][.!?])(?=[\"“]?[A-Z])|(?<=[.!?][”’])(?=[A-Z])")


@dataclass
class PRF:
    """Precision, recall and F1 of a binary decision (here: "this block is noise")."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: Sequence[bool], gold: Sequence[bool]) -> None:
        if len(predicted) != len(gold):
            raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold labels")
        for p, g in zip(predicted, gold):
            self.tp += p and g
            self.fp += p and not g
            self.fn += g and not p

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Classification:
    """Accuracy, macro-F1, per-class P/R/F1 and the confusion matrix over one label set.

    `labels` fixes the row/column order; `confusion[i][j]` counts records of gold label
    `labels[i]` predicted as `labels[j]`. A prediction outside `labels` (None for a record
    the pipeline failed on) is wrong for its gold class and lands in no column.
    """

    labels: list[str]
    confusion: list[list[int]] = field(init=False)
    gold_counts: list[int] = field(init=False)
    correct: int = 0

    def __post_init__(self) -> None:
        self.confusion = [[0] * len(self.labels) for _ in self.labels]
        self.gold_counts = [0] * len(self.labels)
        self._index = {label: i for i, label in enumerate(self.labels)}

    def add(self, predicted: Sequence[str | None], gold: Sequence[str]) -> None:
        if len(predicted) != len(gold):
            raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold labels")
        for p, g in zip(predicted, gold):
            row = self._index[g]
            self.gold_counts[row] += 1
            self.correct += p == g
            if p in self._index:
                self.confusion[row][self._index[p]] += 1

    @property
    def total(self) -> int:
        return sum(self.gold_counts)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def per_class(self) -> dict[str, PRF]:
        """One-vs-rest counts per label, read off the confusion matrix and gold totals."""
        result = {}
        for i, label in enumerate(self.labels):
            tp = self.confusion[i][i]
            predicted = sum(row[i] for row in self.confusion)
            result[label] = PRF(tp=tp, fp=predicted - tp, fn=self.gold_counts[i] - tp)
        return result

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the labels present in the gold data: a label the data never uses
        would add a meaningless 0 (or 1) to the mean."""
        scores = [prf.f1 for prf, n in zip(self.per_class().values(), self.gold_counts) if n]
        return sum(scores) / len(scores) if scores else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "per_class": {
                label: {"precision": p.precision, "recall": p.recall, "f1": p.f1, "support": n}
                for (label, p), n in zip(self.per_class().items(), self.gold_counts)
            },
            "labels": self.labels,
            "confusion": self.confusion,
        }


def summary_sentences(text: str) -> list[str]:
    """Sentences of a summary, after un-gluing sentence ends that lost their space."""
    return split_sentences(_GLUED_SENTENCES.sub(" ", text))


def rouge_each(predictions: Sequence[str], references: Sequence[str]) -> list[dict[str, float]]:
    """ROUGE-1/2/Lsum F1 of each summary (Porter-stemmed, as in the summarization literature).

    ROUGE-Lsum scores the longest common subsequence sentence by sentence, so both sides
    are split into sentences (one per line) first.
    """
    from rouge_score.rouge_scorer import RougeScorer

    if len(predictions) != len(references):
        raise ValueError(f"{len(predictions)} summaries for {len(references)} references")
    scorer = RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    return [
        {
            name: score.fmeasure
            for name, score in scorer.score(
                "\n".join(summary_sentences(reference)), "\n".join(summary_sentences(prediction))
            ).items()
        }
        for prediction, reference in zip(predictions, references)
    ]


def average(scores: Sequence[dict[str, float]]) -> dict[str, float]:
    """The mean of each figure over records (0.0 for no records)."""
    keys = scores[0] if scores else {}
    return {key: sum(s[key] for s in scores) / len(scores) for key in keys}

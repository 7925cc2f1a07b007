"""Evaluation metrics shared by `bench/` and tests: block noise P/R/F1 and friends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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

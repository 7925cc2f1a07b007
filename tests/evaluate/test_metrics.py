"""Evaluation metrics against values computed by hand on tiny fixtures."""

from __future__ import annotations

import pytest

from summarizer.evaluate.metrics import Classification, average, rouge_each, summary_sentences
from summarizer.evaluate.tasks import block_scores, lead


@pytest.fixture()
def report() -> Classification:
    """gold a a a b b c / predicted a a b b c (failed): worked out in the tests below."""
    result = Classification(["a", "b", "c"])
    result.add(["a", "a", "b", "b", "c", None], ["a", "a", "a", "b", "b", "c"])
    return result


def test_accuracy_counts_a_failed_record_as_wrong(report: Classification) -> None:
    assert report.total == 6
    assert report.accuracy == pytest.approx(3 / 6)


def test_confusion_rows_are_gold_and_columns_predicted(report: Classification) -> None:
    # the failed "c" record lands in no column, so row c sums to 0, not 1
    assert report.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 0]]
    assert report.gold_counts == [3, 2, 1]


def test_per_class_precision_recall_f1(report: Classification) -> None:
    per_class = report.per_class()
    # a: tp 2, fp 0, fn 1 -> P 1, R 2/3, F1 0.8
    assert (per_class["a"].precision, per_class["a"].recall) == (1.0, pytest.approx(2 / 3))
    assert per_class["a"].f1 == pytest.approx(0.8)
    # b: tp 1, fp 1 (an "a" called b), fn 1 (a "b" called c) -> 0.5 all round
    assert (per_class["b"].tp, per_class["b"].fp, per_class["b"].fn) == (1, 1, 1)
    assert per_class["b"].f1 == pytest.approx(0.5)
    # c: tp 0 -> F1 0
    assert per_class["c"].f1 == 0.0


def test_macro_f1_is_the_mean_over_gold_labels(report: Classification) -> None:
    assert report.macro_f1 == pytest.approx((0.8 + 0.5 + 0.0) / 3)
    data = report.to_dict()
    assert data["per_class"]["a"]["support"] == 3
    assert data["labels"] == ["a", "b", "c"]


def test_macro_f1_leaves_out_labels_the_gold_data_never_uses() -> None:
    report = Classification(["x", "y", "unused"])
    report.add(["x", "unused", "y"], ["x", "x", "y"])
    # x: tp 1, fn 1 -> F1 2/3; y: F1 1; "unused" is predicted once but never gold
    assert report.macro_f1 == pytest.approx((2 / 3 + 1.0) / 2)


def test_bbc_summaries_with_glued_sentences_are_split() -> None:
    glued = 'Profits rose to $10.9bn.For the full year, it said."We are pleased," he said.'
    assert summary_sentences(glued) == [
        "Profits rose to $10.9bn.",
        "For the full year, it said.",
        '"We are pleased," he said.',
    ]
    assert summary_sentences("The U.S. Army won.") == ["The U.S. Army won."]


def test_rouge_by_hand() -> None:
    (scores,) = rouge_each(["the cat sat"], ["the cat ran"])
    # unigrams: 2 of 3 on each side -> F1 2/3; bigrams: "the cat" is 1 of 2 -> 0.5; LCS 2
    assert scores["rouge1"] == pytest.approx(2 / 3)
    assert scores["rouge2"] == pytest.approx(0.5)
    assert scores["rougeLsum"] == pytest.approx(2 / 3)


def test_rouge_lsum_scores_sentence_by_sentence() -> None:
    # the reference's glued sentences are split, so each matches its own sentence
    (scores,) = rouge_each(["Rates rose. Shares fell."], ["Shares fell.Rates rose."])
    assert scores["rouge1"] == pytest.approx(1.0)
    assert scores["rougeLsum"] == pytest.approx(1.0)
    assert scores["rouge2"] == pytest.approx(2 / 3)  # "rose shares" vs "fell rates"


def test_average() -> None:
    assert average([{"r": 1.0}, {"r": 0.5}]) == {"r": 0.75}


def test_block_scores_by_hand() -> None:
    gold = [[True, False, False], [True, True]]
    predicted = [[True, True, False], [False, True]]
    scores = block_scores(predicted, gold)
    # tp 2, fp 1, fn 1 -> P = R = F1 = 2/3; 3 of 5 blocks right; no page exactly right
    assert scores["precision"] == pytest.approx(2 / 3)
    assert scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(2 / 3)
    assert scores["accuracy"] == pytest.approx(3 / 5)
    assert scores["pages_exact"] == 0.0
    keep_all = block_scores([[False] * 3, [False] * 2], gold)
    assert (keep_all["recall"], keep_all["f1"], keep_all["accuracy"]) == (0.0, 0.0, 2 / 5)


def test_lead_takes_the_first_sentences() -> None:
    assert lead("One is here. Two is here. Three. Four.") == "One is here. Two is here. Three."
    assert lead("Only one.", 3) == "Only one."

"""The learned block decision: boosted trees over the rules' evidence (`features.py`) decide
article or noise, trained on labeled pages (`summarizer train noise --learned`; the shipped
model on the L3S-GN1 dev pages and composed pages, `bench/l3s_learn.py`). On by default
(`noise.learned: default`), on plain text and HTML.

Why: each rule was tuned on a few sites and the first one that fires decides, so a block of
other stories that reads like the story passes every rule on a site nobody looked at. A
model weighing all the evidence at once, with the page's repeated structure, learns from
pages of many sites what one more rule would learn from one.

It only peels the kept story's edges (`decide`): blocks the rules kept, from the top and
from the bottom, while it gives them under `noise.learned_below`. Allowed to drop kept
blocks anywhere, it lifted article F1 on the L3S pages' sites but cut it by 4-5 points on
the ScrapingHub and trafilatura pages: it dropped lines inside their stories (bench/results/
quality.md, fifth and sixth rounds; the threshold, tenth round). Letting it also restore
flagged blocks leaked more teasers (on-topic headlines above and below the story), so the
rules keep the last word on what they flag. A block it drops takes rule "learned" and
1 - p as its score, a teaser's kind when it is headline-shaped, boilerplate otherwise.

The model is stored as JSON (the trees' arrays, no pickle), so loading it runs no code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from summarizer.errors import UserError
from summarizer.noise.detector import NoiseDetector
from summarizer.noise.features import page_features
from summarizer.segment import Segment
from summarizer.text.lines import is_headline
from summarizer.types import ARTICLE, BOILERPLATE, TEASER, TITLE, Block

FORMAT = "summarizer.noise.boosted_trees/1"
DEFAULT_MODEL = Path(__file__).with_name("block_model.json")
LEARNED = "learned"


@dataclass(frozen=True)
class Tree:
    """One regression tree as arrays: a node goes left when x[feature] <= threshold; a leaf
    (left == -1) adds its value to the log-odds."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        node = np.zeros(len(rows), dtype=np.int64)
        while True:
            inner = self.left[node] != -1
            if not inner.any():
                return self.value[node]
            at = np.nonzero(inner)[0]
            goes_left = rows[at, self.feature[node[at]]] <= self.threshold[node[at]]
            node[at] = np.where(goes_left, self.left[node[at]], self.right[node[at]])


@dataclass(frozen=True)
class BlockModel:
    """Boosted trees giving each block's probability of being the article."""

    features: list[str]
    bias: float
    learning_rate: float
    trees: list[Tree]

    def article_probability(self, names: Sequence[str], rows: np.ndarray) -> np.ndarray:
        """P(article) per row; `names` are the columns of `rows` (`page_features`)."""
        if list(names) != self.features:
            where = {name: i for i, name in enumerate(names)}
            missing = [f for f in self.features if f not in where]
            if missing:
                raise UserError(f"noise.learned: the model reads unknown features {missing}")
            rows = rows[:, [where[f] for f in self.features]]
        logit = np.full(len(rows), self.bias)
        for tree in self.trees:
            logit += self.learning_rate * tree(rows)
        return 1.0 / (1.0 + np.exp(-logit))

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "features": self.features,
            "bias": self.bias,
            "learning_rate": self.learning_rate,
            "trees": [
                {
                    "feature": t.feature.tolist(),
                    "threshold": [round(float(v), 6) for v in t.threshold],
                    "left": t.left.tolist(),
                    "right": t.right.tolist(),
                    "value": [round(float(v), 6) for v in t.value],
                }
                for t in self.trees
            ],
        }

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> BlockModel:
        """A model saved by `save`; a file of another format is a user error."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(f"noise.learned: cannot read a block model from {path}: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise UserError(f"noise.learned: {path} is not a block model ({FORMAT})")
        trees = [
            Tree(
                feature=np.asarray(t["feature"], dtype=np.int64),
                threshold=np.asarray(t["threshold"], dtype=np.float64),
                left=np.asarray(t["left"], dtype=np.int64),
                right=np.asarray(t["right"], dtype=np.int64),
                value=np.asarray(t["value"], dtype=np.float64),
            )
            for t in data["trees"]
        ]
        return cls(
            list(data["features"]),
            float(data["bias"]),
            float(data["learning_rate"]),
            trees,
        )


def fit(
    names: list[str],
    rows: np.ndarray,
    is_article: np.ndarray,
    weights: np.ndarray | None = None,
    trees: int = 200,
    seed: int = 0,
) -> BlockModel:
    """Boosted trees (scikit-learn) fitted to blocks labeled article or not; `weights`
    (e.g. each block's word count) make long blocks count as much as the words they hold."""
    from sklearn.ensemble import GradientBoostingClassifier

    booster = GradientBoostingClassifier(
        n_estimators=trees, max_depth=3, learning_rate=0.1, subsample=0.8, random_state=seed
    )
    booster.fit(rows, is_article.astype(int), sample_weight=weights)
    exported = [
        Tree(
            feature=estimator.tree_.feature.astype(np.int64),
            threshold=estimator.tree_.threshold.astype(np.float64),
            left=estimator.tree_.children_left.astype(np.int64),
            right=estimator.tree_.children_right.astype(np.int64),
            value=estimator.tree_.value[:, 0, 0].astype(np.float64),
        )
        for estimator in booster.estimators_[:, 0]
    ]
    probe = rows[:1]
    summed = sum(tree(probe)[0] for tree in exported)
    bias = float(booster.decision_function(probe)[0] - booster.learning_rate * summed)
    return BlockModel(list(names), bias, booster.learning_rate, exported)


def site_folds(sites: Sequence[str], folds: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) page indices for cross-validation grouped by site: a site's pages are
    all on one side, so the test figures estimate pages of sites the model never saw."""
    from sklearn.model_selection import GroupKFold

    indices = np.arange(len(sites))
    splitter = GroupKFold(n_splits=min(folds, len(set(sites))))
    return list(splitter.split(indices, groups=list(sites)))


class LearnedNoise:
    """The rule-based noise stage with the learned block decision after it."""

    def __init__(self, rules: NoiseDetector, model: BlockModel, drop_below: float) -> None:
        self.rules = rules
        self.model = model
        self.drop_below = drop_below

    def needs_vectors(self, segments: list[Segment]) -> list[bool]:
        """The rules' choice: the features read no vector of a block the rules flagged."""
        return self.rules.needs_vectors(segments)

    def __call__(self, pages: list[list[Segment]], vectors: list[np.ndarray]) -> list[list[Block]]:
        """The rules' blocks, peeled by the model; the trees run once over every block of
        the call (per page, walking them took as long as computing the features)."""
        labelled = self.rules(pages, vectors)
        judged = [(s, b, v) for s, b, v in zip(pages, labelled, vectors) if b]
        if not judged:
            return labelled
        found = [
            page_features(segments, blocks, page_vectors)
            for segments, blocks, page_vectors in judged
        ]
        article = self.model.article_probability(
            found[0][0], np.concatenate([page_rows for _, page_rows in found])
        )
        ends = np.cumsum([len(page_rows) for _, page_rows in found])[:-1]
        for (_, blocks, _), page_article in zip(judged, np.split(article, ends)):
            decide(blocks, page_article, self.drop_below)
        return labelled


def decide(blocks: list[Block], article: np.ndarray, drop_below: float) -> None:
    """Peel the story the rules kept at its edges: walk its blocks from the top, then from
    the bottom, dropping each the model gives under `drop_below` and stopping at the first
    it keeps. The walk also stops at the story's tail (rule "tail": the lines after its
    core up to the first flagged one, where a match report's line-ups or an award list sit;
    the model dropped them on composed pages). The story's most probable block always
    stays, so a page the rules found a story on keeps one. A dropped block becomes noise,
    rule "learned"."""
    kept = [i for i, block in enumerate(blocks) if block.kind in (ARTICLE, TITLE)]
    top = _peel(blocks, kept, article, drop_below)
    bottom = _peel(blocks, kept[len(top) :][::-1], article, drop_below)
    dropped = top + bottom
    if kept and len(dropped) == len(kept):
        dropped.remove(max(kept, key=lambda i: article[i]))
    for i in dropped:
        block = blocks[i]
        block.kind = TEASER if is_headline(block.text) else BOILERPLATE
        block.noise, block.score, block.rule = True, round(1.0 - float(article[i]), 3), LEARNED


def _peel(
    blocks: list[Block], order: list[int], article: np.ndarray, drop_below: float
) -> list[int]:
    """The leading blocks of `order` under `drop_below`, up to the first kept or tail one."""
    run = []
    for i in order:
        if article[i] >= drop_below or blocks[i].rule == "tail":
            break
        run.append(i)
    return run


def load_stage(rules: NoiseDetector, setting: str, drop_below: float) -> LearnedNoise:
    """The stage for `noise.learned`: "default" is the shipped model, else a file path."""
    path = DEFAULT_MODEL if setting == "default" else Path(setting)
    return LearnedNoise(rules, BlockModel.load(path), drop_below)

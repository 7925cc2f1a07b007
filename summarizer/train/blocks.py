"""Training data for the learned block decision (`summarizer.noise.learned`): labeled pages
through the pipeline's own embedding and rules, so the features a model is fitted on are the
ones it reads when it runs (the bench's L3S harness and `summarizer train noise --learned`
both go through here).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summarizer.noise.features import page_features
from summarizer.noise.learned import BlockModel, fit
from summarizer.pipeline import Page, Pipeline, block_means
from summarizer.segment import Segment
from summarizer.text.overlap import tokens
from summarizer.types import Block

BATCH = 16  # pages embedded together, as a `summarizer batch` chunk shares model batches


@dataclass
class PageRows:
    """One page as the rules labelled it, with one feature row per block."""

    blocks: list[Block]
    names: list[str]
    rows: np.ndarray

    @property
    def words(self) -> np.ndarray:
        """Each block's word count (at least 1): the weight of its decision in a BoW score."""
        return np.array([max(1, len(tokens(b.text))) for b in self.blocks], dtype=np.float64)


def rules_features(pipeline: Pipeline, pages: list[list[Segment]]) -> list[PageRows]:
    """Each page's blocks as the pipeline's rules label them, and their features.

    `pipeline` must run the rules alone (`noise.learned` null): the features read the
    rules' evidence, never a learned verdict."""
    out: list[PageRows] = []
    for start in range(0, len(pages), BATCH):
        chunk = [Page(str(i), segments) for i, segments in enumerate(pages[start : start + BATCH])]
        _, vectors = pipeline._embed_blocks(chunk)
        means = [block_means(v) for v in vectors]
        for page, blocks, page_vectors in zip(
            chunk, pipeline.noise([p.segments for p in chunk], means), means
        ):
            names, rows = page_features(page.segments, blocks, page_vectors)
            out.append(PageRows(blocks, names, rows))
    return out


def fit_pages(
    pages: list[PageRows],
    is_article: list[np.ndarray],
    emphasis: list[np.ndarray] | None = None,
    seed: int = 0,
) -> BlockModel:
    """A block model fitted on pages' rows and per-block gold (article or not), each block
    weighted by its words times its `emphasis` (1 where not given: a bench can weigh the
    related-stories blocks it is measured on more)."""
    emphasis = emphasis or [np.ones(len(p.blocks)) for p in pages]
    kept = [(p, gold, e) for p, gold, e in zip(pages, is_article, emphasis) if p.blocks]
    return fit(
        kept[0][0].names,
        np.vstack([p.rows for p, _, _ in kept]),
        np.concatenate([gold for _, gold, _ in kept]),
        np.concatenate([p.words * e for p, _, e in kept]),
        seed=seed,
    )

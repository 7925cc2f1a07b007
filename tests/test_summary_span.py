"""Summaries quote the story's own span (header and core), not every kept block."""

from __future__ import annotations

import copy

import numpy as np

from summarizer.config import SummaryConfig
from summarizer.noise.span import story_blocks
from summarizer.summary.extractive import ExtractiveSummarizer
from summarizer.types import ARTICLE, BOILERPLATE, TEASER, TITLE, Article, Block

STORY = [
    "The defence ministers of South Korea and the United States met in Seoul on Monday for "
    "two days of talks.",
    "They discussed missile defence, the cost of the American troops based in the country "
    "and joint exercises.",
    "Officials said a new framework for the alliance could be signed before the end of the year.",
    "The North has warned that the joint exercises planned for the spring would be answered.",
    "Analysts said the framework would change little in how the allies train their forces.",
]
MENU = ["Home", "World", "Asia", "Politics", "Business", "Sport", "Weather", "Video", "Opinion"]
# on the story's topic, kept by the rules far below it, and more central than any of its
# sentences: the promo a summary of all kept blocks would quote
PROMO = (
    "Defence ministers of South Korea and the United States meet in Seoul for talks on "
    "missile defence and joint exercises."
)


def _block(index: int, rule: str, kind: str = ARTICLE) -> Block:
    return Block(index, f"block {index}", kind=kind, noise=kind != ARTICLE, rule=rule)


def test_the_span_runs_from_the_header_through_the_core() -> None:
    blocks = [
        _block(0, "off_topic", BOILERPLATE),
        _block(1, "header", TITLE),
        _block(2, "header"),
        _block(3, "core"),
        _block(4, "pattern", BOILERPLATE),  # flagged inside the core: left out
        _block(5, "sandwiched"),  # restored inside the core: in
        _block(6, "core"),
        _block(7, "on_topic"),
        _block(8, "off_topic", TEASER),
    ]
    assert story_blocks(blocks) == [2, 3, 5, 6]


def test_no_span_without_a_core() -> None:
    """Noise off, or nothing placed in a core: the summary reads the whole article."""
    assert story_blocks([_block(0, ""), _block(1, "")]) == []
    assert story_blocks([_block(0, "header"), _block(1, "main_content")]) == []


def test_the_extractive_summary_draws_from_the_story_alone() -> None:
    sentences = ["Rates rose.", "Rates rose again.", "Rates rose more than they rose."]
    vectors = np.array([[1, 0.2], [1, -0.2], [1, 0]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    article = Article("", None, sentences, vectors)
    config = SummaryConfig(sentences=1, lead_weight=0.0, lexical_weight=0.0, length_weight=0.0)
    assert ExtractiveSummarizer(config)([article])[0].text == sentences[2]  # the most central
    article.story = Article("", None, sentences[:2], vectors[:2])
    assert ExtractiveSummarizer(config)([article])[0].text in sentences[:2]


def test_a_central_promo_below_the_story_stays_in_the_article_but_not_the_summary(
    pipeline,
) -> None:
    [result] = pipeline("\n".join(["Talks in Seoul", *STORY, *MENU, PROMO]))

    promo = result.blocks[-1]
    assert promo.kind == ARTICLE and promo.rule == "on_topic"
    assert PROMO in result.article
    assert "meet in Seoul" not in result.summary
    assert result.summary.startswith(STORY[0])


class _RestoredCore:
    """A noise stage whose core block was flagged before embedding and then restored (so it
    has no sentence vectors), with an embedded on-topic block below it."""

    def needs_vectors(self, segments: list) -> list[bool]:
        return [False, True]

    def __call__(self, pages: list, vectors: list) -> list[list[Block]]:
        return [
            [
                Block(0, segments[0].text, rule="core"),
                Block(1, segments[1].text, rule="on_topic"),
            ]
            for segments in pages
        ]


def test_a_span_with_no_embedded_sentence_leaves_the_summary_to_the_whole_article(
    pipeline,
) -> None:
    restored = copy.copy(pipeline)
    restored.noise = _RestoredCore()
    [result] = restored("\n".join(STORY[:2]))
    assert result.summary == STORY[1]

"""Summary and topic stages on hand-made vectors (no model): what each mechanism does."""

from __future__ import annotations

import numpy as np

from summarizer.config import SummaryConfig, TopicConfig
from summarizer.summary.extractive import ExtractiveSummarizer, lexical_centrality, summary_length
from summarizer.topic import prototypes
from summarizer.topic.embedding import EmbeddingClassifier
from summarizer.topic.prototypes import Prototypes
from summarizer.types import Article


class TableEmbedder:
    """Looks texts up in a dict of vectors, so tests control every cosine."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.array([self.table[t] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_summary_length_ratio_wins_over_count() -> None:
    assert summary_length(SummaryConfig(sentences=3), 10) == 3
    assert summary_length(SummaryConfig(ratio=0.42), 10) == 5
    assert summary_length(SummaryConfig(sentences=5), 2) == 2


def test_lexical_centrality_prefers_the_sentence_sharing_the_articles_words() -> None:
    sentences = [
        "The central bank raised interest rates again.",
        "Interest rates at the central bank rose to five percent.",
        "Weather was sunny.",
    ]
    scores = lexical_centrality(sentences)
    assert scores[1] > scores[2] and scores[0] > scores[2]


def test_extractive_keeps_article_order_and_central_sentences() -> None:
    sentences = ["Odd one out.", "Rates rose.", "Rates rose again.", "Rates rose more."]
    vectors = np.array([[0, 1], [1, 0.1], [1, 0], [1, -0.1]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    config = SummaryConfig(sentences=2, lead_weight=0.0, lexical_weight=0.0)
    summary = ExtractiveSummarizer(config)([Article("", None, sentences, vectors)])[0].text
    assert summary == "Rates rose. Rates rose again."


def test_length_prior_prefers_a_summary_length_sentence_over_a_rambling_one() -> None:
    rambling = " ".join(["The minister said the talks had gone well"] * 7) + "."
    crisp = "The minister said talks with the allies on missile defence had gone well today."
    vectors = np.ones((2, 2), dtype=np.float32) / np.sqrt(2)  # equally central
    article = Article("", None, [rambling, crisp], vectors)
    flat = SummaryConfig(sentences=1, lead_weight=0.0, lexical_weight=0.0, length_weight=0.0)
    assert ExtractiveSummarizer(flat)([article])[0].text == rambling  # a tie: first one
    prior = SummaryConfig(sentences=1, lead_weight=0.0, lexical_weight=0.0, length_weight=0.1)
    assert ExtractiveSummarizer(prior)([article])[0].text == crisp


def _classifier(saved: Prototypes | None = None) -> EmbeddingClassifier:
    table = {
        "This news article is about sport.": [1, 0],
        "This news article is about money.": [0, 1],
    }
    config = TopicConfig(
        labels={"sport": "sport", "money": "money"},
        templates=["This news article is about {}."],
    )
    return EmbeddingClassifier(TableEmbedder(table), config, saved)


def _articles(directions: list[list[float]]) -> list[Article]:
    vectors = np.array(directions, dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return [Article("", None, ["s"], v[None, :]) for v in vectors]


def test_topics_score_every_label_and_sum_to_one() -> None:
    ranked = _classifier()(_articles([[0.9, 0.1]]))[0]
    assert [t.label for t in ranked] == ["sport", "money"]
    assert abs(sum(t.score for t in ranked) - 1) < 1e-3


def test_adapted_prototypes_move_toward_the_documents_and_not_per_call() -> None:
    # Sport documents sit at an angle to the description; one ambiguous document leans on
    # the raw descriptions to "money" but is closest to the sport cluster.
    sport = [[1.0, 0.6]] * 6
    money = [[0.0, 1.0]] * 6
    ambiguous = [[0.55, 0.6]]
    articles = _articles(sport + money + ambiguous)
    plain = _classifier()
    assert plain(articles)[-1][0].label == "money"  # many documents in one call: no adapting
    documents = plain.document_vectors(articles)
    refined = prototypes.refine(documents, plain.label_vectors(), weight=0.5)
    adapted = _classifier(Prototypes({"sport": "sport", "money": "money"}, refined))
    assert adapted(articles)[-1][0].label == "sport"
    assert adapted(articles[-1:]) == adapted(articles)[-1:]  # alone or among others

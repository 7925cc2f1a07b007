"""Summary and topic stages on hand-made vectors (no model): what each mechanism does."""

from __future__ import annotations

import time

import numpy as np

from summarizer.config import SummaryConfig, TopicConfig
from summarizer.pipeline import embed_sentences
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


class NumberEmbedder:
    """Embeds "s17" as [17.0], so a vector says which sentence it came from."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return np.array([[float(t[1:])] for t in texts], dtype=np.float32).reshape(-1, 1)


def nearest(position: int, sampled: list[int]) -> float:
    return float(min(sampled, key=lambda s: (abs(s - position), s)))


def test_a_huge_block_is_embedded_through_an_even_sample_of_its_sentences() -> None:
    long_block = [f"s{i}" for i in range(1000)]
    page = [["s1000"], long_block, ["s1001", "s1002"]]
    embedder = NumberEmbedder()
    vectors = embed_sentences(embedder, [page], per_block=10)[0]
    sampled = [0, 111, 222, 333, 444, 555, 666, 777, 888, 999]
    assert embedder.seen == ["s1000", *(f"s{i}" for i in sampled), "s1001", "s1002"]
    assert [v.shape for v in vectors] == [(1, 1), (1000, 1), (2, 1)]  # every sentence has one
    assert vectors[1][:, 0].tolist() == [nearest(i, sampled) for i in range(1000)]
    assert vectors[2][:, 0].tolist() == [1001.0, 1002.0]


def test_a_page_of_too_many_sentences_is_sampled_across_its_blocks() -> None:
    page = [[f"s{i}"] for i in range(100)]  # 100 one-line blocks
    embedder = NumberEmbedder()
    vectors = embed_sentences(embedder, [page, [["s7"]]], per_page=5)
    assert embedder.seen == ["s0", "s25", "s50", "s74", "s99", "s7"]
    assert [float(v[0, 0]) for v in vectors[0]][24:27] == [25.0, 25.0, 25.0]
    assert vectors[1][0].tolist() == [[7.0]]
    embedder.seen.clear()
    assert len(embed_sentences(embedder, [page])[0]) == 100 and len(embedder.seen) == 100


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


def test_lexical_centrality_of_a_huge_article_takes_linear_time() -> None:
    sentences = [f"Talks w{i} went on with w{i + 1} and w{i + 2} today." for i in range(10_000)]
    started = time.perf_counter()
    scores = lexical_centrality(sentences)
    assert time.perf_counter() - started < 10  # summing the counts by copying: minutes
    assert scores.shape == (10_000,) and scores[0] < scores[5_000]  # "w0" is in one sentence


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

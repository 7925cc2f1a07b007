"""Model calls in batch runs: one encode call per list of documents, each distinct text
once, results independent of batching, and a GPU out-of-memory error halving the batch."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from summarizer.models.batching import (
    Batcher,
    BatchLimits,
    halving_on_oom,
    plan_batches,
    unique_texts,
)
from summarizer.models.embedder import Embedder
from summarizer.text.sentences import split_sentences


class MemoryHungryModel:
    """Embeds a text as [len(text), 1]; runs out of GPU memory above `fits` texts a batch.

    Its tokenizer counts words, so tests can reason about token budgets.
    """

    max_seq_length = 256

    def __init__(self, fits: int) -> None:
        self.fits = fits
        self.batches: list[list[str]] = []

    def tokenizer(self, texts: list[str], **_: object) -> dict[str, list[list[int]]]:
        return {"input_ids": [[0] * len(t.split()) for t in texts]}

    def get_sentence_embedding_dimension(self) -> int:
        return 2

    def encode(self, texts: list[str], batch_size: int, **_: object) -> np.ndarray:
        import torch

        assert batch_size == len(texts)  # the Embedder cuts the batches itself
        self.batches.append(list(texts))
        if len(texts) > self.fits:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


def test_batches_are_length_sorted_and_capped_in_texts_and_padded_tokens() -> None:
    lengths = np.array([5, 50, 10, 40, 10])
    batches = plan_batches(lengths, BatchLimits(texts=3, tokens=100))
    assert [b.tolist() for b in batches] == [[1, 3], [2, 4, 0]]
    assert [b.tolist() for b in plan_batches(lengths, BatchLimits(2))] == [[1, 3], [2, 4], [0]]
    assert [b.tolist() for b in plan_batches(np.array([300]), BatchLimits(8, 100))] == [[0]]


def test_each_batch_reports_how_many_texts_are_done() -> None:
    """What moves `batch`'s progress bar inside a chunk; after an OOM the count restarts."""
    heard: list[tuple[int, int]] = []
    batcher = Batcher(BatchLimits(2), lambda texts: [len(t) for t in texts])
    batcher.on_batch = lambda done, total: heard.append((done, total))
    assert batcher(lambda batch: [t.upper() for t in batch], list("abcde")) == list("ABCDE")
    assert heard == [(2, 5), (4, 5), (5, 5)]
    heard.clear()
    model = MemoryHungryModel(fits=2)
    embedder = Embedder(model, batch_size=4)
    embedder.batches.on_batch = lambda done, total: heard.append((done, total))
    embedder.encode(["a b", "c d e", "f", "g h i j"])
    assert heard == [(2, 4), (4, 4)]  # the 4-text batch failed before it reported


def test_out_of_memory_halves_the_batch_and_keeps_the_smaller_size(
    caplog: pytest.LogCaptureFixture,
) -> None:
    model = MemoryHungryModel(fits=16)
    embedder = Embedder(model, batch_size=64, batch_tokens=1000)
    texts = [f"text number {i} " * (i % 3 + 1) for i in range(40)]
    vectors = embedder.encode(texts)
    assert vectors[:, 0].tolist() == [len(t) for t in texts]
    assert [len(b) for b in model.batches] == [40, 32, 16, 16, 8]
    assert embedder.limits == BatchLimits(16, 250)
    assert "out of memory at 64 texts / 1000 tokens per batch; retrying with 32" in caplog.text
    model.batches.clear()
    embedder.encode(texts)
    assert [len(b) for b in model.batches] == [16, 16, 8]  # the size that fitted is kept


def test_out_of_memory_at_one_text_per_batch_and_other_errors_are_raised() -> None:
    import torch

    with pytest.raises(torch.OutOfMemoryError):
        Embedder(MemoryHungryModel(fits=0), batch_size=4).encode(["a", "b"])

    def broken(limits: BatchLimits) -> None:
        raise RuntimeError("shape mismatch")

    with pytest.raises(RuntimeError, match="shape mismatch"):
        halving_on_oom(broken, BatchLimits(8))


def test_the_per_shape_kernel_cache_is_off_unless_the_user_sized_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", raising=False)
    Embedder(MemoryHungryModel(fits=1), batch_size=4)
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "0"
    monkeypatch.setenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "256")
    Embedder(MemoryHungryModel(fits=1), batch_size=4)
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "256"


def test_each_distinct_text_is_encoded_once() -> None:
    unique, positions = unique_texts(["share", "a", "share", "b", "a"])
    assert unique == ["share", "a", "b"] and positions.tolist() == [0, 1, 0, 2, 1]
    model = MemoryHungryModel(fits=64)
    vectors = Embedder(model, batch_size=8).encode(["share this", "x", "share this"])
    assert model.batches == [["share this", "x"]]
    assert vectors[:, 0].tolist() == [10, 1, 10]


@pytest.mark.slow
def test_all_sentences_of_a_list_of_documents_are_embedded_together(
    pipeline, data_dir: Path
) -> None:
    """Cross-document batching: every sentence of every page goes to the model together."""
    with (data_dir / "pages_bbc_dev.jsonl").open() as handle:
        pages = [json.loads(next(handle)) for _ in range(3)]
    texts, ids = [p["text"] for p in pages], [p["id"] for p in pages]
    pipeline(texts[:1])  # warm up: label embeddings are computed once and cached
    embedder, model = pipeline.embedder, pipeline.embedder.model
    calls: list[list[int]] = []  # per Embedder.encode call: the model's batch sizes
    encode, forward = embedder.encode, model.encode

    def counting_encode(inputs: list[str]) -> np.ndarray:
        calls.append([len(inputs)])
        return encode(inputs)

    def counting_forward(inputs: list[str], **kwargs: object) -> np.ndarray:
        calls[-1].append(len(inputs))
        return forward(inputs, **kwargs)

    embedder.encode, model.encode = counting_encode, counting_forward
    try:
        together = pipeline(texts, ids)
    finally:
        del embedder.encode, model.encode
    segments = [pipeline.segment("x", t).segments for t in texts]
    needed = [  # blocks the rules leave to the model (teasers, bylines are not embedded)
        seg.text
        for page in segments
        for seg, need in zip(page, pipeline.noise.needs_vectors(page))
        if need
    ]
    assert 0 < len(needed) < sum(len(page) for page in segments)
    sentences = [s for text in needed for s in split_sentences(text) or [text]]
    assert len(calls) <= 2  # all sentences of all pages, then at most the pages' titles
    asked, *batches = calls[0]
    assert asked == len(sentences)  # one call for every needed sentence of every page
    assert sum(batches) == len(set(sentences))  # each distinct sentence through the model once
    for page_text, page_id, batched in zip(texts, ids, together):
        alone = pipeline([page_text], [page_id])[0]
        assert (batched.id, batched.summary, batched.topic.label) == (
            alone.id,
            alone.summary,
            alone.topic.label,
        )
        assert batched.topic.score == pytest.approx(alone.topic.score, abs=1e-3)


def test_every_model_backend_batches_through_one_batcher_that_halves_on_oom() -> None:
    """The NLI, classifier, noise, seq2seq and chat backends share the embedder's batcher:
    results in input order, halved batches after an out-of-memory error, kept after."""
    import torch

    seen: list[int] = []

    def generate(texts: list[str]) -> list[str]:
        seen.append(len(texts))
        if len(texts) > 3:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return [text.upper() for text in texts]

    batches = Batcher(BatchLimits(8))
    texts = [f"page {i} " * (i % 4 + 1) for i in range(10)]
    assert batches(generate, texts) == [t.upper() for t in texts]
    assert batches.limits == BatchLimits(2) and seen[:2] == [8, 4]
    seen.clear()
    batches(generate, texts)
    assert seen == [2, 2, 2, 2, 2]

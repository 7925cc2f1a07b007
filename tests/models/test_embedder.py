"""The embedder runs in the pipeline's dtype (bf16 on a GPU by default) and still hands
float32 unit vectors to the noise, summary and topic stages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from tiny_models import build_tiny_sentence_transformer

from summarizer.config import load_config
from summarizer.models.embedder import Embedder, load_embedder


@pytest.fixture(scope="module")
def st_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_sentence_transformer(tmp_path_factory.mktemp("st") / "st")


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_the_embedder_loads_in_the_placement_dtype(st_dir: Path, dtype: str) -> None:
    config = load_config(None, [f"embedding.model={st_dir}", "embedding.backend=torch"])
    model = load_embedder(config, "cpu", dtype)
    assert next(model.parameters()).dtype == getattr(torch, dtype)
    vectors = Embedder(model, batch_size=8).encode(["council budget vote", "army drill"])
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


def test_a_pipeline_hands_its_dtype_to_the_embedder(st_dir: Path) -> None:
    from summarizer.pipeline import Pipeline

    overrides = [f"embedding.model={st_dir}", "embedding.backend=torch", "dtype=bfloat16"]
    pipeline = Pipeline(load_config(None, [*overrides, "device=cpu"]))
    assert next(pipeline.embedder.model.parameters()).dtype == torch.bfloat16


def test_a_pipeline_reports_the_share_of_its_embedding_done(st_dir: Path) -> None:
    from summarizer.pipeline import Pipeline

    config = [f"embedding.model={st_dir}", "embedding.backend=torch", "batch_size=2"]
    pipeline = Pipeline(load_config(None, [*config, "device=cpu"]))
    heard: list[float] = []
    pipeline.progress = heard.append
    page = "The council met on Monday. It voted on the budget. The mayor spoke. Rain fell."
    pipeline([page])
    calls, share = [], 1.0  # each embedding call (sentences, then label texts) from 0 to 1
    for heard_share in heard:
        calls += [[]] if share == 1.0 else []
        calls[-1].append(heard_share)
        share = heard_share
    assert len(calls) >= 1 and all(c == sorted(c) and c[-1] == 1.0 for c in calls)
    assert max(len(c) for c in calls) >= 2  # batch_size 2: a call in several steps

"""The ONNX Runtime embedder: exported from the embedded model once per test session (into a
temp cache), close to torch's vectors, rebuilt from a corrupt cache, one error line for a
model it cannot run, and the same noise flags as torch end to end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_checks import one_error
from tiny_models import build_tiny_sentence_transformer

from summarizer.config import load_config
from summarizer.models.embedder import Embedder, load_embedder

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SENTENCES = [
    "Nordic air forces flew joint patrols over the Baltic Sea on Tuesday.",
    "Share this article",
    "Sign up for our free daily newsletter.",
    "Prices rose by 3% in March, the statistics office said.",
    "The minister said talks would resume after the summit in Brussels ended without a deal.",
]


def onnx_settings(cache: Path, quantize: str = "int8") -> list[str]:
    return [
        "embedding.backend=onnx",
        f"embedding.quantize={quantize}",
        f"embedding.onnx_cache={cache}",
    ]


@pytest.fixture(scope="session")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache holding the embedded model exported as float32 and as int8 (once)."""
    cache = tmp_path_factory.mktemp("onnx")
    for quantize in ("none", "int8"):
        load_embedder(load_config(None, onnx_settings(cache, quantize)), "cpu")
    return cache


def vectors(settings: list[str]) -> np.ndarray:
    model = load_embedder(load_config(None, settings), "cpu")
    return Embedder(model, batch_size=2).encode(SENTENCES)


@pytest.mark.parametrize("quantize", ["none", "int8"])
def test_onnx_vectors_are_close_to_torch(onnx_cache: Path, quantize: str) -> None:
    reference = vectors(["embedding.backend=torch"])
    fast = vectors(onnx_settings(onnx_cache, quantize))
    assert fast.shape == reference.shape
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    assert (fast * reference).sum(axis=1).min() > (0.9999 if quantize == "none" else 0.98)


def test_a_second_load_uses_the_cache(onnx_cache: Path, capsys: pytest.CaptureFixture) -> None:
    entries = sorted(p.name for p in onnx_cache.iterdir())
    assert len(entries) == 2 and {e.split("-")[1] for e in entries} == {"none", "int8"}
    fresh = onnx_cache.parent / "copy"
    shutil.copytree(onnx_cache, fresh)
    load_embedder(load_config(None, onnx_settings(fresh)), "cpu")
    assert "exporting" not in capsys.readouterr().err


def test_a_corrupt_cache_is_exported_again(onnx_cache: Path, tmp_path: Path, capsys) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(onnx_cache, cache)
    entry = next(p for p in cache.iterdir() if "-int8-" in p.name)
    (entry / "model.onnx").write_bytes(b"not a model")
    model = load_embedder(load_config(None, onnx_settings(cache)), "cpu")
    assert "exporting all-MiniLM-L6-v2 to ONNX (int8) once" in capsys.readouterr().err
    assert Embedder(model, batch_size=8).encode(SENTENCES).shape == (len(SENTENCES), 384)


def test_a_model_onnx_cannot_run_is_one_error_line(cli, tmp_path: Path) -> None:
    folder = build_tiny_sentence_transformer(tmp_path / "cls-pooled")
    pooling = folder / "1_Pooling" / "config.json"
    settings = json.loads(pooling.read_text())
    settings["pooling_mode"] = "cls"
    pooling.write_text(json.dumps(settings))
    page = str(REPO / "examples" / "nordic_air_patrols.txt")
    sets = [f"embedding.model={folder}", *onnx_settings(tmp_path / "cache")]
    result = cli("run", page, *(arg for s in sets for arg in ("--set", s)))
    message = one_error(result, 2)
    assert "embedding.backend: onnx cannot run" in message and "pools by cls" in message


def test_int8_with_torch_is_refused(cli) -> None:
    result = cli("models", "--set", "embedding.backend=torch", "--set", "embedding.quantize=int8")
    assert "int8 needs backend onnx" in one_error(result, 2)


def test_models_shows_the_runtime_and_cache(cli, onnx_cache: Path) -> None:
    result = cli("models", *(arg for s in onnx_settings(onnx_cache) for arg in ("--set", s)))
    assert result.exit_code == 0, result.output
    assert f"embedding runtime: onnx int8; onnx cache {onnx_cache}" in result.stdout
    assert "(cached)" in result.stdout


def test_the_pipeline_on_onnx_flags_the_same_noise(pipeline, onnx_cache: Path) -> None:
    from summarizer import Pipeline

    text = (REPO / "examples" / "nordic_air_patrols.txt").read_text(encoding="utf-8")
    onnx = Pipeline.from_config(
        {"device": "cpu", "embedding": {"backend": "onnx", "onnx_cache": str(onnx_cache)}}
    )
    [fast], [reference] = onnx(text), pipeline(text)
    assert [b.noise for b in fast.blocks] == [b.noise for b in reference.blocks]
    assert fast.topic.label == reference.topic.label


@pytest.mark.parametrize(
    ("settings", "device", "expected"),
    [
        (["embedding.backend=auto"], "cpu", ("onnx", "int8")),
        (["embedding.backend=auto"], "cuda", ("torch", "none")),
        (["embedding.backend=onnx", "embedding.quantize=none"], "cuda", ("onnx", "none")),
        ([], "cpu", ("torch", "none")),
    ],
)
def test_auto_picks_onnx_int8_on_a_cpu_only(settings, device, expected) -> None:
    from summarizer.models.embedder import embedding_runtime

    assert embedding_runtime(load_config(None, settings), device) == expected


def test_int8_on_a_gpu_under_auto_is_a_config_error() -> None:
    from summarizer.errors import ConfigError
    from summarizer.models.embedder import embedding_runtime

    config = load_config(None, ["embedding.backend=auto", "embedding.quantize=int8"])
    with pytest.raises(ConfigError, match="int8 needs embedding.backend: onnx"):
        embedding_runtime(config, "cuda")


def test_run_on_onnx_and_a_cpu_never_imports_torch(onnx_cache: Path, tmp_path: Path) -> None:
    """The cold-start gain: ONNX Runtime and the tokenizer import in a fraction of torch's
    time, so `summarizer run --device cpu` on the ONNX path leaves torch out."""
    page = tmp_path / "page.txt"
    page.write_text("The council met on Monday. It voted on the budget.\nShare this article\n")
    overrides = [arg for s in onnx_settings(onnx_cache) for arg in ("--set", s)]
    script = (
        "import sys\nfrom summarizer.cli import app\n"
        "try:\n    app(sys.argv[1:], prog_name='summarizer')\nexcept SystemExit as done:\n"
        "    print('torch' in sys.modules, done.code, file=sys.stderr)\n"
    )
    args = ["run", str(page), "--device", "cpu", "--format", "text", *overrides]
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=300
    )
    assert result.stderr.strip().splitlines()[-1] == "False 0", result.stderr

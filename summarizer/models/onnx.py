"""The ONNX Runtime forward pass of the sentence embedder: on a CPU, dynamic int8 is about
twice as fast as torch float32 at a cosine of ~0.99 to its vectors (bench/results/throughput.md).

The transformer of the configured checkpoint is exported once with `torch.onnx.export`
(input_ids, attention_mask, token_type_ids -> last hidden state, dynamic batch and sequence
axes), optionally quantized with `onnxruntime.quantization.quantize_dynamic`, and cached on
disk under a key made of the checkpoint's content hash and the settings; later runs load
the cache with the tokenizer saved beside it and never touch torch for embedding. Mean
pooling over the attention mask and unit length are done here in numpy, as the torch path
does them. torch, transformers and onnxruntime are imported inside functions.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from summarizer.errors import ConfigError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the export or the files in a cache entry change
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_HASHED_SUFFIXES = {".json", ".txt", ".safetensors", ".bin", ".model"}
_SKIPPED_DIRS = {"onnx", "openvino", ".git"}


def default_cache_dir() -> Path:
    """~/.cache/summarizer/onnx, or under $XDG_CACHE_HOME when it is set."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "summarizer" / "onnx"


def checkpoint_hash(folder: str | Path) -> str:
    """sha256 over the names and bytes of the files a checkpoint loads from (weights,
    configs, tokenizer): a retrained or replaced checkpoint gets a new cache entry, a
    moved one keeps its entry."""
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix not in _HASHED_SUFFIXES or _SKIPPED_DIRS & set(relative.parts[:-1]):
            continue
        digest.update(str(relative.as_posix()).encode() + b"\0")
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()[:20]


def cache_entry(cache_dir: Path, content_hash: str, quantize: str) -> Path:
    """The folder one (checkpoint, quantization, onnxruntime version) is cached in."""
    import onnxruntime

    return cache_dir / f"{content_hash}-{quantize}-ort{onnxruntime.__version__}-v{FORMAT}"


class OnnxEmbeddingModel:
    """The transformer as an ONNX Runtime session, with the checkpoint's tokenizer.

    Answers the part of the SentenceTransformer interface `Embedder` uses (`encode`,
    `tokenizer`, `max_seq_length`, `get_sentence_embedding_dimension`), so batching,
    de-duplication and everything downstream are the same whatever the backend.
    """

    def __init__(self, entry: Path, max_seq_length: int) -> None:
        import onnxruntime as ort
        from transformers import PreTrainedTokenizerFast  # AutoTokenizer would import torch

        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        self.session = ort.InferenceSession(
            str(entry / "model.onnx"), providers=["CPUExecutionProvider"]
        )
        self.tokenizer = PreTrainedTokenizerFast.from_pretrained(str(entry))
        self.dimension = int(meta["dimension"])
        self.max_seq_length = max_seq_length
        self.entry = entry
        self._inputs = {i.name for i in self.session.get_inputs()}

    def get_sentence_embedding_dimension(self) -> int:
        return self.dimension

    def encode(self, texts: list[str], **_: Any) -> np.ndarray:
        """Unit-length mean-pooled vectors of `texts`, one batch (the Embedder batches)."""
        encoded = self.tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_seq_length,
            return_tensors="np",
        )
        wanted = [name for name in INPUTS if name in self._inputs and name in encoded]
        feed = {name: encoded[name].astype(np.int64) for name in wanted}
        if "token_type_ids" in self._inputs and "token_type_ids" not in encoded:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
        hidden = self.session.run(None, feed)[0]
        mask = encoded["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def exportable(model: SentenceTransformer) -> str | None:
    """Why the ONNX path cannot reproduce `model`'s embeddings, or None when it can: it
    reproduces a transformer followed by mean pooling (and normalisation), nothing else."""
    modules = [type(m).__name__ for m in model]
    if modules[:2] != ["Transformer", "Pooling"] or set(modules[2:]) - {"Normalize"}:
        return f"its modules are {' -> '.join(modules)}, not Transformer -> Pooling (mean)"
    pooling = getattr(model[1], "pooling_mode", None) or model[1].get_pooling_mode_str()
    if pooling != "mean":  # sentence-transformers 5 has only get_pooling_mode_str()
        return f"it pools by {pooling}, and the ONNX path pools by mean"
    if not hasattr(model[0], "auto_model"):
        return "its Transformer module holds no Hugging Face model"
    return None


def export(model: SentenceTransformer, entry: Path, quantize: str, limit: int | None) -> None:
    """Export `model`'s transformer (and quantize it) into `entry`, atomically: the files
    are written in a temporary folder beside it and moved in place last, so a crash leaves
    no half-written entry behind."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=entry.parent))
    try:
        with quiet_export():
            _export_files(model, work, quantize, limit)
        shutil.rmtree(entry, ignore_errors=True)
        try:
            work.rename(entry)
        except OSError:  # another process exported the same entry meanwhile: use theirs
            if not (entry / "meta.json").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def quiet_export() -> Iterator[None]:
    """Hide the tracer's warnings (about shapes it records, which the dynamic axes free)
    and the quantizer's advice on the root logger: the user sees one progress line."""
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(logging.NOTSET)


def _export_files(model: SentenceTransformer, work: Path, quantize: str, limit: int | None) -> None:
    """model.onnx, the tokenizer and meta.json, written into `work`."""
    _export_transformer(model, work / "fp32.onnx")
    if quantize == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Per-channel weights keep the cosine to fp32 at ~0.99 (per-tensor: ~0.95).
        quantize_dynamic(
            work / "fp32.onnx",
            work / "model.onnx",
            per_channel=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
        )
        (work / "fp32.onnx").unlink()
    else:
        (work / "fp32.onnx").rename(work / "model.onnx")
    model.tokenizer.save_pretrained(str(work))
    meta = {"dimension": model.get_sentence_embedding_dimension(), "position_limit": limit}
    (work / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def _export_transformer(model: SentenceTransformer, path: Path) -> None:
    """`torch.onnx.export` of the transformer's forward, keyword arguments in, last hidden
    state out (transformers 5 models take more positional arguments than these three)."""
    import torch

    transformer = model[0].auto_model.float().eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = model.tokenizer(["a sentence", "another, longer sentence"], padding=True)
    args = tuple(
        torch.tensor(sample.get(name, np.zeros_like(sample["input_ids"])), dtype=torch.long)
        for name in INPUTS
    )
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, "last_hidden_state")}
    with torch.no_grad():
        torch.onnx.export(
            LastHiddenState().cpu(),
            args,
            str(path),
            input_names=list(INPUTS),
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )


def load_cached(entry: Path, max_seq_length: int) -> OnnxEmbeddingModel | None:
    """The cached model in `entry`, or None when there is none or it does not load (a
    corrupt or half-copied file): the caller exports it again instead of crashing."""
    if not (entry / "meta.json").is_file():
        return None
    try:
        return OnnxEmbeddingModel(entry, max_seq_length)
    except Exception as exc:  # onnxruntime raises its own types for a damaged file
        log.warning("ONNX cache %s does not load (%s); exporting it again", entry, exc)
        return None


def position_limit_of(entry: Path) -> int | None:
    """The position limit recorded when `entry` was exported."""
    meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    return meta.get("position_limit")


@contextmanager
def exporting(name: str, quantize: str, entry: Path) -> Iterator[None]:
    """The progress line a first use prints on stderr (an export takes ~10 s), and its time."""
    print(f"exporting {name} to ONNX ({quantize}) once, into {entry} ...", file=sys.stderr)
    started = time.perf_counter()
    yield
    print(f"exported in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def export_failed(name: str, reason: str) -> ConfigError:
    """The one-line error for a checkpoint the ONNX path cannot run."""
    return ConfigError(
        f"embedding.backend: onnx cannot run {name!r}: {reason}; "
        "set embedding.backend: torch for this model"
    )

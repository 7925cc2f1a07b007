"""Label prototypes adapted to a corpus: computed once, saved, and reused by every run.

The embedding backend scores an article by its cosine to each label's prototype. Refining
the prototypes on unlabeled documents of the collection (a soft k-means seeded by the
label descriptions) lifts macro-F1 by several points on news sets, but refined on
whatever documents share a call it made a record depend on its neighbours (chunk size,
input order, where a run resumed). So the refinement is a step of its own: it runs on a
deterministic sample of a corpus (`summarizer.batch.adapt`: chosen by a hash of each
text, so the input's order and chunking do not matter), and its result is a folder
(`save`) that `topic.prototypes` names and `load` checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from summarizer.errors import ConfigError, UserError
from summarizer.models.embedder import unit
from summarizer.models.resolve import resolve_model

PROTOTYPES_FILE = "prototypes.json"
SNIPPET_FILE = "summarizer.yaml"
ROUNDS = 5
SHARPNESS = 0.02  # softmax temperature of the soft assignments while refining
FORMAT = 1


@dataclass
class Prototypes:
    """Refined label prototypes (unit rows, in `labels` order) and where they came from.

    `facts` records the corpus, sample and config they were adapted with; `origin` is the
    one line a batch summary or an eval report shows.
    """

    labels: dict[str, str]
    vectors: np.ndarray
    facts: dict[str, Any] = field(default_factory=dict)
    origin: str = ""


def refine(documents: np.ndarray, label_vectors: np.ndarray, weight: float) -> np.ndarray:
    """Prototypes refined on `documents` (unit rows): each round, a label's prototype is
    the soft-assignment-weighted mean of the documents, the assignments scored with the
    prototypes blended with the descriptions at `weight` (as `EmbeddingClassifier` scores).
    The result is float32, so saving and loading it changes nothing."""
    cosines = documents @ label_vectors.T
    scores = cosines
    prototypes = label_vectors
    for _ in range(ROUNDS):
        logits = (scores - scores.max(axis=1, keepdims=True)) / SHARPNESS
        assignment = np.exp(logits)
        assignment /= assignment.sum(axis=1, keepdims=True)
        prototypes = unit(assignment.T @ documents)
        scores = weight * (documents @ prototypes.T) + (1 - weight) * cosines
    return prototypes.astype(np.float32)


def save(folder: Path, prototypes: Prototypes) -> str:
    """Write the prototypes and the `summarizer.yaml` snippet that uses them; return the
    snippet's text."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "format": FORMAT,
        "labels": prototypes.labels,
        "vectors": prototypes.vectors.astype(np.float32).tolist(),
        **prototypes.facts,
    }
    partial = folder / (PROTOTYPES_FILE + ".partial")  # a kill mid-write leaves no bad file
    partial.write_text(json.dumps(data) + "\n", encoding="utf-8")
    partial.replace(folder / PROTOTYPES_FILE)
    snippet = {"topic": {"backend": "embedding", "prototypes": str(folder)}}
    text = (
        f"# Use the label prototypes adapted in {folder}: pass this file with --config, or\n"
        "# copy the keys into your own config (topic.labels must stay the same).\n"
        + yaml.safe_dump(snippet, sort_keys=False)
    )
    (folder / SNIPPET_FILE).write_text(text, encoding="utf-8")
    return text


def find(name: str, base_dir: Path) -> Path:
    """The folder `topic.prototypes` names, looked up as model folders are (the config
    file's folder, the working directory, models/); a missing one is a config error."""
    try:
        ref = resolve_model(name, base_dir)
    except UserError:
        ref = None
    if ref is None or ref.kind != "local":
        raise ConfigError(
            f"topic.prototypes: {name}: no such folder; make it with "
            "`summarizer adapt topic CORPUS --out FOLDER`"
        )
    return Path(ref.location)


def load(folder: Path, labels: dict[str, str], embedding_model: str) -> Prototypes:
    """The prototypes saved in `folder`, checked against the config's `labels` and
    embedding model; anything wrong is one `ConfigError` line saying how to fix it."""
    where = f"topic.prototypes: {folder}"
    path = folder / PROTOTYPES_FILE
    if not path.is_file():
        raise ConfigError(
            f"{where}: no {PROTOTYPES_FILE} there; make one with `summarizer adapt topic`"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        saved, vectors = dict(data["labels"]), np.asarray(data["vectors"], dtype=np.float32)
        model = str(data["embedding_model"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"{where}: {PROTOTYPES_FILE} is not readable ({exc.__class__.__name__}); "
            "make it again with `summarizer adapt topic`"
        ) from None
    if saved != labels:
        what = "label descriptions" if list(saved) == list(labels) else "labels"
        raise ConfigError(
            f"{where}: adapted for other {what} ({', '.join(saved)}) than topic.labels "
            f"({', '.join(labels)}); use the same topic.labels or adapt again"
        )
    if model != embedding_model:
        raise ConfigError(
            f"{where}: adapted with embedding.model {model}, not {embedding_model}; "
            "use that model or adapt again"
        )
    if vectors.ndim != 2 or len(vectors) != len(saved) or not np.isfinite(vectors).all():
        raise ConfigError(f"{where}: its vectors are not one finite row per label; adapt again")
    facts = {k: v for k, v in data.items() if k not in {"labels", "vectors"}}
    return Prototypes(saved, vectors, facts, origin=f"saved in {folder}")

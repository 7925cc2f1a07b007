"""Backend registries: a stage's backends by config name, each entry building the stage
from the config, the shared embedder and the models' device and dtype (`Placement`).

`summary.SUMMARY_BACKENDS` and `topic.TOPIC_BACKENDS` are such registries. An entry made
with `lazy` imports its backend (and with it transformers) only when the config chooses
it, so a registry costs nothing to import. It sits beside `models`: it may import the
bottom layer and `models`, nothing above.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from summarizer.config import Config
from summarizer.models.device import Placement

# An entry: (config, shared embedder, placement) -> the stage.
Entry = Callable[[Config, Any, Placement], Any]


def lazy(module: str, factory: str) -> Entry:
    """An entry that imports `module` when chosen and calls `factory(config, placement)`."""

    def build(config: Config, embedder: Any, placement: Placement) -> Any:
        return getattr(importlib.import_module(module), factory)(config, placement)

    return build

"""Where a report's figures came from, recorded in the report itself.

A figure without its tool version, command, config, models and data cannot be
reproduced or compared with another run's, so every `eval --report` and `--json` carries
this block. The data's sha256 tells two files of the same name apart.
"""

from __future__ import annotations

import hashlib
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from summarizer.config import Config, dump_config
from summarizer.models.status import configured_models, model_status

_READ = 1 << 20


def sha256(path: Path) -> str:
    """The file's sha256; for a folder (a saved `datasets` dataset) one hash over its
    files' relative names and contents, in name order."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode() + b"\0")
        with file.open("rb") as handle:
            while chunk := handle.read(_READ):
                digest.update(chunk)
    return digest.hexdigest()


def command_line() -> str:
    """The command as the user typed it (this process's arguments, shell-quoted)."""
    return shlex.join(["summarizer", *sys.argv[1:]])


def provenance(config: Config, data: Path, seed: int | None = None) -> dict[str, Any]:
    """Tool, version, command, date, data file and hash, seed, models and effective config.

    `seed` is None where the run draws no random numbers (evaluation runs the pipeline,
    which is deterministic for a given config).
    """
    from summarizer import __version__

    models = [model_status(key, name, config.base_dir) for key, name in configured_models(config)]
    return {
        "tool": "summarizer",
        "version": __version__,
        "command": command_line(),
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": str(data),
        "data_sha256": sha256(data),
        "seed": seed,
        "models": [
            {"key": m.key, "name": m.name, "source": m.source, "location": m.location}
            for m in models
        ],
        "config": dump_config(config),
    }

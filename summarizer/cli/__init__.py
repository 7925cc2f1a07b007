"""The command line: the Typer app (`main.py`: run, batch, config show, models), the
fine-tuning and evaluation commands (`finetune.py`: train, eval, split) and what they share
(`common.py`: options, config loading, one-line failures). The top layer: it may import
anything in the package, but imports heavy modules (the pipeline, models, readers) inside
the commands, so `--help` stays instant.
"""

from __future__ import annotations

from summarizer.cli.main import app

__all__ = ["app"]

"""What every `summarizer` command shares: the config options and the one-line error exit.

Only typer, pydantic and PyYAML load here; torch and the models load inside the commands
that need them, so `--help` and config errors answer instantly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from summarizer.config import Config, load_config
from summarizer.errors import UserError

ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config (default: built-in defaults).")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set", "-s", help="Override a config key, e.g. summary.sentences=2. Repeatable."
    ),
]
DeviceOpt = Annotated[
    str | None, typer.Option("--device", help="Shortcut for --set device=... (cpu, cuda, ...).")
]


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line on stderr and a non-zero exit: the contract for every user error."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def config_from_options(
    config: Path | None, overrides: list[str] | None, device: str | None
) -> Config:
    """The config that --config, --set and --device describe; a bad one exits with its line."""
    try:
        return load_config(config, overrides or [], device)
    except UserError as exc:
        fail(str(exc), exc.exit_code)


def build_pipeline(cfg: Config):  # noqa: ANN202 - the import is deliberately lazy
    """The pipeline, imported here so that torch loads only for commands that run models."""
    from summarizer.models.load import quiet_libraries
    from summarizer.pipeline import Pipeline

    quiet_libraries()
    return Pipeline(cfg)

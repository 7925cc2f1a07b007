"""What every `summarizer` command shares: the config options and the one-line error exit.

Only typer, pydantic and PyYAML load here; torch and the models load inside the commands
that need them, so `--help` and config errors answer instantly.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from summarizer.config import Config, load_config
from summarizer.errors import UserError


class _PlainMetavars:
    """Help that names values as a user types them (PATH, INTEGER, a|b|c, nothing for a
    flag) instead of Python types (`<bool>`, `<list[str]>`), which typer shows by default."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, TyperArgument):
                # its name (INPUT, FILE) says what it is; typer would add `<path>` beside it
                param.display_type_rich = _no_type
            elif param.metavar is None:
                param.metavar = _metavar(param)
        return params


def _no_type(ctx: Any) -> None:
    return None


_TYPE_NAMES = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER"}


def _metavar(param: Any) -> str:
    """A flag takes no value; choices are listed; other values are named by kind."""
    if getattr(param, "is_flag", False):
        return ""
    kind = param.type_descriptor
    if kind.is_choice:
        return "|".join(str(getattr(choice, "value", choice)) for choice in kind.choices)
    if kind.is_path:
        return "PATH"
    return _TYPE_NAMES.get(param.bare_type(), "VALUE")


class PlainCommand(_PlainMetavars, TyperCommand):
    """A command whose help shows plain metavars; pass as `cls=` to `@app.command`."""


class PlainGroup(_PlainMetavars, TyperGroup):
    """A command group whose help shows plain metavars; pass as `cls=` to `typer.Typer`."""


ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config (default: built-in defaults).")
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        "-s",
        metavar="KEY=VALUE",
        help="Override a config key, e.g. summary.sentences=2. Repeatable.",
    ),
]
DeviceOpt = Annotated[
    str | None, typer.Option("--device", help="Shortcut for --set device=... (cpu, cuda, ...).")
]


def fail(message: str, code: int = 1) -> NoReturn:
    """One clear line on stderr and a non-zero exit: the contract for every user error."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def bounded(
    low: int, high: float = math.inf, *, above: bool = False
) -> Callable[[typer.CallbackParam, Any], Any]:
    """An option callback that refuses a number outside [low, high] (`above`: over low),
    nan or inf, with one `error:` line and exit 2, like a bad --set. (typer's own `min=`
    prints a boxed usage panel instead.)"""

    def check(param: typer.CallbackParam, value: Any) -> Any:
        if value is None:
            return value
        if not math.isfinite(value):
            fail(f"{param.opts[0]} {value}: must be a finite number", 2)
        if value < low or value > high or (above and value == low):
            limit = f"over {low}" if above else f"at least {low}"
            limit += f" and at most {high}" if high < math.inf else ""
            fail(f"{param.opts[0]} {value}: must be {limit}", 2)
        return value

    return check


def check_output(path: Path | None, option: str, *, folder: bool = False) -> None:
    """Refuse, before any work starts, an output path the command could not write at its
    end: a folder where a file goes (or the reverse), a file where a folder must be made
    on the way, a place this user may not write to."""
    if path is None:
        return
    kind, other = ("folder", "file") if folder else ("file", "folder")
    if path.exists() and path.is_dir() != folder:
        fail(f"{option} {path}: is a {other}; give a {kind} path")
    target = path if path.exists() else next(p for p in path.absolute().parents if p.exists())
    if not target.is_dir() and target != path:
        fail(f"{option} {path}: {target} is a file, so no folder can be made there")
    if not os.access(target, os.W_OK):
        fail(f"{option} {path}: {target} is not writable")


def refuse_overwrite(paths: list[Path], option: str, overwrite: bool) -> None:
    """Refuse, before any work, to replace what an earlier run wrote, unless --overwrite:
    a finished model or split can take hours to make again. A folder counts as taken
    when it holds anything."""
    taken = [p for p in paths if p.exists() and not (p.is_dir() and not any(p.iterdir()))]
    if taken and not overwrite:
        fail(f"{option} {taken[0]}: already exists; pass --overwrite to replace it")


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

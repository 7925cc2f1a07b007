"""The `summarizer` command: each command is a thin shell over the library.

Only typer, pydantic and PyYAML load at start-up; torch and the models load inside the
commands that need them, so `--help` and config errors answer instantly.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from summarizer.config import Config, dump_config, load_config
from summarizer.errors import UserError

app = typer.Typer(
    help="Turn scraped news pages into clean, summarized, topic-classified records.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


class Format(str, Enum):
    json = "json"
    markdown = "markdown"
    text = "text"


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


def _config(config: Path | None, overrides: list[str] | None, device: str | None) -> Config:
    try:
        return load_config(config, overrides or [], device)
    except UserError as exc:
        fail(str(exc), exc.exit_code)


def _pipeline(cfg: Config):  # noqa: ANN202 - the import is deliberately lazy
    from summarizer.models import quiet_libraries
    from summarizer.pipeline import Pipeline

    quiet_libraries()
    return Pipeline(cfg)


@app.command()
def run(
    source: Annotated[str, typer.Argument(help="A .txt or .html file, - for stdin, or a URL.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Summarize and classify one page; print the record."""
    from summarizer.inputs import read_source
    from summarizer.render import RENDERERS

    cfg = _config(config, set_, device)
    try:
        text = read_source(source, cfg.input.max_bytes, cfg.input.allow_private_urls)
        result = _pipeline(cfg)([text], [_doc_id(source)])[0]
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    if result.error:
        fail(result.error)
    typer.echo(RENDERERS[fmt.value](result), nl=False)
    if fmt is Format.json:
        typer.echo()


@app.command()
def batch(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="JSONL with id and text.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output JSONL.")],
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Process a JSONL file of {"id", "text"} records into one output record each, in order."""
    from summarizer.batch import run_batch

    cfg = _config(config, set_, device)
    try:
        stats = run_batch(input_path, output, _pipeline(cfg), cfg)
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(f"{stats.records} records, {stats.errors} errors -> {output}", err=True)
    if stats.errors:
        raise typer.Exit(1)


@config_app.command("show")
def config_show(config: ConfigOpt = None, set_: SetOpt = None, device: DeviceOpt = None) -> None:
    """Print the effective config (defaults, file and overrides merged) as YAML."""
    typer.echo(dump_config(_config(config, set_, device)), nl=False)


@app.command("models")
def models_(config: ConfigOpt = None, set_: SetOpt = None, device: DeviceOpt = None) -> None:
    """List the models the config would load, where each resolves, and whether it is
    available offline (exit 1 if one is not)."""
    from summarizer.loading import configured_models, model_status

    cfg = _config(config, set_, device)
    rows = [model_status(key, name, cfg.base_dir) for key, name in configured_models(cfg)]
    table = [("key", "model", "source", "offline", "location")]
    table += [(r.key, r.name, r.source, "yes" if r.available else "MISSING", r.location) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for row in table:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + row[4])
    missing = [r.key for r in rows if not r.available]
    if missing:
        fail(
            f"{len(missing)} of {len(rows)} models not available offline ({', '.join(missing)}); "
            "download them where there is internet (`hf download NAME`) or use local dirs"
        )


def _doc_id(source: str) -> str:
    return "stdin" if source == "-" else Path(source).stem if "://" not in source else source

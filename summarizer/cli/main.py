"""The `summarizer` command: each command is a thin shell over the library.

`run`, `batch`, `config show` and `models` live here; `train`, `eval` and `split` in
`finetune.py`, `adapt` in `adapt.py`, the shared options and error exit in `common.py`.

Only typer, pydantic and PyYAML load at start-up; torch and the models load inside the
commands that need them, so `--help` and config errors answer instantly.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli.adapt import adapt_app
from summarizer.cli.common import (
    ConfigOpt,
    DeviceOpt,
    PlainCommand,
    PlainGroup,
    SetOpt,
    build_pipeline,
    config_from_options,
    fail,
)
from summarizer.cli.finetune import eval_app, split, train_app
from summarizer.config import dump_config
from summarizer.errors import UserError

app = typer.Typer(
    cls=PlainGroup,
    help="Turn scraped news pages into clean, summarized, topic-classified records.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
config_app = typer.Typer(cls=PlainGroup, help="Inspect the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


def _print_version(value: bool) -> None:
    if value:
        from summarizer import __version__

        typer.echo(f"summarizer {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Turn scraped news pages into clean, summarized, topic-classified records."""


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class Format(str, Enum):
    json = "json"
    markdown = "markdown"
    text = "text"
    article = "article"
    html = "html"


@app.command(cls=PlainCommand)
def run(
    source: Annotated[
        str,
        typer.Argument(metavar="PAGE", help="A .txt or .html file, - for stdin, or a URL."),
    ],
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="Output format: the JSON record, markdown, text, the clean article text "
            "alone, or a self-contained HTML page showing every block's decision.",
        ),
    ] = Format.json,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Summarize and classify one page; print the record.

    Example: summarizer run examples/nordic_air_patrols.html --format html > view.html
    """
    from summarizer.io.render import RENDERERS
    from summarizer.io.sources import read_source

    cfg = config_from_options(config, set_, device)
    try:
        inp = cfg.input
        text = read_source(source, inp.max_bytes, inp.allow_private_urls, inp.download_timeout)
        result = build_pipeline(cfg)([text], [_doc_id(source)])[0]
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    if result.error:
        fail(result.error)
    typer.echo(RENDERERS[fmt.value](result), nl=False)
    if fmt is Format.json:
        typer.echo()


def _field_opt(key: str, what: str) -> typer.models.OptionInfo:
    return typer.Option(help=f"Input field holding {what} (config: batch.{key}).")


@app.command(cls=PlainCommand)
def batch(
    input_path: Annotated[
        Path,
        typer.Argument(
            metavar="INPUT",
            help="JSONL, CSV or Parquet file, a folder of .txt/.html pages, "
            "or a `datasets` dataset saved with save_to_disk.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output file: .jsonl, .parquet or .csv.")
    ],
    text_field: Annotated[str | None, _field_opt("text_field", "the page text")] = None,
    id_field: Annotated[str | None, _field_opt("id_field", "the record id")] = None,
    title_field: Annotated[
        str | None,
        typer.Option(
            help="Input field holding the page title ('' for none; default: `title` where "
            "a record has one; config: batch.title_field)."
        ),
    ] = None,
    keep_fields: Annotated[
        str | None,
        typer.Option(
            metavar="A,B",
            help="Input fields to copy into each output record's `fields`, or `all` "
            "(every field but the text; config: batch.keep_fields).",
        ),
    ] = None,
    engine: Annotated[
        Engine | None,
        typer.Option(
            help="local: this process; ray: Ray Data actors on a local or remote Ray cluster "
            "(settings under batch.ray; config: batch.engine)."
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue an interrupted run into the same OUTPUT.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace OUTPUT if it exists.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress and no summary.")
    ] = False,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Process every input record into one output record, same order and ids, resumably.

    Exit code 1 when any record failed (its `error` field says why), or on a bad input.

    Example: summarizer batch pages.jsonl -o records.jsonl --text-field body
    """
    from summarizer.batch.job import BatchJob
    from summarizer.batch.progress import loading, make_reporter, summary

    cfg = config_from_options(config, set_, device)
    fields = {"text_field": text_field, "id_field": id_field, "title_field": title_field}
    for key, value in fields.items():
        if value is not None:
            setattr(cfg.batch, key, value)
    if keep_fields is not None:
        cfg.batch.keep_fields = [name.strip() for name in keep_fields.split(",") if name.strip()]
    if engine is not None:
        cfg.batch.engine = engine.value
    try:
        if cfg.batch.engine == "ray":  # Ray loads only here: the local engine never imports it
            from summarizer.batch.ray_engine import RayBatchJob

            job = RayBatchJob(
                input_path, output, cfg, resume=resume, overwrite=overwrite, quiet=quiet
            )
            stats = job.run()
        else:
            job = BatchJob(input_path, output, cfg, resume=resume, overwrite=overwrite)
            with loading(quiet):
                pipeline = build_pipeline(cfg)
            stats = job.run(pipeline, make_reporter(quiet, cfg.batch.log_interval))
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted; finished chunks are saved: rerun with --resume", 130)
    if not quiet:
        typer.echo(summary(stats, output), err=True)
    if stats.errors:
        if quiet:
            typer.echo(f"{stats.errors} of {stats.records} records failed -> {output}", err=True)
        raise typer.Exit(1)


@config_app.command("show", cls=PlainCommand)
def config_show(config: ConfigOpt = None, set_: SetOpt = None, device: DeviceOpt = None) -> None:
    """Print the effective config (defaults, file and overrides merged) as YAML.

    Example: summarizer config show --set summary.sentences=2
    """
    typer.echo(dump_config(config_from_options(config, set_, device)), nl=False)


@app.command("models", cls=PlainCommand)
def models_(config: ConfigOpt = None, set_: SetOpt = None, device: DeviceOpt = None) -> None:
    """List the models the config would load, where each resolves, and whether it is
    available offline (exit 1 if one is not).

    Example: summarizer models --config configs/my.yaml
    """
    from summarizer.models.status import (
        configured_models,
        embedding_runtime_line,
        model_status,
        status_table,
    )

    cfg = config_from_options(config, set_, device)
    rows = [model_status(key, name, cfg.base_dir) for key, name in configured_models(cfg)]
    typer.echo(status_table(rows))
    typer.echo(embedding_runtime_line(cfg, rows[0]))
    missing = [r.key for r in rows if not r.available]
    if missing:
        fail(
            f"{len(missing)} of {len(rows)} models not available offline ({', '.join(missing)}); "
            "download them where there is internet (`hf download NAME`) or use local dirs"
        )


def _doc_id(source: str) -> str:
    return "stdin" if source == "-" else Path(source).stem if "://" not in source else source


app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")
app.add_typer(adapt_app, name="adapt")
app.command(cls=PlainCommand)(split)

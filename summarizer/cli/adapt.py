"""`summarizer adapt topic`: label prototypes adapted to an unlabeled corpus, saved as a
folder that `topic.prototypes` names (see `summarizer.topic.prototypes`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from summarizer.cli.common import (
    ConfigOpt,
    DeviceOpt,
    PlainCommand,
    PlainGroup,
    SetOpt,
    bounded,
    build_pipeline,
    check_output,
    config_from_options,
    fail,
)
from summarizer.errors import UserError

adapt_app = typer.Typer(
    cls=PlainGroup,
    help="Adapt models to an unlabeled corpus, as a saved, reusable step.",
    no_args_is_help=True,
)


def _field(what: str) -> typer.models.OptionInfo:
    return typer.Option(help=f"Input field holding {what} (default: as batch reads it).")


@adapt_app.command("topic", cls=PlainCommand)
def adapt_topic(
    corpus: Annotated[
        Path,
        typer.Argument(
            metavar="CORPUS", help="Unlabeled pages in any `batch` INPUT format (JSONL, CSV, ...)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Folder to save in, e.g. models/NAME.")],
    sample: Annotated[
        int | None,
        typer.Option(
            help="Documents to adapt on (default: topic.adapt_sample).", callback=bounded(1)
        ),
    ] = None,
    seed: Annotated[
        int, typer.Option(help="Seed of the sample.", callback=bounded(0, 2**32 - 1))
    ] = 0,
    text_field: Annotated[str | None, _field("the page text")] = None,
    id_field: Annotated[str | None, _field("the record id")] = None,
    title_field: Annotated[str | None, _field("the page title")] = None,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Refine the embedding backend's label prototypes on a seeded sample of CORPUS; save
    them with their labels and config, and print the config snippet that uses them.

    Example: summarizer adapt topic pages.jsonl --out models/news-prototypes
    """
    from summarizer.batch.adapt import adapt_on_corpus
    from summarizer.io.readers import Fields
    from summarizer.topic.prototypes import save

    cfg = config_from_options(config, set_, device)
    if cfg.topic.backend != "embedding":
        fail(f"topic.backend: {cfg.topic.backend}: only the embedding backend has prototypes", 2)
    check_output(out, "--out", folder=True)
    cfg.topic.prototypes = None  # adapt from the label descriptions, not earlier prototypes
    if sample is not None:
        cfg.topic.adapt_sample = sample
    batch = cfg.batch
    fields = Fields(
        text=text_field or batch.text_field,
        id=id_field or batch.id_field,
        title=title_field or batch.title_field,
        title_if_present=True,  # as `batch` reads the corpus, so both sample alike
    )
    try:
        adapted = adapt_on_corpus(build_pipeline(cfg), corpus, fields, cfg, seed)
        snippet = save(out, adapted)
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    except OSError as exc:
        fail(f"cannot write {exc.filename}: {exc.strerror}")
    typer.echo(f"# {adapted.origin}", err=True)
    typer.echo(snippet, nl=False)

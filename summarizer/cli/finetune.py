"""`summarizer train`, `eval` and `split`: fine-tune on labeled samples, measure the gain."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    refuse_overwrite,
)
from summarizer.config import Config
from summarizer.errors import UserError

if TYPE_CHECKING:
    from summarizer.train.tasks import DataSpec

# --- train, eval, split: fine-tune on labeled samples and measure what it gained ---

train_app = typer.Typer(
    cls=PlainGroup, help="Fine-tune models on labeled samples.", no_args_is_help=True
)
eval_app = typer.Typer(
    cls=PlainGroup,
    help="Score the pipeline on labeled data, with a baseline.",
    no_args_is_help=True,
)

TrainFile = Annotated[Path, typer.Option("--train", help="Labeled JSONL/CSV or datasets dir.")]
OutDir = Annotated[Path, typer.Option("--out", help="Folder for the model, e.g. models/NAME.")]
EvalFile = Annotated[Path | None, typer.Option("--eval", help="Labeled data to early-stop on.")]
EvalSplit = Annotated[
    float | None, typer.Option(help="Without --eval: share of --train held out (0.1).")
]
BaseOpt = Annotated[
    str | None,
    typer.Option("--base", help="Base model: embedded name, dir or hub id (all-MiniLM-L6-v2)."),
]
TextField = Annotated[str, typer.Option(help="Field holding the text.")]
LabelField = Annotated[str, typer.Option(help="Field holding the label.")]
LineLabels = Annotated[str, typer.Option("--label-field", help="Field with a label per line.")]
SummaryField = Annotated[str, typer.Option(help="Field holding the reference summary.")]
TitleField = Annotated[
    str, typer.Option(help="Field with a title to put first where present ('' for none).")
]
IdField = Annotated[str, typer.Option(help="Field holding the record id.")]
Epochs = Annotated[
    float | None,
    typer.Option(
        help="Most passes over the data (3; for small data enough for 200 steps).",
        callback=bounded(0, above=True),
    ),
]
Lr = Annotated[
    float | None,
    typer.Option("--lr", help="Peak learning rate (5e-5).", callback=bounded(0, above=True)),
]
BatchSize = Annotated[
    int | None,
    typer.Option(help="Training examples per step (16; summary: 8).", callback=bounded(1)),
]
MaxLength = Annotated[
    int | None,
    typer.Option(
        help="Tokens per input text; longer ones are cut, in training and in use "
        "(128; summary: 512).",
        callback=bounded(1),
    ),
]
# numpy's seed, which the trainer sets, must fit 32 bits
TrainSeed = Annotated[
    int | None,
    typer.Option(
        help="Seed of the split, the new weights and the batches (0).",
        callback=bounded(0, 2**32 - 1),
    ),
]
Seed = Annotated[int, typer.Option(help="Seed of the split: the same seed, the same split.")]
Patience = Annotated[
    int | None,
    typer.Option(help="Epochs without eval gain before stopping (2).", callback=bounded(1)),
]
DataArg = Annotated[
    Path, typer.Argument(metavar="FILE", help="Labeled JSONL/CSV/Parquet file or datasets dir.")
]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace what is already there.")]
JsonOut = Annotated[Path | None, typer.Option("--json", help="Save the figures as JSON.")]
ReportOut = Annotated[Path | None, typer.Option("--report", help="Write an HTML report.")]
Baseline = Annotated[str | None, typer.Option(help="The baseline row, or none (see above).")]


def _eval_split(cfg: Config, given: float | None) -> float:
    return cfg.train.eval_split if given is None else given


def _train(job: Callable[[], str], spec: DataSpec, out: Path, overwrite: bool) -> None:
    """Run a training job; write the model card; print the config snippet that uses the
    model it saved."""
    from summarizer.evaluate.provenance import command_line
    from summarizer.models.load import quiet_libraries
    from summarizer.train.common import write_model_card

    check_output(out, "--out", folder=True)
    refuse_overwrite([out], "--out", overwrite)
    quiet_libraries()
    try:
        snippet = job()
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    held_out = f"{spec.eval_split:.0%} of it held out for evaluation"
    evaluated = f"evaluated on `{spec.eval}`" if spec.eval else held_out
    write_model_card(out, f"`{spec.train}`, {evaluated}", command_line())
    typer.echo(snippet, nl=False)


def _train_learned(spec: DataSpec, cfg: Config, out: Path, overwrite: bool, seed: int) -> None:
    """`train noise --learned`: fit the block decision, print its config snippet."""
    from summarizer.models.load import quiet_libraries
    from summarizer.train import tasks

    check_output(out, "--out", folder=True)
    refuse_overwrite([out], "--out", overwrite)
    quiet_libraries()
    try:
        snippet = tasks.train_noise_learned(spec, cfg, out, seed)
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(snippet, nl=False)


@train_app.command("topic", cls=PlainCommand)
def train_topic(
    train: TrainFile,
    out: OutDir,
    eval_file: EvalFile = None,
    eval_split: EvalSplit = None,
    base: BaseOpt = None,
    text_field: TextField = "text",
    label_field: LabelField = "label",
    title_field: TitleField = "title",
    epochs: Epochs = None,
    lr: Lr = None,
    batch_size: BatchSize = None,
    max_length: MaxLength = None,
    seed: TrainSeed = None,
    patience: Patience = None,
    overwrite: Overwrite = False,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Fine-tune a topic classifier; use it with topic.backend=classifier.

    Example: summarizer train topic --train data/train.jsonl --out models/topics
    """
    from summarizer.train import tasks
    from summarizer.train.common import CLASSIFIER_DEFAULTS, options_from

    cfg = config_from_options(config, set_, device)
    split = _eval_split(cfg, eval_split)
    spec = tasks.DataSpec(train, eval_file, split, text_field, label_field, title_field or None)
    given = {"base": base, "epochs": epochs, "lr": lr, "batch_size": batch_size}
    given |= {"max_length": max_length, "seed": seed, "patience": patience}
    options = options_from(cfg, out, given, CLASSIFIER_DEFAULTS)
    _train(lambda: tasks.train_topic(spec, options), spec, out, overwrite)


@train_app.command("noise", cls=PlainCommand)
def train_noise(
    train: TrainFile,
    out: OutDir,
    eval_file: EvalFile = None,
    eval_split: EvalSplit = None,
    base: BaseOpt = None,
    text_field: TextField = "text",
    label_field: LineLabels = "line_labels",
    epochs: Epochs = None,
    lr: Lr = None,
    batch_size: BatchSize = None,
    max_length: MaxLength = None,
    seed: TrainSeed = None,
    patience: Patience = None,
    overwrite: Overwrite = False,
    learned: Annotated[
        bool,
        typer.Option(
            "--learned",
            help="Fit the learned block decision (boosted trees over the rules' evidence, "
            "JSON; use it with noise.learned) instead of fine-tuning a transformer.",
        ),
    ] = False,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Fine-tune a block noise classifier; use it with noise.model.

    Trains on pages labeled line by line: lines labeled 'article' are kept, every other
    label is noise. With --learned, fits the block decision that runs after the rules
    (seconds on CPU, no base model) and writes OUT/block_model.json.

    Example: summarizer train noise --train pages.jsonl --out models/noise
    """
    from summarizer.train import tasks
    from summarizer.train.common import CLASSIFIER_DEFAULTS, options_from

    cfg = config_from_options(config, set_, device)
    spec = tasks.DataSpec(train, eval_file, _eval_split(cfg, eval_split), text_field, label_field)
    if learned:
        _train_learned(spec, cfg, out, overwrite, seed or 0)
        return
    given = {"base": base, "epochs": epochs, "lr": lr, "batch_size": batch_size}
    given |= {"max_length": max_length, "seed": seed, "patience": patience}
    options = options_from(cfg, out, given, CLASSIFIER_DEFAULTS)
    _train(lambda: tasks.train_noise(spec, options), spec, out, overwrite)


@train_app.command("summary", cls=PlainCommand)
def train_summary(
    train: TrainFile,
    out: OutDir,
    base: Annotated[str, typer.Option("--base", help="Seq2seq checkpoint: dir or hub id.")],
    eval_file: EvalFile = None,
    eval_split: EvalSplit = None,
    text_field: TextField = "text",
    summary_field: SummaryField = "summary",
    epochs: Epochs = None,
    lr: Lr = None,
    batch_size: BatchSize = None,
    max_length: MaxLength = None,
    max_target_length: Annotated[
        int, typer.Option(help="Tokens per summary.", callback=bounded(1))
    ] = 128,
    seed: TrainSeed = None,
    patience: Patience = None,
    overwrite: Overwrite = False,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Fine-tune a seq2seq summarizer; use it with summary.backend=seq2seq.

    Example: summarizer train summary --train pairs.jsonl --base models/bart --out models/news
    """
    from summarizer.train import tasks
    from summarizer.train.common import SEQ2SEQ_DEFAULTS, options_from

    cfg = config_from_options(config, set_, device)
    split = _eval_split(cfg, eval_split)
    spec = tasks.DataSpec(train, eval_file, split, text_field, summary_field)
    given = {"base": base, "epochs": epochs, "lr": lr, "batch_size": batch_size}
    given |= {"max_length": max_length, "seed": seed, "patience": patience}
    options = options_from(cfg, out, given, SEQ2SEQ_DEFAULTS)
    _train(lambda: tasks.train_summary(spec, options, max_target_length), spec, out, overwrite)


def _evaluate(
    task: str,
    data: Path,
    fields: object,
    baseline: bool,
    outputs: tuple[Path | None, Path | None],
    cfg: Config,
) -> None:
    """Evaluate `task` on `data`, save JSON / HTML when asked, print the tables.

    Paths are checked before the model loads, so a typo costs seconds, not the whole run;
    the files are written before the tables, so nothing printed can lose them.
    """
    from rich.console import Console

    from summarizer.evaluate.provenance import provenance
    from summarizer.evaluate.report import print_evaluation, write_html, write_json
    from summarizer.evaluate.tasks import TASKS

    if not data.exists():
        fail(f"{data}: no such file")
    json_path, report_path = outputs
    check_output(json_path, "--json")
    check_output(report_path, "--report")
    try:
        evaluation = TASKS[task](build_pipeline(cfg), data, fields, baseline)
        evaluation.provenance = provenance(cfg, data)
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    try:
        if json_path:
            write_json(evaluation, json_path)
        if report_path:
            write_html(evaluation, report_path)
    except OSError as exc:
        fail(f"cannot write {exc.filename}: {exc.strerror}")
    print_evaluation(evaluation, Console(width=120))


def _baseline(value: str | None, name: str) -> bool:
    if value not in {None, name, "none"}:
        fail(f"--baseline {value}: this task's baseline is {name} (or none)")
    return value != "none"


@eval_app.command("topic", cls=PlainCommand)
def eval_topic(
    data: DataArg,
    text_field: TextField = "text",
    label_field: LabelField = "label",
    title_field: TitleField = "title",
    id_field: IdField = "id",
    baseline: Baseline = "majority",
    json_path: JsonOut = None,
    report: ReportOut = None,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Topic accuracy, macro-F1, per-class F1 and confusion matrix.

    The baseline row always predicts the eval data's most frequent label.

    Example: summarizer eval topic data/eval.jsonl --report topic.html --json topic.json
    """
    from summarizer.evaluate.tasks import Fields

    fields = Fields(text_field, label_field, id_field, title_field or None)
    run_baseline = _baseline(baseline, "majority")
    cfg = config_from_options(config, set_, device)
    _evaluate("topic", data, fields, run_baseline, (json_path, report), cfg)


@eval_app.command("noise", cls=PlainCommand)
def eval_noise(
    data: DataArg,
    text_field: TextField = "text",
    label_field: LineLabels = "line_labels",
    id_field: IdField = "id",
    baseline: Baseline = "keep-all",
    json_path: JsonOut = None,
    report: ReportOut = None,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """Block precision / recall / F1 of noise flagging.

    Pages are labeled line by line; the baseline row keeps every block.

    Example: summarizer eval noise pages.jsonl --report noise.html
    """
    from summarizer.evaluate.tasks import Fields

    fields = Fields(text_field, label_field, id_field)
    run_baseline = _baseline(baseline, "keep-all")
    cfg = config_from_options(config, set_, device)
    _evaluate("noise", data, fields, run_baseline, (json_path, report), cfg)


@eval_app.command("summary", cls=PlainCommand)
def eval_summary(
    data: DataArg,
    text_field: TextField = "text",
    summary_field: SummaryField = "summary",
    id_field: IdField = "id",
    baseline: Baseline = "lead3",
    json_path: JsonOut = None,
    report: ReportOut = None,
    config: ConfigOpt = None,
    set_: SetOpt = None,
    device: DeviceOpt = None,
) -> None:
    """ROUGE-1/2/Lsum of the summaries against reference summaries.

    The baseline row is lead-3: the first three sentences of the article.

    Example: summarizer eval summary pairs.jsonl --summary-field summary
    """
    from summarizer.evaluate.tasks import Fields

    fields = Fields(text_field, summary_field, id_field)
    run_baseline = _baseline(baseline, "lead3")
    cfg = config_from_options(config, set_, device)
    _evaluate("summary", data, fields, run_baseline, (json_path, report), cfg)


def split(
    data: DataArg,
    out_dir: Annotated[Path, typer.Option("--out-dir", help="Gets train.jsonl and eval.jsonl.")],
    eval_fraction: Annotated[float, typer.Option(help="Share of records held out.")] = 0.2,
    label_field: Annotated[
        str, typer.Option(help="Stratify by this field ('' for none).")
    ] = "label",
    per_class: Annotated[
        int | None,
        typer.Option(
            help="Keep at most N training records per label (few-shot).", callback=bounded(1)
        ),
    ] = None,
    seed: Seed = 0,
    overwrite: Overwrite = False,
) -> None:
    """Split labeled data into train.jsonl and eval.jsonl (stratified, seeded).

    The same seed gives the same split everywhere; --per-class keeps the eval part fixed.

    Example: summarizer split labeled.jsonl --out-dir data --per-class 16
    """
    from summarizer.io.labeled import split_file

    check_output(out_dir, "--out-dir", folder=True)
    refuse_overwrite([out_dir / "train.jsonl", out_dir / "eval.jsonl"], "--out-dir", overwrite)
    try:
        counts = split_file(data, out_dir, eval_fraction, seed, label_field or None, per_class)
    except UserError as exc:
        fail(str(exc), exc.exit_code)
    typer.echo(f"{counts[0]} train and {counts[1]} eval records written to {out_dir}")

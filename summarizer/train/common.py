"""What every fine-tuning run shares: options, Trainer arguments, progress, saving.

A run writes one self-contained folder: the model and tokenizer (loadable with
`from_pretrained`), `metrics.json` (what it scored on the eval split, how long it took,
with which options), `summarizer.yaml`, the config snippet that puts it to use, and
`README.md`, a model card for people (base model, data, labels, figures, command).
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from summarizer.config import Config, load_config
from summarizer.models.device import pick_device
from summarizer.models.load import Source, locate

SNIPPET_FILE = "summarizer.yaml"
METRICS_FILE = "metrics.json"
CARD_FILE = "README.md"
MIN_STEPS = 200
MAX_AUTO_EPOCHS = 30


@dataclass(kw_only=True)
class TrainOptions:
    """The knobs of a run. Defaults suit a few hundred to a few thousand short texts on CPU.
    Keyword-only: seven numbers in a row are too easy to pass in the wrong order."""

    out: Path
    base: str = "all-MiniLM-L6-v2"
    epochs: float | None = None  # None: see `epochs_for`
    lr: float = 5e-5
    batch_size: int = 16
    max_length: int = 128
    seed: int = 0
    patience: int = 2
    device: str = "auto"
    dtype: str = "auto"  # float32; bfloat16/float16: mixed precision (see training_arguments)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "out": str(self.out)}


CLASSIFIER_DEFAULTS = {"batch_size": 16, "max_length": 128}
SEQ2SEQ_DEFAULTS = {"batch_size": 8, "max_length": 512}


def options_from(
    cfg: Config, out: Path, given: dict[str, Any], defaults: dict[str, int]
) -> TrainOptions:
    """The run's knobs: an option given on the command line, else the config's `train`
    key, else the task's default (seq2seq models take longer inputs and fewer per step)."""
    knobs = cfg.train.model_dump(exclude={"eval_split"})
    knobs |= {key: value for key, value in given.items() if value is not None}
    knobs |= {key: value for key, value in defaults.items() if knobs[key] is None}
    return TrainOptions(out=out, device=cfg.device, dtype=cfg.dtype, **knobs)


def base_model(options: TrainOptions) -> Source:
    """The `--base` model, located like every configured model (`models.load.locate`):
    load its parts with `models.load.from_pretrained`."""
    return locate("--base", options.base)


def train_device(requested: str) -> str:
    """`--device` checked and resolved as the config's `device` is (`cuda:1` keeps its
    index; `gpu` is an error naming the option)."""
    return pick_device(load_config(device=requested).device)


def device_arguments(args_class: Any, device: str) -> Any:
    """`args_class` (TrainingArguments or a subclass) placed on `device`.

    The Trainer picks `cuda:0` and every visible GPU by itself; for a numbered GPU the
    arguments are pinned to that one (the current CUDA device, which accelerate follows).
    """
    if not device.startswith("cuda:"):
        return args_class
    index = int(device.partition(":")[2])

    class Pinned(args_class):  # type: ignore[misc, valid-type]
        @cached_property
        def _setup_devices(self) -> Any:
            import torch

            args_class._setup_devices.func(self)  # accelerate's state, as the Trainer expects
            torch.cuda.set_device(index)
            self._n_gpu = 1
            return torch.device("cuda", index)

    return Pinned


def epochs_for(options: TrainOptions, examples: int) -> float:
    """`options.epochs`, or by default 3 epochs, raised for small data so that training
    takes at least MIN_STEPS steps (at most MAX_AUTO_EPOCHS epochs).

    Three epochs of 60 few-shot examples are a dozen steps: the new classification head
    barely moves. Early stopping ends runs that need fewer.
    """
    if options.epochs is not None:
        return options.epochs
    steps_per_epoch = math.ceil(examples / options.batch_size)
    return float(min(MAX_AUTO_EPOCHS, max(3, math.ceil(MIN_STEPS / steps_per_epoch))))


def training_arguments(
    args_class: Any, options: TrainOptions, examples: int, checkpoints: str, best: str
) -> Any:
    """Trainer arguments: evaluate and checkpoint every epoch, keep the best, seeded.

    The best epoch is the one with the highest eval metric `best` (macro-F1 for
    classifiers: what `eval` reports and users compare, and a lower loss can come with
    worse decisions), or the lowest eval loss when `best` is "loss". Checkpoints hold only
    the model (no optimizer state) and go to a temporary folder: they exist so the best
    epoch can be restored, not to resume runs. Batches group texts of similar length,
    which saves a lot of padding (and CPU time) on news text.
    """
    device = train_device(options.device)
    # An explicit dtype asks for mixed precision (the weights and the saved model stay
    # float32). `auto` trains in float32 even on a GPU: on an H200, one epoch of MiniLM on
    # AG News took 6 s in float32 and 32 s in bf16 autocast (bench/results/gpu.md).
    precision = "float32" if options.dtype == "auto" else options.dtype
    return device_arguments(args_class, device)(
        output_dir=checkpoints,
        num_train_epochs=epochs_for(options, examples),
        learning_rate=options.lr,
        per_device_train_batch_size=options.batch_size,
        per_device_eval_batch_size=options.batch_size * 2,
        warmup_steps=0.1,
        weight_decay=0.01,
        eval_strategy="epoch",
        save_strategy="epoch",
        save_only_model=True,
        save_total_limit=1,
        load_best_model_at_end=True,
        metric_for_best_model=best,
        greater_is_better=best != "loss",
        logging_strategy="epoch",
        train_sampling_strategy="group_by_length",
        seed=options.seed,
        data_seed=options.seed,
        use_cpu=device == "cpu",
        bf16=precision == "bfloat16",
        fp16=precision == "float16" and device.startswith("cuda"),
        report_to="none",
        disable_tqdm=False,
    )


class EpochProgress:
    """A step progress bar and one line per evaluated epoch, on stderr.

    Built lazily as a `TrainerCallback` subclass (see `progress_callback`) so this module
    imports without transformers.
    """

    def __init__(self, metrics: tuple[str, ...]) -> None:
        self.metrics = metrics
        self.bar: Any = None
        self.started = time.perf_counter()
        self.train_loss: float | None = None

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        from tqdm.auto import tqdm

        self.bar = tqdm(total=state.max_steps, unit="step", file=sys.stderr, dynamic_ncols=True)

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.bar.update(state.global_step - self.bar.n)

    def on_log(self, args: Any, state: Any, control: Any, logs: Any = None, **kwargs: Any) -> None:
        if logs and "loss" in logs:
            self.train_loss = logs["loss"]

    def on_evaluate(
        self, args: Any, state: Any, control: Any, metrics: Any = None, **kw: Any
    ) -> None:
        shown = [f"{name} {metrics['eval_' + name]:.4f}" for name in self.metrics]
        loss = f"train loss {self.train_loss:.4f}, " if self.train_loss is not None else ""
        elapsed = time.perf_counter() - self.started
        self.bar.write(
            f"epoch {state.epoch:.0f}/{args.num_train_epochs:g}: {loss}eval {', '.join(shown)} "
            f"({elapsed:.0f} s)",
            file=sys.stderr,
        )

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.bar.close()


def progress_callback(metrics: tuple[str, ...]) -> Any:
    from transformers import TrainerCallback

    class _Callback(EpochProgress, TrainerCallback):
        pass

    return _Callback(metrics)


def fit(trainer: Any, options: TrainOptions, shown_metrics: tuple[str, ...]) -> dict[str, Any]:
    """Train with early stopping and visible progress; report the best epoch's eval figures
    (the model the Trainer restores at the end, and so the one that gets saved)."""
    from transformers import EarlyStoppingCallback, ProgressCallback

    names = tuple(dict.fromkeys(("loss", *shown_metrics)))
    trainer.remove_callback(ProgressCallback)
    trainer.add_callback(progress_callback(names))
    trainer.add_callback(EarlyStoppingCallback(early_stopping_patience=options.patience))
    started = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - started
    state = trainer.state
    best = next(
        entry
        for entry in state.log_history
        if "eval_loss" in entry and entry["step"] == (state.best_global_step or state.global_step)
    )
    return {
        "eval": {name: best["eval_" + name] for name in names},
        "best_epoch": best["epoch"],
        "epochs_run": state.epoch,
        "max_epochs": trainer.args.num_train_epochs,
        "train_seconds": round(seconds, 1),
    }


def checkpoint_dir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="summarizer-train-")


def train_and_save(
    trainer_class: Any,
    args_class: Any,
    options: TrainOptions,
    data: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    shown_metrics: tuple[str, ...],
    snippet: dict[str, Any],
    facts: dict[str, Any],
    **trainer_options: Any,
) -> str:
    """Run `trainer_class` on the (train, eval) rows in `data` with early stopping on the
    last of `shown_metrics`, then save the run with `facts` (labels, example counts) added
    to its report; return the config snippet."""
    train, evaluation = data
    with checkpoint_dir() as checkpoints:
        arguments = training_arguments(
            args_class, options, len(train), checkpoints, shown_metrics[-1]
        )
        trainer = trainer_class(
            args=arguments,
            train_dataset=train,
            eval_dataset=evaluation,
            **trainer_options,
        )
        report = fit(trainer, options, shown_metrics)
        report.update(facts, train_examples=len(train), eval_examples=len(evaluation))
        return save_run(trainer, options, snippet, report)


def save_run(
    trainer: Any, options: TrainOptions, snippet: dict[str, Any], report: dict[str, Any]
) -> str:
    """Write the model, tokenizer, metrics.json and the config snippet; return the snippet."""
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    trainer.save_model(str(out))
    metrics = {**report, "options": options.to_dict()}
    (out / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    return write_snippet(out, snippet)


def write_snippet(out: Path, snippet: dict[str, Any]) -> str:
    """Write the config snippet that puts the run's model to use; return its text."""
    text = (
        f"# Use the model trained in {out}: pass this file with --config, or copy the keys\n"
        "# into your own config. Relative paths resolve against the config file's folder,\n"
        "# the working directory and models/.\n" + yaml.safe_dump(snippet, sort_keys=False)
    )
    (out / SNIPPET_FILE).write_text(text, encoding="utf-8")
    return text


def write_model_card(out: Path, data: str, command: str) -> None:
    """README.md in the run's folder: what a person needs to judge and reuse the model
    (base model, data, labels, eval figures of the kept epoch, the command that made it)."""
    metrics = json.loads((out / METRICS_FILE).read_text(encoding="utf-8"))
    options = metrics["options"]
    figures = "\n".join(f"| {name} | {value:.4f} |" for name, value in metrics["eval"].items())
    labels = ", ".join(f"`{label}`" for label in metrics.get("labels", [])) or "(none)"
    card = f"""# {out.name}

Fine-tuned with `summarizer train` from base model `{options["base"]}`.

- data: {data}
- examples: {metrics["train_examples"]} for training, {metrics["eval_examples"]} for evaluation
- labels: {labels}
- kept epoch {metrics["best_epoch"]:g} of {metrics["epochs_run"]:g} run \
(max {metrics["max_epochs"]:g}), {metrics["train_seconds"]} s
- max length: {options["max_length"]} tokens per input; longer inputs are cut
- seed {options["seed"]}, learning rate {options["lr"]:g}, batch size {options["batch_size"]}

## Eval figures (kept epoch)

| metric | value |
|---|---|
{figures}

## Command

    {command}

Use it with `--config {out / SNIPPET_FILE}`; `metrics.json` holds the figures as JSON.
"""
    (out / CARD_FILE).write_text(card, encoding="utf-8")

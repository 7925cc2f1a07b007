"""`summarizer train` and `summarizer split` end to end on tiny models and tiny data.

Each run trains a few steps from a tiny random base (tests/tiny_models.py), then loads
the saved folder back the way users do: through the config keys its snippet names.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safetensors.torch import load_file
from tiny_models import (
    build_tiny_bart,
    build_tiny_classifier,
    build_tiny_sentence_transformer,
)

from summarizer.config import Config
from summarizer.train.common import SEQ2SEQ_DEFAULTS, TrainOptions, options_from
from summarizer.train.tasks import DataSpec, train_topic

pytestmark = pytest.mark.slow

TOPIC_TEXTS = {
    "sports": [
        "The team won the match.",
        "The coach said the players lost the final.",
        "The league season ended with a cup game.",
        "The player won the cup final.",
        "Sports fans saw the team win the league.",
        "The football match was won by the team.",
    ],
    "business": [
        "The company said shares rose.",
        "Stock prices fell in the market.",
        "The bank raised interest rates.",
        "Oil prices rose and stocks fell.",
        "The company announced a deal with the bank.",
        "Business growth and jobs rose this year.",
    ],
}
TINY = ("--epochs", "2", "--max-length", "32", "--batch-size", "4", "--device", "cpu")


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bases")
    return {
        "classifier": build_tiny_classifier(root / "clf", ["x", "y"], max_positions=64),
        "embedder": build_tiny_sentence_transformer(root / "st"),
        "bart": build_tiny_bart(root / "bart"),
    }


@pytest.fixture()
def topics(tmp_path: Path) -> Path:
    records = [
        {"id": f"{label}-{i}", "body": text, "topic": label}
        for label, texts in TOPIC_TEXTS.items()
        for i, text in enumerate(texts)
    ]
    return write_jsonl(tmp_path / "topics.jsonl", records)


def test_train_topic_saves_a_model_the_pipeline_loads(
    tmp_path: Path, topics: Path, bases: dict[str, Path], cli
) -> None:
    out = tmp_path / "models" / "topics"
    result = cli(
        "train", "topic", "--train", str(topics), "--out", str(out),
        "--base", str(bases["classifier"]), "--text-field", "body", "--label-field", "topic",
        "--eval-split", "0.25", *TINY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"topic:\n  backend: classifier\n  model: {out}\n" in result.stdout
    assert "epoch 2/2: train loss" in result.stderr
    assert (out / "summarizer.yaml").read_text() == result.stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["labels"] == ["business", "sports"]
    assert (metrics["train_examples"], metrics["eval_examples"]) == (8, 4)  # 2 of 6 per label
    assert set(metrics["eval"]) == {"loss", "accuracy", "macro_f1"}
    assert metrics["options"]["seed"] == 0 and metrics["train_seconds"] > 0
    card = (out / "README.md").read_text()
    assert f"from base model `{bases['classifier']}`" in card
    assert f"- data: `{topics}`, 25% of it held out for evaluation" in card
    assert "- labels: `business`, `sports`" in card and "| macro_f1 |" in card
    assert "- examples: 8 for training, 4 for evaluation" in card
    assert "summarizer " in card.split("## Command")[1]
    # --max-length is saved with the model, so the backend truncates where training did
    assert json.loads((out / "tokenizer_config.json").read_text())["model_max_length"] == 32

    from summarizer import Pipeline

    config = {
        "device": "cpu",
        "embedding": {"model": str(bases["embedder"])},
        "topic": {"backend": "classifier", "model": str(out)},
    }
    pipeline = Pipeline.from_config(config)
    assert pipeline.classify.model.pipe.tokenizer.model_max_length == 32
    (page,) = pipeline(["The team won the cup final this season."])
    assert page.error is None
    assert {t.label for t in page.topics} == {"business", "sports"}


def _weights(path: Path) -> dict:
    return load_file(str(path / "model.safetensors"))


def test_a_fixed_seed_gives_the_same_model(tmp_path: Path, topics: Path, bases) -> None:
    spec = DataSpec(topics, eval_split=0.25, text_field="body", target_field="topic")
    runs = []
    for name in ("first", "second"):
        options = TrainOptions(
            out=tmp_path / name, base=str(bases["classifier"]), epochs=1, batch_size=4,
            max_length=32,
        )  # fmt: skip
        train_topic(spec, options)
        runs.append(_weights(tmp_path / name))
    assert runs[0].keys() == runs[1].keys()
    assert all((runs[0][key] == runs[1][key]).all() for key in runs[0])


def test_train_noise_from_line_labeled_pages(tmp_path: Path, bases, cli) -> None:
    lines = [
        ("Posted by staff", "byline"),
        ("The president said the economy grew this year.", "article"),
        ("Officials said prices rose.", "article"),
        ("Team wins the cup", "teaser_headline"),
        ("The team won the final and the coach said the players", "teaser_snippet"),
    ]
    pages = [
        {
            "id": f"p{i}",
            "text": "\n".join(t for t, _ in lines),
            "line_labels": [x for _, x in lines],
        }
        for i in range(4)
    ]
    data = write_jsonl(tmp_path / "pages.jsonl", pages)
    out = tmp_path / "noise"
    result = cli(
        "train", "noise", "--train", str(data), "--out", str(out),
        "--base", str(bases["classifier"]), "--eval-split", "0.25", *TINY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"noise:\n  model: {out}\n" in result.stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["labels"] == ["article", "byline", "teaser_headline", "teaser_snippet"]
    assert (metrics["train_examples"], metrics["eval_examples"]) == (15, 5)  # whole pages

    from summarizer import Pipeline

    config = {
        "device": "cpu",
        "embedding": {"model": str(bases["embedder"])},
        "noise": {"model": str(out)},
    }
    (page,) = Pipeline.from_config(config)([pages[0]["text"]])
    assert len(page.blocks) == len(lines)  # the block classifier loaded and ran


def test_train_summary_fine_tunes_a_tiny_bart(tmp_path: Path, bases, cli) -> None:
    pairs = [
        {"text": f"{text} The officials said more news would come.", "summary": text}
        for texts in TOPIC_TEXTS.values()
        for text in texts
    ]
    data = write_jsonl(tmp_path / "pairs.jsonl", pairs)
    out = tmp_path / "bart"
    result = cli(
        "train", "summary", "--train", str(data), "--out", str(out), "--base", str(bases["bart"]),
        "--epochs", "1", "--max-length", "64", "--max-target-length", "16", "--device", "cpu",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"summary:\n  backend: seq2seq\n  model: {out}\n" in result.stdout
    metrics = json.loads((out / "metrics.json").read_text())
    assert (metrics["train_examples"], metrics["eval_examples"]) == (11, 1)
    assert set(metrics["eval"]) == {"loss"}

    from transformers import AutoModelForSeq2SeqLM

    assert AutoModelForSeq2SeqLM.from_pretrained(out).config.model_type == "bart"


def test_train_summary_refuses_a_classifier_base(tmp_path: Path, bases, cli) -> None:
    data = write_jsonl(tmp_path / "pairs.jsonl", [{"text": "a b", "summary": "a"}] * 4)
    result = cli(
        "train", "summary", "--train", str(data), "--out", str(tmp_path / "o"),
        "--base", str(bases["classifier"]), "--device", "cpu",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "is not a sequence-to-sequence model" in result.stderr


@pytest.mark.parametrize(
    ("records", "eval_records", "message"),
    [
        ([], None, "no records (the file is empty)"),
        (
            [{"text": "a", "topic": "x"}],
            None,
            "record 1 has no 'label' field (its fields: text, topic); name the right one "
            "with --label-field",
        ),
        ([{"text": f"t{i}", "label": "x"} for i in range(5)], None, "every record has the label"),
        (
            [{"text": f"t{i}", "label": "xy"[i % 2]} for i in range(6)],
            [{"text": "t", "label": "z"}],
            "label 'z' (1 records) is not one of the training data's labels (x, y)",
        ),
    ],
    ids=["empty", "no-label-field", "one-class", "unknown-eval-label"],
)
def test_bad_training_data_is_one_clear_error(
    tmp_path: Path, records: list[dict], eval_records: list[dict] | None, message: str, cli
) -> None:
    data = write_jsonl(tmp_path / "train.jsonl", records)
    args = ["train", "topic", "--train", str(data), "--out", str(tmp_path / "out")]
    if eval_records is not None:
        args += ["--eval", str(write_jsonl(tmp_path / "eval.jsonl", eval_records))]
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_split_is_stratified_seeded_and_keeps_eval_fixed_for_few_shot(
    tmp_path: Path, topics: Path, cli
) -> None:
    def split(out: str, *extra: str) -> tuple[list[dict], list[dict]]:
        result = cli(
            "split", str(topics), "--out-dir", str(tmp_path / out), "--label-field", "topic",
            "--eval-fraction", "0.5", *extra,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        read = (tmp_path / out / "train.jsonl", tmp_path / out / "eval.jsonl")
        return tuple([json.loads(x) for x in p.read_text().splitlines()] for p in read)

    train, held_out = split("a")
    assert [r["topic"] for r in held_out].count("sports") == 3  # half of each label
    assert {r["id"] for r in train}.isdisjoint(r["id"] for r in held_out)
    assert split("b") == (train, held_out)  # same seed, same split
    few, few_eval = split("c", "--per-class", "1")
    assert few_eval == held_out and sorted(r["topic"] for r in few) == ["business", "sports"]
    assert {r["id"] for r in few} <= {r["id"] for r in train}


def test_labeled_data_reads_csv_and_datasets_folders_alike(tmp_path: Path) -> None:
    from datasets import Dataset, DatasetDict

    from summarizer.errors import UserError
    from summarizer.io.labeled import read_records

    records = [{"text": "The team won.", "label": "sports"}, {"text": "Rates rose.", "label": "x"}]
    (tmp_path / "data.csv").write_text("text,label\nThe team won.,sports\nRates rose.,x\n")
    Dataset.from_list(records).save_to_disk(str(tmp_path / "ds"))
    assert read_records(tmp_path / "data.csv") == records
    assert read_records(tmp_path / "ds") == records
    DatasetDict({"train": Dataset.from_list(records)}).save_to_disk(str(tmp_path / "dd"))
    with pytest.raises(UserError, match=r"several splits \(train\); pass one split's folder"):
        read_records(tmp_path / "dd")


def test_split_train_and_eval_read_parquet_as_they_read_jsonl(
    tmp_path: Path, topics: Path, bases, cli
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    records = [json.loads(line) for line in topics.read_text().splitlines()]
    data = tmp_path / "topics.parquet"
    pq.write_table(pa.Table.from_pylist(records), data)
    fields = ("--text-field", "body", "--label-field", "topic")

    split = tmp_path / "split"
    result = cli("split", str(data), "--out-dir", str(split), "--label-field", "topic")
    assert result.exit_code == 0, result.output
    parts = [split / "train.jsonl", split / "eval.jsonl"]
    written = [json.loads(line) for part in parts for line in part.read_text().splitlines()]
    assert sorted(written, key=lambda r: r["id"]) == sorted(records, key=lambda r: r["id"])

    out = tmp_path / "model"
    result = cli(
        "train", "topic", "--train", str(data), "--out", str(out),
        "--base", str(bases["classifier"]), "--eval-split", "0.25", *fields, *TINY,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads((out / "metrics.json").read_text())["train_examples"] == 8

    result = cli(
        "eval", "topic", str(data), *fields, "--set", "topic.backend=classifier",
        "--set", f"topic.model={out}", "--set", f"embedding.model={bases['embedder']}",
        "--set", "noise.enabled=false", "--device", "cpu", "--json", str(tmp_path / "f.json"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "f.json").read_text())["records"] == len(records) == 12


def test_titles_go_on_the_first_line_where_records_have_one(tmp_path: Path) -> None:
    from summarizer.io.labeled import text_column

    records = [{"title": "Cup final", "text": "The team won."}, {"title": "", "text": "Rates."}]
    records.append({"text": "No title here."})
    texts = text_column(records, "text", tmp_path, "title")
    assert texts == ["Cup final\nThe team won.", "Rates.", "No title here."]
    assert text_column(records, "text", tmp_path) == ["The team won.", "Rates.", "No title here."]


def test_the_training_device_resolves_as_the_config_does_and_keeps_a_gpu_index() -> None:
    from transformers import TrainingArguments

    from summarizer.errors import ConfigError
    from summarizer.train.common import device_arguments, train_device

    assert train_device("cpu") == "cpu"
    with pytest.raises(ConfigError, match="--device gpu: device: must be auto, cpu, cuda"):
        train_device("gpu")
    assert device_arguments(TrainingArguments, "cpu") is TrainingArguments
    pinned = device_arguments(TrainingArguments, "cuda:1")
    assert issubclass(pinned, TrainingArguments) and pinned is not TrainingArguments


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["train", "topic", "--batch-size", "0"], 2, "--batch-size 0: must be at least 1"),
        (["train", "topic", "--epochs", "-1"], 2, "--epochs -1.0: must be over 0"),
        (["train", "noise", "--epochs", "nan"], 2, "--epochs nan: must be a finite number"),
        (["train", "topic", "--lr", "0"], 2, "--lr 0.0: must be over 0"),
        (["train", "topic", "--max-length", "0"], 2, "--max-length 0: must be at least 1"),
        (["train", "topic", "--patience", "0"], 2, "--patience 0: must be at least 1"),
        (["train", "topic", "--seed", "-1"], 2, "--seed -1: must be at least 0 and at most"),
        (["train", "summary", "--base", "x", "--max-target-length", "0"], 2, "must be at least 1"),
        (["train", "topic", "--out", "{file}"], 1, "is a file; give a folder path"),
        (["split", "--per-class", "-1"], 2, "--per-class -1: must be at least 1"),
        (["split", "--out-dir", "{file}"], 1, "--out-dir {file}: is a file; give a folder path"),
    ],
)
def test_bad_arguments_are_one_line_before_any_work(
    tmp_path: Path, topics: Path, cli, args: list[str], code: int, message: str
) -> None:
    file = tmp_path / "a-file"
    file.write_text("in the way")
    command = args[:2] if args[0] == "train" else args[:1]
    given = [a.format(file=file) for a in args[len(command) :]]
    if args[0] == "train":
        given = ["--train", str(topics), "--out", str(tmp_path / "out"), *given]
    else:
        given = [str(topics), "--out-dir", str(tmp_path / "out"), *given]
    result = cli(*command, *given)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ") and message.format(file=file) in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "line", ["1" * 5000, "[" * 100_000], ids=["int-over-4300-digits", "deep-nesting"]
)
def test_a_jsonl_line_json_cannot_parse_is_one_error(tmp_path: Path, line: str) -> None:
    from summarizer.errors import UserError
    from summarizer.io.labeled import read_records

    path = tmp_path / "data.jsonl"
    path.write_text('{"text": "ok", "label": "x"}\n' + line + "\n")
    with pytest.raises(UserError, match="line 2: not a JSON object"):
        read_records(path)


def test_train_and_split_refuse_to_overwrite_without_the_flag(
    tmp_path: Path, topics: Path, cli
) -> None:
    out = tmp_path / "model"
    out.mkdir()
    (out / "model.safetensors").write_text("an earlier run")
    result = cli("train", "topic", "--train", str(topics), "--out", str(out))
    assert result.exit_code == 1
    assert result.stderr == f"error: --out {out}: already exists; pass --overwrite to replace it\n"
    assert (out / "model.safetensors").read_text() == "an earlier run"
    parts = tmp_path / "parts"
    args = ("split", str(topics), "--out-dir", str(parts), "--label-field", "topic")
    assert cli(*args).exit_code == 0
    again = cli(*args)
    assert again.exit_code == 1
    assert again.stderr == (
        f"error: --out-dir {parts / 'train.jsonl'}: already exists; pass --overwrite to "
        "replace it\n"
    )
    assert cli(*args, "--overwrite").exit_code == 0


def test_training_knobs_come_from_the_option_then_the_config_then_the_task() -> None:
    cfg = Config.model_validate({"device": "cpu", "train": {"lr": 1e-4, "max_length": 64}})
    given = {"base": None, "epochs": 2.0, "lr": None, "batch_size": None}
    given |= {"max_length": None, "seed": 7, "patience": None}
    options = options_from(cfg, Path("out"), given, SEQ2SEQ_DEFAULTS)
    assert (options.lr, options.max_length, options.batch_size) == (1e-4, 64, 8)
    assert (options.epochs, options.seed, options.device) == (2.0, 7, "cpu")
    assert options.base == "all-MiniLM-L6-v2" and options.patience == 2


def test_train_takes_config_and_set_with_one_line_errors(tmp_path: Path, topics: Path, cli) -> None:
    out = str(tmp_path / "out")
    result = cli("train", "topic", "--train", str(topics), "--out", out, "--set", "train.lr=0")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "train.lr" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("dtype", "bf16"), [("auto", False), ("float32", False), ("bfloat16", True)]
)
def test_the_config_dtype_sets_mixed_precision(tmp_path: Path, dtype: str, bf16: bool) -> None:
    """`dtype: auto` trains in float32 on a CPU (bf16 mixed precision on a bf16 GPU);
    an explicit bfloat16 asks the Trainer for bf16 autocast wherever it runs."""
    from transformers import TrainingArguments

    from summarizer.train.common import training_arguments

    options = TrainOptions(out=tmp_path / "m", device="cpu", dtype=dtype)
    arguments = training_arguments(TrainingArguments, options, 64, str(tmp_path / "c"), "loss")
    assert (arguments.bf16, arguments.fp16) == (bf16, False)

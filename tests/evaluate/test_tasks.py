"""`summarizer eval`: figures from a pipeline with known answers, then the real command.

The first tests drive `summarizer.evaluate.tasks` with a stand-in pipeline whose predictions
are fixed, so every figure (and the baseline row) is checked against a hand count. The
last one runs `summarizer eval topic` end to end on tiny models through the CLI.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from tiny_models import build_tiny_classifier, build_tiny_sentence_transformer

from summarizer import __version__
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.evaluate.report import html_report
from summarizer.evaluate.tasks import Fields, evaluate_noise, evaluate_summary, evaluate_topic
from summarizer.types import Block, Result, Topic


class FixedPipeline:
    """Answers from a dict keyed by text: a topic label, block noise flags or a summary."""

    def __init__(self, answers: dict[str, object], labels: tuple[str, ...] = ()) -> None:
        self.answers = answers
        self.labels = labels
        self.config = Config()
        self.classify = SimpleNamespace(prototypes=None)  # zero-shot, as eval reports it
        self.calls = 0

    def __call__(self, texts: list[str], ids: list[str], titles: object = None) -> list[Result]:
        self.calls += 1
        return [self._result(text, doc_id) for text, doc_id in zip(texts, ids)]

    def _result(self, text: str, doc_id: str) -> Result:
        answer = self.answers[text]
        if answer is None:
            return Result.failed(doc_id, f"{doc_id}: no article found")
        if isinstance(answer, list):
            lines = text.split("\n")
            blocks = [
                Block(i, line, "teaser" if n else "article", n)
                for i, (line, n) in enumerate(zip(lines, answer))
            ]
            return Result(doc_id, article=lines[0], blocks=blocks)
        if self.labels:
            topics = [Topic(str(answer), 0.9)] + [
                Topic(x, 0.05) for x in self.labels if x != answer
            ]
            return Result(doc_id, topic=topics[0], topics=topics)
        return Result(doc_id, summary=str(answer), article=text)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


LABELS = ("business", "sports", "world")


@pytest.fixture()
def topic_data(tmp_path: Path) -> Path:
    # gold: sports x3, business x2, world x1
    gold = ["sports", "sports", "sports", "business", "business", "world"]
    return write_jsonl(
        tmp_path / "topics.jsonl",
        [{"id": f"d{i}", "text": f"text {i}", "label": g} for i, g in enumerate(gold)],
    )


def test_topic_figures_and_majority_baseline(topic_data: Path) -> None:
    answers = {
        "text 0": "sports",
        "text 1": "sports",
        "text 2": "business",
        "text 3": "business",
        "text 4": "world",
        "text 5": None,
    }
    evaluation = evaluate_topic(FixedPipeline(answers, LABELS), topic_data, Fields(), True)
    model, baseline = evaluation.rows
    assert model == "summarizer (embedding)"
    # right: d0, d1, d3; d5 failed and counts as wrong
    assert evaluation.rows[model]["accuracy"] == pytest.approx(3 / 6)
    per_class = evaluation.classes[model]["per_class"]
    assert per_class["sports"]["f1"] == pytest.approx(0.8)  # tp 2, fn 1
    assert per_class["business"]["f1"] == pytest.approx(0.5)  # tp 1, fp 1, fn 1
    assert per_class["world"]["f1"] == 0.0  # its one record failed
    assert evaluation.rows[model]["macro_f1"] == pytest.approx((0.8 + 0.5 + 0.0) / 3)
    assert evaluation.classes[model]["confusion"] == [[1, 0, 1], [1, 2, 0], [0, 0, 0]]
    # the majority class is sports: right 3 of 6; F1 sports 2*0.5*1/1.5, others 0
    assert baseline == "majority class (sports)"
    assert evaluation.rows[baseline]["accuracy"] == pytest.approx(0.5)
    assert evaluation.rows[baseline]["macro_f1"] == pytest.approx((2 / 3) / 3)
    assert evaluation.failed == 1 and "no article found" in evaluation.first_error
    assert [e["id"] for e in evaluation.examples] == ["d2", "d4", "d5"]


def test_topic_without_baseline_has_one_row(topic_data: Path) -> None:
    answers = {f"text {i}": "sports" for i in range(6)}
    evaluation = evaluate_topic(FixedPipeline(answers, LABELS), topic_data, Fields(), False)
    assert list(evaluation.rows) == ["summarizer (embedding)"]


def test_an_eval_label_the_model_lacks_is_one_error_before_the_run(topic_data: Path) -> None:
    pipeline = FixedPipeline({f"text {i}": "sports" for i in range(6)}, ("sports", "business"))
    with pytest.raises(UserError, match=r"label 'world' \(1 records\) is not one of the model's"):
        evaluate_topic(pipeline, topic_data, Fields(), True)
    assert pipeline.calls == 1  # one probe record, not the whole file


def test_noise_figures_and_keep_everything_baseline(tmp_path: Path) -> None:
    pages = [
        {
            "id": "p1",
            "text": "Story one.\nRead more\nHeadline",
            "line_labels": ["article", "boilerplate", "teaser_headline"],
        },
        {"id": "p2", "text": "Story two.\nMore story.", "line_labels": ["article", "article"]},
        {"id": "p3", "text": "Only line", "line_labels": ["article", "article"]},
    ]
    path = write_jsonl(tmp_path / "pages.jsonl", pages[:2])
    answers = {pages[0]["text"]: [False, True, False], pages[1]["text"]: [False, True]}
    evaluation = evaluate_noise(FixedPipeline(answers), path, Fields(target="line_labels"), True)
    model = "summarizer (rules)"
    # gold noise: F T T | F F ; predicted: F T F | F T -> tp 1, fp 1, fn 1
    assert evaluation.rows[model]["precision"] == pytest.approx(0.5)
    assert evaluation.rows[model]["recall"] == pytest.approx(0.5)
    assert evaluation.rows[model]["accuracy"] == pytest.approx(3 / 5)
    assert evaluation.rows["keep everything"]["accuracy"] == pytest.approx(3 / 5)
    assert evaluation.rows["keep everything"]["f1"] == 0.0
    assert evaluation.by_label["boilerplate"] == {"blocks": 1, "flagged": 1.0}
    assert evaluation.by_label["article"] == {"blocks": 3, "flagged": pytest.approx(1 / 3)}
    assert {(e["id"], e["block"]) for e in evaluation.examples} == {("p1", 2), ("p2", 1)}
    bad = write_jsonl(tmp_path / "bad.jsonl", pages[2:])
    with pytest.raises(UserError, match="record 1 has 1 lines but 2 'line_labels' labels"):
        evaluate_noise(FixedPipeline({}), bad, Fields(target="line_labels"), True)


def test_summary_rouge_and_lead3(tmp_path: Path) -> None:
    text = "The cat sat. The dog ran. The bird flew. The fish swam."
    path = write_jsonl(
        tmp_path / "sums.jsonl", [{"id": "s", "text": text, "summary": "The cat sat."}]
    )
    evaluation = evaluate_summary(
        FixedPipeline({text: "The fish swam."}), path, Fields(target="summary"), True
    )
    model = "summarizer (extractive)"
    # "the fish swam" vs "the cat sat": only "the" is shared -> R1 1/3, R2 0
    assert evaluation.rows[model]["rouge1"] == pytest.approx(1 / 3)
    assert evaluation.rows[model]["rouge2"] == 0.0
    assert evaluation.rows[model]["words"] == 3
    # lead-3: 9 words holding all 3 of the reference's -> P 1/3, R 1 -> F1 0.5
    assert evaluation.rows["lead-3"]["rouge1"] == pytest.approx(0.5)
    assert evaluation.examples[0]["reference"] == "The cat sat."


def test_html_report_has_the_confusion_picture_and_errors(topic_data: Path) -> None:
    answers = {f"text {i}": "sports" for i in range(6)}
    evaluation = evaluate_topic(FixedPipeline(answers, LABELS), topic_data, Fields(), True)
    page = html_report(evaluation)
    assert page.count("<svg") == 1 and "gold business, predicted sports: 2" in page
    assert "errors of summarizer (embedding) (3 shown)" in page and "d5" in page


@pytest.mark.slow
def test_eval_topic_command_end_to_end(tmp_path: Path, cli) -> None:
    """The real path: a trained-style classifier through the pipeline, JSON and HTML out."""
    model = build_tiny_classifier(tmp_path / "clf", ["business", "sports"])
    embedder = build_tiny_sentence_transformer(tmp_path / "st")
    texts = {
        "sports": "The team won the match and the cup final this season.",
        "business": "The company said shares and prices rose in the market this year.",
    }
    data = write_jsonl(
        tmp_path / "eval.jsonl",
        [
            {"id": f"{label}-{i}", "text": text, "label": label}
            for label, text in texts.items()
            for i in range(2)
        ],
    )
    result = cli(
        "eval",
        "topic",
        str(data),
        "--set",
        "topic.backend=classifier",
        "--set",
        f"topic.model={model}",
        "--set",
        f"embedding.model={embedder}",
        "--set",
        "noise.enabled=false",
        "--device",
        "cpu",
        "--json",
        str(tmp_path / "figures.json"),
        "--report",
        str(tmp_path / "report.html"),
    )
    assert result.exit_code == 0, result.output
    assert "accuracy" in result.output and "majority class (business)" in result.output
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert figures["records"] == 4
    assert set(figures["rows"]) == {
        f"summarizer (classifier, {model})",
        "majority class (business)",
    }
    assert figures["rows"]["majority class (business)"]["accuracy"] == 0.5
    assert "<svg" in (tmp_path / "report.html").read_text()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: ["--report", str(d)], "--report {d}: is a folder; give a file path"),
        (lambda d: ["--json", str(d / "a.txt" / "x.json")], "a.txt is a file, so no folder"),
        (lambda d: ["--report", str(d / "a.txt" / "r.html")], "a.txt is a file, so no folder"),
    ],
    ids=["report-at-a-folder", "json-under-a-file", "report-under-a-file"],
)
def test_bad_output_paths_fail_before_the_model_loads(
    tmp_path: Path, topic_data: Path, cli, monkeypatch: pytest.MonkeyPatch, make, message: str
) -> None:
    (tmp_path / "a.txt").write_text("in the way")
    monkeypatch.setattr("summarizer.cli.finetune.build_pipeline", _no_model)
    result = cli("eval", "topic", str(topic_data), *make(tmp_path))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and message.format(d=tmp_path) in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_eval_data_fails_before_the_model_loads(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("summarizer.cli.finetune.build_pipeline", _no_model)
    result = cli("eval", "summary", str(tmp_path / "nope.jsonl"))
    assert (
        result.exit_code == 1 and result.stderr == f"error: {tmp_path}/nope.jsonl: no such file\n"
    )


def _no_model(config: Config) -> None:
    raise AssertionError("the model loaded before the arguments were checked")


def test_markup_in_labels_and_ids_is_printed_as_text(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Labels, ids and file names are the user's: "[/x]" is rich markup that used to stop
    the printing with a MarkupError before the JSON and HTML were written."""
    labels = ("[/x]", "[bold]sports")
    data = write_jsonl(
        tmp_path / "[red]data.jsonl",
        [
            {"id": "[/x]", "text": "a", "label": "[/x]"},
            {"id": "[/y]", "text": "b", "label": "[bold]sports"},
            {"id": "[/z]", "text": "c", "label": "[bold]sports"},
        ],
    )
    pipeline = FixedPipeline({"a": "[/x]", "b": "[/x]", "c": None}, labels)
    monkeypatch.setattr("summarizer.cli.finetune.build_pipeline", lambda config: pipeline)
    json_path, report = tmp_path / "new" / "folder" / "figures.json", tmp_path / "r.html"
    args = ["eval", "topic", str(data), "--json", str(json_path), "--report", str(report)]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "[red]data.jsonl" in result.stdout and "[bold]sports" in result.stdout
    assert "(first: [/z]: no article found)" in " ".join(result.stdout.split())
    assert json.loads(json_path.read_text())["classes"]["summarizer (embedding)"]["labels"] == [
        "[/x]",
        "[bold]sports",
    ]
    assert "[bold]sports" in report.read_text()


def test_reports_record_their_provenance(
    tmp_path: Path, topic_data: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Version, command, date, data and its sha256, seed, models and the effective config,
    in the JSON and the HTML, so a figure can be traced back and reproduced."""
    answers = {f"text {i}": "sports" for i in range(6)}
    pipeline = FixedPipeline(answers, LABELS)
    monkeypatch.setattr("summarizer.cli.finetune.build_pipeline", lambda config: pipeline)
    monkeypatch.setattr("sys.argv", ["summarizer", "eval", "topic", str(topic_data)])
    json_path, report = tmp_path / "figures.json", tmp_path / "report.html"
    args = ["--set", "topic.temperature=0.5", "--json", str(json_path), "--report", str(report)]
    result = cli("eval", "topic", str(topic_data), *args)
    assert result.exit_code == 0, result.output
    made = json.loads(json_path.read_text())["provenance"]
    assert made["tool"] == "summarizer" and made["version"] == __version__
    assert made["command"] == f"summarizer eval topic {topic_data}"
    assert datetime.fromisoformat(made["date"]).tzinfo is not None
    assert made["data"] == str(topic_data)
    assert made["data_sha256"] == hashlib.sha256(topic_data.read_bytes()).hexdigest()
    assert made["seed"] is None
    assert made["models"][0]["key"] == "embedding.model"
    assert made["models"][0]["name"] == "all-MiniLM-L6-v2"
    assert made["models"][0]["source"] == "embedded"
    assert yaml.safe_load(made["config"])["topic"]["temperature"] == 0.5
    page = report.read_text()
    assert made["data_sha256"] in page and "<h2>provenance</h2>" in page
    assert "temperature: 0.5" in page and "all-MiniLM-L6-v2" in page


def test_topic_report_has_f1_bars_calibration_and_confident_errors_first(
    topic_data: Path,
) -> None:
    answers = {f"text {i}": "sports" for i in range(6)}
    pipeline = FixedPipeline(answers, LABELS)
    evaluation = evaluate_topic(pipeline, topic_data, Fields(), False)
    # every record gets sports at 0.9: accuracy 3/6
    assert evaluation.calibration == pytest.approx({"mean_confidence": 0.9, "accuracy": 0.5})
    page = html_report(evaluation)
    assert "overconfident by 0.400" in page and "<h2>F1 per class</h2>" in page
    assert page.count('class="bar"') == len(LABELS)
    assert evaluation.examples[0]["second"] == "business (0.05)"


def test_noise_report_shows_the_wrong_pages_whole(tmp_path: Path) -> None:
    pages = [
        {"id": "p1", "text": "Story.\nRead more", "line_labels": ["article", "boilerplate"]},
        {"id": "p2", "text": "Story two.\nMore.", "line_labels": ["article", "article"]},
        {"id": "p3", "text": "Fine.\n<b>Ad</b>", "line_labels": ["article", "boilerplate"]},
    ]
    path = write_jsonl(tmp_path / "pages.jsonl", pages)
    answers = {
        pages[0]["text"]: [False, False],
        pages[1]["text"]: [False, True],
        pages[2]["text"]: [False, True],
    }
    evaluation = evaluate_noise(FixedPipeline(answers), path, Fields(target="line_labels"), True)
    assert [(r.id, gold) for r, gold in evaluation.pages] == [
        ("p1", ["article", "boilerplate"]),
        ("p2", ["article", "article"]),
    ]
    page = html_report(evaluation)
    assert "<h2>pages with wrong blocks (2 shown)</h2>" in page
    assert page.count('data-gold="') == 4 and page.count("block wrong") == 1
    assert page.count("block noise wrong") == 1 and "<b>Ad</b>" not in page

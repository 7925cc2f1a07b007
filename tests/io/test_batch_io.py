"""Batch inputs, outputs, resume and error records, with a fake pipeline (no model loads).

These tests are about I/O and bookkeeping, so a stand-in pipeline that summarizes a text
as its first word keeps them fast; tests/cli/test_batch.py runs the real models.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from summarizer.batch.budget import ChunkBudget
from summarizer.batch.job import BatchJob
from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.io.formats import csv_columns, result_schema
from summarizer.io.readers import Fields, open_input
from summarizer.timing import StageTimes
from summarizer.types import Result, Topic

ROWS = [{"id": f"doc-{i}", "text": f"word{i} and some more text"} for i in range(7)]
SLOW_SECONDS = 0.3


class FakePipeline:
    """Summary = the text's first word; a text with MODEL-ERROR makes the whole call fail,
    one with STALL makes it hang, and each text with SLOW adds `SLOW_SECONDS`."""

    def __init__(self, stop_after_calls: int | None = None) -> None:
        self.times = StageTimes()
        self.calls: list[list[str]] = []
        self.stop_after_calls = stop_after_calls

    def __call__(
        self, texts: Sequence[str], ids: Sequence[str], titles: Sequence[str | None]
    ) -> list[Result]:
        if self.stop_after_calls is not None and len(self.calls) >= self.stop_after_calls:
            raise KeyboardInterrupt  # what a Ctrl-C (or a kill) between chunks looks like
        self.calls.append(list(ids))
        with self.times("embed"):
            if any("MODEL-ERROR" in text for text in texts):
                raise RuntimeError("model blew up")
            time.sleep(SLOW_SECONDS * sum("SLOW" in text for text in texts))
            if any("STALL" in text for text in texts):
                time.sleep(3600)
            return [_fake_result(*row) for row in zip(ids, texts, titles)]


def _fake_result(doc_id: str, text: str, title: str | None) -> Result:
    if not text.strip():
        return Result.failed(doc_id, f"{doc_id}: the document is empty")
    topic = Topic("news", 1.0)
    return Result(id=doc_id, summary=text.split()[0], topic=topic, topics=[topic], title=title)


def config(**batch: object) -> Config:
    """A small-chunk config; no topic adaptation (the stand-in pipeline has no topic model)."""
    return Config.model_validate({"batch": {"chunk_size": 3, **batch}, "topic": {"adapt": "none"}})


def run(source: Path, target: Path, pipeline: FakePipeline | None = None, **kw: object):
    batch_keys = ("_field", "_fields", "chunk_size", "timeout")
    batch = {k: kw.pop(k) for k in list(kw) if k.endswith(batch_keys)}
    job = BatchJob(source, target, config(**batch), **kw)  # type: ignore[arg-type]
    return job.run(pipeline or FakePipeline())


def jsonl(path: Path, rows: list[dict] | list[str]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- inputs --------------------------------------------------------------------------


def write_input(kind: str, folder: Path, rows: list[dict]) -> Path:
    """The same rows as each input format `batch` reads."""
    if kind == "jsonl":
        return jsonl(folder / "in.jsonl", rows)
    if kind == "csv":
        path = folder / "in.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["id", "text"])
            writer.writeheader()
            writer.writerows(rows)
        return path
    if kind == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = folder / "in.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=2)
        return path
    if kind == "dataset":
        import datasets

        path = folder / "in_dataset"
        datasets.Dataset.from_list(rows).save_to_disk(str(path))
        return path
    path = folder / "pages"
    path.mkdir()
    for row in rows:
        (path / f"{row['id']}.txt").write_text(row["text"], encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet", "dataset", "folder"])
def test_every_input_format_gives_one_record_per_row_in_order(kind: str, tmp_path: Path) -> None:
    source = write_input(kind, tmp_path, ROWS)
    stats = run(source, tmp_path / "out.jsonl")
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == [row["id"] for row in ROWS]
    assert [r["summary"] for r in records] == [f"word{i}" for i in range(len(ROWS))]
    assert (stats.records, stats.errors, stats.total) == (len(ROWS), 0, len(ROWS))


def test_chunks_go_through_the_pipeline_together(tmp_path: Path) -> None:
    pipeline = FakePipeline()
    run(jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl", pipeline, chunk_size=3)
    assert pipeline.calls == [["doc-0", "doc-1", "doc-2"], ["doc-3", "doc-4", "doc-5"], ["doc-6"]]


def test_bad_records_become_error_records_in_place(tmp_path: Path) -> None:
    lines = [
        json.dumps(ROWS[0]),
        "{not json",
        json.dumps({"id": "no-text", "body": "the text is elsewhere"}),
        json.dumps({"id": "blank", "text": "   "}),
        "[1, 2]",
        json.dumps(ROWS[1]),
    ]
    stats = run(jsonl(tmp_path / "in.jsonl", lines), tmp_path / "out.jsonl")
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == ["doc-0", "line-2", "no-text", "blank", "line-5", "doc-1"]
    assert [r["error"] is not None for r in records] == [False, True, True, True, True, False]
    assert records[1]["error"] == "line 2: not a JSON object"
    assert records[2]["error"] == "line 3: no 'text' text"
    assert (stats.records, stats.errors) == (6, 4)


def test_csv_row_without_text_is_an_error_record(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('id,text\na,"first, page"\nb,\nc\n"",last page\n', encoding="utf-8")
    stats = run(source, tmp_path / "out.jsonl")
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["id"] for r in records] == ["a", "b", "c", "row-4"]
    assert records[0]["summary"] == "first,"
    assert records[1]["error"] == "b: the document is empty"
    assert records[2]["error"] == "row 3: no 'text' text"
    assert stats.errors == 2


def test_missing_ids_get_row_numbers_and_named_fields_are_used(tmp_path: Path) -> None:
    rows = [{"body": "alpha text", "headline": "Alpha"}, {"body": "beta text"}]
    source = jsonl(tmp_path / "in.jsonl", rows)
    run(source, tmp_path / "out.jsonl", text_field="body", title_field="headline")
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [(r["id"], r["summary"], r["title"]) for r in records] == [
        ("line-1", "alpha", "Alpha"),
        ("line-2", "beta", None),
    ]


def test_a_title_field_is_read_by_default_and_empty_names_none(tmp_path: Path) -> None:
    rows = [{"id": "a", "text": "alpha text", "title": "Alpha"}, {"id": "b", "text": "beta"}]
    source = jsonl(tmp_path / "in.jsonl", rows)
    run(source, tmp_path / "default.jsonl")
    assert [r["title"] for r in read_jsonl(tmp_path / "default.jsonl")] == ["Alpha", None]
    run(source, tmp_path / "none.jsonl", title_field="")
    assert [r["title"] for r in read_jsonl(tmp_path / "none.jsonl")] == [None, None]
    run(jsonl(tmp_path / "plain.jsonl", ROWS[:2]), tmp_path / "plain.out.jsonl")  # no title
    assert [r["title"] for r in read_jsonl(tmp_path / "plain.out.jsonl")] == [None, None]


KEPT_ROWS = [
    {"id": "a", "text": "alpha text", "url": "https://x.test/a", "views": 3},
    {"id": "b", "text": "", "url": "https://x.test/b", "views": None},  # an error record
    '{"id": "c", "text": ',  # malformed: nothing to keep
]


def test_keep_fields_copies_the_named_input_fields_into_every_record(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", KEPT_ROWS)
    run(source, tmp_path / "out.jsonl", keep_fields=["url", "views"])
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r.get("fields") for r in records] == [
        {"url": "https://x.test/a", "views": 3},
        {"url": "https://x.test/b", "views": None},
        None,
    ]
    assert records[1]["error"] and records[2]["error"]  # kept on error records too
    run(source, tmp_path / "all.jsonl", keep_fields=["all"])
    first = read_jsonl(tmp_path / "all.jsonl")[0]["fields"]
    assert first == {"id": "a", "url": "https://x.test/a", "views": 3}  # all but the text
    run(source, tmp_path / "none.jsonl")
    assert "fields" not in read_jsonl(tmp_path / "none.jsonl")[0]  # the key is opt-in


def test_kept_fields_reach_csv_and_parquet_as_json(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    source = jsonl(tmp_path / "in.jsonl", KEPT_ROWS[:2])
    run(source, tmp_path / "out.parquet", keep_fields=["url"])
    stored = pq.read_table(tmp_path / "out.parquet").column("fields").to_pylist()
    assert [json.loads(value) for value in stored] == [
        {"url": "https://x.test/a"},
        {"url": "https://x.test/b"},
    ]
    run(source, tmp_path / "out.csv", keep_fields=["url"])
    with (tmp_path / "out.csv").open(newline="", encoding="utf-8") as handle:
        assert json.loads(next(csv.DictReader(handle))["fields"]) == {"url": "https://x.test/a"}


def test_keeping_a_field_the_input_lacks_or_a_folder_is_a_user_error(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", ROWS)
    with pytest.raises(UserError, match=r"no field 'url' \(fields: id, text\).*--keep-fields"):
        open_input(source, Fields(keep=("url",)), 1000)
    pages = write_input("folder", tmp_path, ROWS)
    with pytest.raises(UserError, match="a folder of pages has no fields to keep"):
        open_input(pages, Fields(keep=("url",)), 1000)


def test_oversized_text_is_an_error_record(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", [{"id": "big", "text": "x" * 200}, ROWS[0]])
    small = Config.model_validate({"input": {"max_bytes": 100}, "topic": {"adapt": "none"}})
    job = BatchJob(source, tmp_path / "out.jsonl", small)
    assert job.run(FakePipeline()).errors == 1
    assert "over the 0.0 MB limit" in read_jsonl(tmp_path / "out.jsonl")[0]["error"]


@pytest.mark.parametrize("kind", ["jsonl", "csv", "parquet", "dataset"])
def test_a_field_the_input_lacks_is_a_user_error(kind: str, tmp_path: Path) -> None:
    source = write_input(kind, tmp_path, ROWS)
    with pytest.raises(UserError, match=r"no field 'body' \(fields: .*text.*--text-field"):
        open_input(source, Fields(text="body"), 1000)
    with pytest.raises(UserError, match="no field 'doc_id'.*--id-field"):
        open_input(source, Fields(id="doc_id"), 1000)


def test_unusable_inputs_and_outputs_are_user_errors(tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", ROWS)
    (tmp_path / "in.xml").write_text("<x/>")
    cases = [
        (tmp_path / "missing.jsonl", tmp_path / "o.jsonl", "no such file or folder"),
        (tmp_path / "in.xml", tmp_path / "o.jsonl", "unknown input format '.xml'"),
        (source, tmp_path / "o.txt", r"unknown output format '.txt'; end the name with .jsonl"),
        (source, source, "would overwrite the input"),
        (source, tmp_path, "unknown output format"),
        (source, _folder(tmp_path / "dir.jsonl"), "is a folder; -o needs a file name"),
    ]
    for src, out, message in cases:
        with pytest.raises(UserError, match=message):
            BatchJob(src, out, config())


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def test_empty_input_gives_an_empty_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("")
    for name in ("out.jsonl", "out.csv", "out.parquet"):
        stats = run(source, tmp_path / name)
        assert (stats.total, stats.records, stats.errors) == (0, 0, 0)
    assert (tmp_path / "out.jsonl").read_text() == ""
    assert (tmp_path / "out.csv").read_text().splitlines() == [",".join(csv_columns())]
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "out.parquet").num_rows == 0


# --- outputs -------------------------------------------------------------------------


def test_parquet_output_keeps_the_nested_record(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    rows = [*ROWS[:2], {"id": "blank", "text": ""}]
    run(jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema == result_schema()
    records = table.to_pylist()
    assert [r["id"] for r in records] == ["doc-0", "doc-1", "blank"]
    assert records[0]["topic"] == {"label": "news", "score": 1.0}
    assert records[0]["topics"] == [{"label": "news", "score": 1.0}]
    assert records[2]["topic"] is None and records[2]["error"] == "blank: the document is empty"
    assert not (tmp_path / "out.parquet.partial.jsonl").exists()


def test_csv_output_flattens_nested_fields(tmp_path: Path) -> None:
    run(jsonl(tmp_path / "in.jsonl", [*ROWS[:2], {"id": "blank", "text": ""}]), tmp_path / "o.csv")
    with (tmp_path / "o.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {"topic.label", "topic.score", "topics", "blocks", "error"} <= set(rows[0])
    assert [r["id"] for r in rows] == ["doc-0", "doc-1", "blank"]
    assert (rows[0]["topic.label"], rows[0]["topic.score"]) == ("news", "1.0")
    assert json.loads(rows[0]["topics"]) == [{"label": "news", "score": 1.0}]
    assert (rows[2]["topic.label"], rows[2]["error"]) == ("", "blank: the document is empty")


def test_parquet_schema_covers_every_result_field() -> None:
    from dataclasses import fields

    assert result_schema().names == [f.name for f in fields(Result)]


# --- model errors --------------------------------------------------------------------


def test_a_model_error_fails_only_its_own_record(tmp_path: Path) -> None:
    rows = [ROWS[0], {"id": "bad", "text": "MODEL-ERROR here"}, ROWS[1]]
    pipeline = FakePipeline()
    stats = run(jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl", pipeline)
    records = read_jsonl(tmp_path / "out.jsonl")
    assert [r["error"] for r in records] == [None, "bad: RuntimeError: model blew up", None]
    assert pipeline.calls[1:] == [["doc-0"], ["bad"], ["doc-1"]]  # the chunk, then one by one
    assert stats.errors == 1


# --- record_timeout ------------------------------------------------------------------


def test_a_record_over_record_timeout_is_an_error_record_and_the_run_goes_on(
    fake_cli, tmp_path: Path
) -> None:
    rows = [ROWS[0], {"id": "stuck", "text": "STALL forever"}, ROWS[1], ROWS[2]]
    source, out = jsonl(tmp_path / "in.jsonl", rows), tmp_path / "out.jsonl"
    started = time.perf_counter()
    result = fake_cli(
        "batch", str(source), "-o", str(out), "-q",
        "--set", "batch.chunk_size=3", "--set", "batch.record_timeout=0.5",
    )  # fmt: skip
    assert time.perf_counter() - started < 30  # the chunk's 0.5 s, then the record's own
    assert result.exit_code == 1
    assert result.stderr == f"1 of 4 records failed -> {out}\n"
    records = read_jsonl(out)
    assert [r["id"] for r in records] == ["doc-0", "stuck", "doc-1", "doc-2"]
    assert [r["summary"] for r in records] == ["word0", "", "word1", "word2"]
    assert records[1]["error"] == (
        "stuck: took longer than the 0.5 s record_timeout (batch.record_timeout; null for no limit)"
    )


def test_a_healthy_chunk_over_record_timeout_is_retried_once_then_given_time(
    tmp_path: Path,
) -> None:
    rows = [{"id": f"slow-{i}", "text": f"SLOW page {i}"} for i in range(6)]
    pipeline = FakePipeline()
    source = jsonl(tmp_path / "in.jsonl", rows)
    stats = run(source, tmp_path / "out.jsonl", pipeline, chunk_size=3, record_timeout=0.5)
    assert stats.errors == 0  # 0.3 s each alone: none is over 0.5 s
    # the first chunk (0.9 s) is over budget and retried one at a time, which shows what
    # a record takes; the second chunk then gets 4 x 3 records x 0.3 s
    first, second = [r["id"] for r in rows[:3]], [r["id"] for r in rows[3:]]
    assert pipeline.calls == [first, *([doc] for doc in first), second]


def test_a_chunk_budget_is_record_timeout_or_what_the_slowest_chunk_needed() -> None:
    budget = ChunkBudget(10.0)
    assert budget.seconds(256) == 10.0
    budget.observe(seconds=2.0, records=4)  # 4 x 4 records x 0.5 s is under 10 s
    assert budget.seconds(4) == 10.0
    budget.observe(seconds=40.0, records=4)  # 10 s a record: 4 records may take 4 x 40 s
    assert budget.seconds(4) == 160.0
    budget.observe(seconds=1.0, records=4)  # a faster chunk keeps the slowest rate
    assert budget.seconds(1) == 40.0
    assert ChunkBudget(None).seconds(256) is None


# --- existing outputs and resume -----------------------------------------------------


def test_an_existing_output_needs_resume_or_overwrite(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl"
    out.write_text("precious\n")
    with pytest.raises(UserError, match="already exists; pass --resume .* or --overwrite"):
        BatchJob(source, out, config())
    with pytest.raises(UserError, match="contradict"):
        BatchJob(source, out, config(), resume=True, overwrite=True)
    with pytest.raises(UserError, match="line 1 is not an output record"):
        BatchJob(source, out, config(), resume=True)
    run(source, out, overwrite=True)
    assert len(read_jsonl(out)) == len(ROWS)


def test_resume_redoes_a_torn_last_line_and_only_what_is_missing(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run(source, out, FakePipeline(stop_after_calls=2))
    journal = tmp_path / "out.jsonl.partial.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)  # the header, then 6 records
    journal.write_bytes(b"".join(lines[:5]) + lines[5][:25])  # killed while writing record 5
    pipeline = FakePipeline()
    stats = run(source, out, pipeline, resume=True)
    assert [r["id"] for r in read_jsonl(out)] == [row["id"] for row in ROWS]
    assert pipeline.calls == [["doc-4", "doc-5", "doc-6"]]
    assert (stats.resumed, stats.new, stats.records) == (4, 3, 7)


def test_resume_of_a_complete_output_does_nothing(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl"
    run(source, out)
    before = out.read_bytes()
    pipeline = FakePipeline()
    stats = run(source, out, pipeline, resume=True)
    assert (out.read_bytes(), pipeline.calls, stats.new, stats.resumed) == (before, [], 0, 7)


def test_resume_refuses_an_output_of_another_input(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run(jsonl(tmp_path / "a.jsonl", ROWS), out)
    other = jsonl(tmp_path / "b.jsonl", [{"id": "x", "text": "y"}, *ROWS])
    with pytest.raises(UserError, match="does not continue .*record 1 is 'doc-0'.* has 'x'"):
        BatchJob(other, out, config(), resume=True)
    shorter = jsonl(tmp_path / "c.jsonl", ROWS[:3])
    with pytest.raises(UserError, match="record 4 is 'doc-3' but the input has nothing"):
        BatchJob(shorter, out, config(), resume=True)


@pytest.mark.parametrize("name", ["out.jsonl", "out.parquet", "out.csv"])
def test_interrupted_runs_resume_from_their_journal(name: str, tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / name
    journal = tmp_path / f"{name}.partial.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run(source, out, FakePipeline(stop_after_calls=1))
    assert not out.exists() and len(read_jsonl(journal)) == 1 + 3  # the header, 3 records
    with pytest.raises(UserError, match="partial.jsonl already exists; pass --resume"):
        BatchJob(source, out, config())
    pipeline = FakePipeline()
    stats = run(source, out, pipeline, resume=True)
    assert pipeline.calls == [["doc-3", "doc-4", "doc-5"], ["doc-6"]]
    assert (stats.resumed, stats.records) == (3, 7) and not journal.exists()
    again = run(source, out, FakePipeline(), resume=True)  # a finished run: nothing to do
    assert (again.resumed, again.new) == (7, 0)


# --- the CLI -------------------------------------------------------------------------


def stand_in(monkeypatch: pytest.MonkeyPatch, build: Callable[[object], FakePipeline]) -> None:
    """`summarizer batch` with a stand-in pipeline, which has no topic model to adapt: the
    run scores as with topic.adapt=none."""
    monkeypatch.setattr("summarizer.cli.main.build_pipeline", build)
    monkeypatch.setattr("summarizer.batch.job.BatchJob.topic_prototypes", lambda *_: None)


@pytest.fixture()
def fake_cli(cli, monkeypatch: pytest.MonkeyPatch):
    stand_in(monkeypatch, lambda cfg: FakePipeline())
    return cli


def test_cli_reports_progress_summary_and_failures(fake_cli, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", [*ROWS, "{broken"])
    out = tmp_path / "out.csv"
    args = ["batch", str(source), "-o", str(out), "--set", "batch.chunk_size=2"]
    result = fake_cli(*args, "--set", "batch.log_interval=0.000001")
    assert result.exit_code == 1  # a record failed: the exit code says so
    lines = result.stderr.splitlines()
    assert lines[0] == f"batch: {source} (jsonl, 8 records) -> {out}"
    assert "batch: 2/8 records (25.0%), 0 failed" in lines[1] and "records/s, ETA" in lines[1]
    assert f"8 records -> {out}; 1 failed" in result.stderr
    assert "stage" in result.stderr and "embed" in result.stderr and "write" in result.stderr
    quiet = fake_cli(*args, "--overwrite", "--quiet")
    assert (quiet.exit_code, quiet.stderr) == (1, f"1 of 8 records failed -> {out}\n")


def test_cli_field_options_and_user_errors(fake_cli, tmp_path: Path) -> None:
    source = jsonl(tmp_path / "in.jsonl", [{"key": "k1", "body": "hello world"}])
    out = tmp_path / "out.jsonl"
    ok = fake_cli("batch", str(source), "-o", str(out), "--text-field", "body", "--id-field", "key")
    assert ok.exit_code == 0 and read_jsonl(out)[0]["id"] == "k1"
    again = fake_cli("batch", str(source), "-o", str(out), "--text-field", "body")
    assert again.exit_code == 1
    assert again.stderr.startswith("error: ") and len(again.stderr.splitlines()) == 1
    bad = fake_cli("batch", str(source), "-o", str(tmp_path / "x.jsonl"))
    assert bad.exit_code == 1 and "no field 'text'" in bad.stderr


def test_cli_keep_fields_takes_a_comma_list(fake_cli, tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", KEPT_ROWS[:1]), tmp_path / "out.jsonl"
    result = fake_cli("batch", str(source), "-o", str(out), "--keep-fields", "url, views")
    assert result.exit_code == 0, result.output
    assert read_jsonl(out)[0]["fields"] == {"url": "https://x.test/a", "views": 3}
    bad = fake_cli("batch", str(source), "-o", str(tmp_path / "x.jsonl"), "--keep-fields", "date")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: ") and "--keep-fields" in bad.stderr


def test_folder_reads_txt_and_html_recursively_and_says_what_it_ignores(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "site"
    (root / "2024").mkdir(parents=True)
    (root / "a.txt").write_text("alpha page")
    (root / "2024" / "b.html").write_text("<html><body><p>beta page</p></body></html>")
    (root / "notes.md").write_text("not a page")
    (root / "empty.htm").write_text("")
    records = list(open_input(root, Fields(), 1000))
    assert [(r.id, r.error) for r in records] == [
        ("2024/b", None),
        ("a", None),
        ("empty", f"{root / 'empty.htm'}: the document is empty"),
    ]
    assert "ignoring 1 file(s) that are not .htm/.html/.txt" in caplog.text


def test_a_dataset_dict_asks_for_one_split(tmp_path: Path) -> None:
    import datasets

    splits = {"train": datasets.Dataset.from_list(ROWS), "test": datasets.Dataset.from_list(ROWS)}
    datasets.DatasetDict(splits).save_to_disk(str(tmp_path / "dd"))
    with pytest.raises(
        UserError, match=r"a DatasetDict with several splits \(test, train\); pass one split"
    ):
        open_input(tmp_path / "dd", Fields(), 1000)


def test_cli_interrupt_says_how_to_resume(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    stopping = FakePipeline(stop_after_calls=1)
    stand_in(monkeypatch, lambda cfg: stopping)
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl"
    result = cli("batch", str(source), "-o", str(out), "-q", "--set", "batch.chunk_size=3")
    assert result.exit_code == 130
    assert result.stderr == "error: interrupted; finished chunks are saved: rerun with --resume\n"
    journal = read_jsonl(tmp_path / "out.jsonl.partial.jsonl")
    assert [r.get("id") for r in journal] == [None, "doc-0", "doc-1", "doc-2"]


def test_a_finished_output_of_fewer_records_is_not_extended(tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    run(jsonl(tmp_path / "short.jsonl", ROWS[:3]), out)
    with pytest.raises(UserError, match="finished output of a run over the first 3 of these 7"):
        BatchJob(jsonl(tmp_path / "long.jsonl", ROWS), out, config(), resume=True)


def test_progress_is_a_bar_on_a_terminal_and_log_lines_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from summarizer.batch.progress import (
        BatchStats,
        LogReporter,
        QuietReporter,
        RichReporter,
        make_reporter,
    )

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    bar = make_reporter(quiet=False, interval=30)
    assert isinstance(bar, RichReporter)
    stats = BatchStats(total=10)
    bar.start(stats, "in.jsonl (jsonl, 10 records) -> out.jsonl")
    stats.new, stats.errors = 4, 1
    bar.update(stats)
    assert bar.progress.tasks[0].completed == 4
    assert bar.progress.tasks[0].fields["errors"] == 1
    bar.stop()
    assert isinstance(make_reporter(quiet=True, interval=30), QuietReporter)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert isinstance(make_reporter(quiet=False, interval=30), LogReporter)


def test_a_second_run_on_the_same_output_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    source, out = jsonl(tmp_path / "in.jsonl", ROWS), tmp_path / "out.jsonl"
    first = BatchJob(source, out, config())  # holds the output until it finishes
    with pytest.raises(UserError, match="being written by another running `summarizer batch`"):
        BatchJob(source, out, config(), resume=True)
    first.run(FakePipeline())
    assert run(source, out, resume=True).resumed == len(ROWS)  # free again once finished

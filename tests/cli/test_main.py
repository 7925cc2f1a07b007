"""The CLI end to end on the embedded model: the seed page, formats, sources, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from itertools import islice
from pathlib import Path

import pytest

TEASER_LINES = range(16, 28)


@pytest.fixture(scope="module")
def seed_record(cli, data_dir: Path) -> dict:
    result = cli("run", str(data_dir / "seed_page.txt"), "--format", "json", "--device", "cpu")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_seed_page_blocks(seed_record: dict, data_dir: Path) -> None:
    labels = json.loads((data_dir / "seed_page.labels.json").read_text())["lines"]
    blocks = seed_record["blocks"]
    assert len(blocks) == len(labels) == 28
    assert [b["noise"] for b in blocks] == [item["label"] != "article" for item in labels]
    assert blocks[0]["kind"] == "byline"
    assert all(blocks[i]["kind"] == "teaser" for i in TEASER_LINES)
    assert all(0.5 <= b["score"] <= 1.0 for b in blocks)


def test_seed_page_topic_and_summary(seed_record: dict, seed_text: str) -> None:
    assert seed_record["topic"]["label"] == "defense"
    assert "diplomacy" in [t["label"] for t in seed_record["topics"][:2]]
    assert len(seed_record["topics"]) == 13
    scores = [t["score"] for t in seed_record["topics"]]
    assert scores == sorted(scores, reverse=True) and abs(sum(scores) - 1) < 0.01
    lines = seed_text.splitlines()
    summary = seed_record["summary"]
    assert summary and all(lines[i][:40] not in summary for i in TEASER_LINES)
    assert all(lines[i] not in seed_record["article"] for i in TEASER_LINES)
    assert seed_record["error"] is None and seed_record["id"] == "seed_page"


def test_summary_sentences_keep_abbreviations(cli, data_dir: Path) -> None:
    result = cli(
        "run",
        str(data_dir / "seed_page.txt"),
        "--set",
        "summary.sentences=1",
        "--set",
        "summary.lead_weight=5",
        "--format",
        "json",
    )
    summary = json.loads(result.stdout)["summary"]
    assert summary.startswith("U.S. Defense Secretary Pete Hegseth arrived in South Korea")
    assert summary.endswith("Korean Peninsula.")


def test_markdown_and_text_formats(cli, data_dir: Path) -> None:
    page = str(data_dir / "seed_page.txt")
    markdown = cli("run", page, "--format", "markdown").stdout
    assert "## Summary" in markdown and "| defense |" in markdown
    assert "## Flagged as noise (13 of 28 blocks)" in markdown
    assert "block 0 · byline" in markdown
    text = cli("run", page, "--format", "text").stdout
    assert "topic: defense" in text and "13 of 28 blocks flagged" in text


def test_stdin(cli, seed_text: str) -> None:
    result = cli("run", "-", input=seed_text.encode())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == "stdin"


@pytest.fixture()
def page_server(seed_text: str) -> Iterator[str]:
    paragraphs = "".join(f"<p>{line}</p>" for line in seed_text.splitlines())
    html = f"<html><head><title>Hegseth in Seoul</title></head><body>{paragraphs}</body></html>"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            found = self.path == "/page.html"
            body = html.encode() if found else b"not here"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_url_is_fetched_and_html_segmented(cli, page_server: str) -> None:
    result = cli("run", f"{page_server}/page.html", "--set", "input.allow_private_urls=true")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["title"] == "Hegseth in Seoul"
    assert record["topic"]["label"] == "defense"
    assert sum(b["noise"] for b in record["blocks"]) == 13


def test_url_not_found_is_one_line(cli, page_server: str) -> None:
    result = cli("run", f"{page_server}/missing", "--set", "input.allow_private_urls=true")
    assert result.exit_code == 1
    assert result.stderr == f"error: {page_server}/missing: the server answered HTTP 404\n"


def test_private_urls_are_refused_by_default(cli, page_server: str) -> None:
    result = cli("run", f"{page_server}/page.html")
    assert result.exit_code == 1
    assert "input.allow_private_urls=true" in result.stderr and result.stderr.count("\n") == 1


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: str(d / "missing.txt"), "no such file"),
        (lambda d: str(d), "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "the document is empty"),
        (lambda d: _write(d / "blank.txt", b"  \n\t\n  "), "the document is empty"),
        (lambda d: _write(d / "bin.dat", bytes(range(256)) * 8), "looks like binary data"),
        (lambda d: _write(d / "latin1.txt", "café au lait".encode("latin-1")), "not valid UTF-8"),
        (
            lambda d: _write(
                d / "nav.html",
                b"<html><body><ul><li><a href=/>Home</a></li>"
                b"<li><a href=/w>World</a></li></ul></body></html>",
            ),
            "no article found",
        ),
    ],
)
def test_bad_input_is_one_clear_line(cli, tmp_path: Path, make, message: str) -> None:
    result = cli("run", make(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_huge_file_is_refused_before_reading(cli, tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50_000_000)
    result = cli("run", str(path))
    assert result.exit_code == 1
    assert "50.0 MB is over the 10.0 MB limit" in result.stderr


def test_a_page_run_into_one_line_gives_a_complete_record(
    cli, tmp_path: Path, data_dir: Path
) -> None:
    """150 KB of BBC stories in one paragraph (some 1,200 sentences): cut at sure sentence
    ends for pysbd, embedded through a sample of 64 of its sentences, and summarized and
    classified whole."""
    with (data_dir / "bbc_dev.jsonl").open() as handle:
        text = " ".join(" ".join(json.loads(line)["text"].split()) for line in islice(handle, 70))
    page = tmp_path / "one-line.txt"
    page.write_text(text)
    result = cli("run", str(page), "--set", "embedding.max_block_sentences=64")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["article"] == text and len(record["blocks"]) == 1
    assert record["summary"] and record["summary"][:60] in text
    assert record["topic"]["label"] in {"economy", "business"}  # the first 70 are business


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("- just\n- a list\n", "a config must be a YAML mapping"),
        ("summary:\n  sentnces: 2\n", "summary.sentnces: unknown key"),
    ],
)
def test_bad_config_exits_2(cli, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    result = cli("run", "whatever.txt", "--config", str(path))
    assert result.exit_code == 2
    assert message in result.stderr and str(path) in result.stderr


def test_config_show_prints_effective_config(cli) -> None:
    result = cli("config", "show", "--set", "summary.sentences=5", "--device", "cpu")
    assert result.exit_code == 0
    assert "sentences: 5" in result.stdout and "device: cpu" in result.stdout


def test_help_and_config_errors_do_not_import_torch() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from summarizer.cli.main import app; "
        "r = CliRunner(); r.invoke(app, ['--help']); "
        "r.invoke(app, ['run', 'x.txt', '--set', 'nope=1']); r.invoke(app, ['config', 'show']); "
        "print('torch' in sys.modules, 'transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_batch_keeps_order_ids_and_error_records(cli, tmp_path: Path, seed_text: str) -> None:
    lines = [
        json.dumps({"id": "a", "text": seed_text}),
        "{not json",
        json.dumps({"id": "b", "text": "   "}),
        json.dumps({"id": "c", "body": "no text field"}),
        json.dumps({"id": "d", "text": seed_text}),
    ]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(lines) + "\n")
    result = cli("batch", str(source), "-o", str(out))
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "line-2", "b", "c", "d"]
    assert [r["error"] is None for r in records] == [True, False, False, False, True]
    assert records[0]["topic"]["label"] == "defense"
    assert result.exit_code == 1  # some records failed: the exit code says so


def test_an_author_bio_is_boilerplate_unless_the_examples_are_turned_off(cli, tmp_path) -> None:
    story = [
        "The defence minister arrived in Seoul on Monday for two days of security talks with "
        "his South Korean counterpart.",
        "Officials said the meeting would cover missile defence, joint military exercises and "
        "the cost of stationing troops.",
        "Analysts expect the allies to announce a new framework for sharing intelligence "
        "before the end of the year.",
        "The talks come a week after the North tested a new long-range missile off its east coast.",
    ]
    bio = (  # worded unlike the author-bio pattern, so only the examples can catch it
        "Our correspondent has two books to her name and a column every Sunday. "
        "She lives in London with her family."
    )
    page = tmp_path / "page.txt"
    page.write_text("\n".join([*story, bio]))
    kinds = {}
    for setting in ([], ["--set", "noise.boilerplate_examples=[]"]):
        result = cli("run", str(page), "--format", "json", *setting)
        assert result.exit_code == 0, result.output
        kinds[bool(setting)] = [b["kind"] for b in json.loads(result.output)["blocks"]]
    assert kinds[False] == ["article"] * 4 + ["boilerplate"]
    assert kinds[True] == ["article"] * 5

"""`run --format html` and `--format article`: what the pipeline decided, seen by a person."""

from __future__ import annotations

import json
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from summarizer.io.html_view import blocks_html, to_html
from summarizer.types import Block, Result, Topic

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class BlockParser(HTMLParser):
    """The data-kind, title and text of every `div` with a data-kind, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[dict[str, str]] = []
        self.scripts = 0
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.scripts += tag == "script"
        if tag == "div" and "data-kind" in attributes:
            self.blocks.append({**attributes, "text": ""})
            self._depth = 1
        elif self._depth and tag == "span":
            self._depth = 2  # the tag in the corner, not the block's text

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._depth == 2:
            self._depth = 1
        elif tag == "div":
            self._depth = 0

    def handle_data(self, data: str) -> None:
        if self._depth == 1:
            self.blocks[-1]["text"] += data


def parse(html: str) -> BlockParser:
    parser = BlockParser()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def record(cli) -> dict:
    result = cli("run", str(EXAMPLES / "nordic_air_patrols.txt"), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.slow
def test_html_shows_every_block_once_in_order(cli, record: dict) -> None:
    result = cli("run", str(EXAMPLES / "nordic_air_patrols.txt"), "--format", "html")
    assert result.exit_code == 0, result.output
    view = parse(result.stdout)
    assert [(b["data-kind"], b["text"]) for b in view.blocks] == [
        (b["kind"], b["text"]) for b in record["blocks"]
    ]
    assert {b["kind"] for b in record["blocks"]} >= {"article", "byline", "teaser"}
    first = record["blocks"][0]
    assert view.blocks[0]["title"] == (
        f"block 0: {first['kind']} (noise), score {first['score']:.2f}"
    )
    assert escape(record["summary"]) in result.stdout
    assert record["topic"]["label"] in result.stdout
    assert view.scripts == 0 and "http" not in result.stdout


@pytest.mark.slow
def test_article_format_is_the_article_alone(cli, record: dict) -> None:
    result = cli("run", str(EXAMPLES / "nordic_air_patrols.html"), "--format", "article")
    assert result.exit_code == 0, result.output
    html_record = json.loads(
        cli("run", str(EXAMPLES / "nordic_air_patrols.html"), "--format", "json").stdout
    )
    assert html_record["title"]
    assert result.stdout == f"{html_record['title']}\n\n{html_record['article']}\n"
    text = cli("run", str(EXAMPLES / "nordic_air_patrols.txt"), "--format", "article").stdout
    head = f"{record['title']}\n\n" if record["title"] else ""
    assert text == f"{head}{record['article']}\n"


def test_user_text_is_escaped() -> None:
    hostile = '<script>alert("x")</script> & "quoted" <b>'
    result = Result(
        id='page"><script>',
        title=hostile,
        summary=hostile,
        topics=[Topic("<i>defense</i>", 0.9)],
        blocks=[Block(0, hostile, "teaser", True, 0.8), Block(1, "Plain text.", "article")],
    )
    view = parse(to_html(result))
    assert view.scripts == 0 and "<script>" not in to_html(result)
    assert [(b["data-kind"], b["text"]) for b in view.blocks] == [
        ("teaser", hostile),
        ("article", "Plain text."),
    ]


def test_gold_disagreements_are_outlined() -> None:
    blocks = [Block(0, "a", "article"), Block(1, "b", "teaser", True), Block(2, "c", "article")]
    view = parse(blocks_html(blocks, gold=["article", "article", "teaser"]))
    wrong = ["wrong" in b["class"].split() for b in view.blocks]
    assert wrong == [False, True, True]
    assert view.blocks[1]["data-gold"] == "article"
    assert view.blocks[2]["title"].endswith("gold: teaser")

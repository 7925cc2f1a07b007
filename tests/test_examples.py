"""The example pages the repo ships (examples/): what the README's first command runs.

They are written for the project, so these tests run on a fresh clone with no evaluation
data beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PAGE = EXAMPLES / "nordic_air_patrols"
LABELS = json.loads(PAGE.with_suffix(".labels.json").read_text(encoding="utf-8"))


def test_the_labels_describe_every_line_of_the_text_page() -> None:
    lines = PAGE.with_suffix(".txt").read_text(encoding="utf-8").splitlines()
    assert [line["text"] for line in LABELS["lines"]] == lines
    snippets = [line["text"] for line in LABELS["lines"] if line["label"] == "teaser_snippet"]
    assert len(snippets) == 6 and {len(s) for s in snippets} == {100}


def test_text_page_every_line_flagged_as_labeled_and_on_topic(pipeline) -> None:
    [result] = pipeline(PAGE.with_suffix(".txt").read_text(encoding="utf-8"), "example")

    assert result.error is None
    assert [b.noise for b in result.blocks] == [
        line["label"] != "article" for line in LABELS["lines"]
    ]
    assert {t.label for t in result.topics[:2]} == set(LABELS["topics"])


def test_html_page_keeps_the_same_article_and_finds_its_title(pipeline) -> None:
    text_article = [line["text"] for line in LABELS["lines"] if line["label"] == "article"]
    [result] = pipeline(PAGE.with_suffix(".html").read_text(encoding="utf-8"), "example")

    assert result.error is None
    assert result.article.splitlines() == text_article
    assert result.title == "Nordic Ministers Agree on Joint Air Patrols Over the Baltic Sea"
    teaser_lines = {line["text"] for line in LABELS["lines"] if line["label"].startswith("teaser")}
    teasers = [b for b in result.blocks if b.text in teaser_lines]
    assert len(teasers) == 12 and all(b.noise and b.kind == "teaser" for b in teasers)
    assert {t.label for t in result.topics[:2]} == set(LABELS["topics"])


def test_a_string_is_one_document_and_a_list_many(pipeline) -> None:
    text = PAGE.with_suffix(".txt").read_text(encoding="utf-8")

    one = pipeline(text)
    two = pipeline([text, text], ["a", "b"])

    assert len(one) == 1 and one[0].id == "0" and one[0].error is None
    assert [r.id for r in two] == ["a", "b"] and two[0].article == one[0].article


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (42, "expected a str or a sequence of str, got int"),
        (b"page bytes", "expected a str or a sequence of str, got bytes"),
        (["a page", 7], r"texts\[1\]: expected a str, got int"),
    ],
)
def test_anything_but_text_is_a_type_error_saying_what_was_expected(
    pipeline, value: object, message: str
) -> None:
    with pytest.raises(TypeError, match=message):
        pipeline(value)


def test_cli_runs_the_example_page(cli) -> None:
    result = cli("run", str(PAGE.with_suffix(".txt")), "--format", "markdown")

    assert result.exit_code == 0, result.output
    assert "Defense ministers from Norway" in result.stdout


def test_version(cli) -> None:
    from summarizer import __version__

    result = cli("--version")

    assert result.exit_code == 0 and result.stdout.strip() == f"summarizer {__version__}"


@pytest.mark.parametrize("args", [["-h"], ["run", "-h"], ["train", "topic", "-h"]])
def test_short_help_flag(cli, args: list[str]) -> None:
    result = cli(*args)

    assert result.exit_code == 0 and "Usage:" in result.stdout


def test_help_offers_shell_completion_and_shows_default_texts(cli) -> None:
    assert "--install-completion" in cli("--help").stdout
    assert "Most passes over the data (3;" in " ".join(cli("train", "topic", "-h").stdout.split())

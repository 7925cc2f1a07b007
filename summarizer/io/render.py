"""Result records rendered for people (markdown, text, the HTML view in `html_view`), for
machines (JSON) and as the clean article text alone (for pipes into other tools)."""

from __future__ import annotations

import json

from summarizer.io.html_view import to_html
from summarizer.types import Result


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def to_markdown(result: Result) -> str:
    """Summary, topic table and the flagged blocks, so a reader sees what was cut and why."""
    lines = [f"# {result.title or result.id}", "", "## Summary", "", result.summary, ""]
    lines += ["## Topics", "", "| topic | score |", "|---|---|"]
    lines += [f"| {t.label} | {t.score:.3f} |" for t in result.topics]
    flagged = [b for b in result.blocks if b.noise]
    lines += ["", f"## Flagged as noise ({len(flagged)} of {len(result.blocks)} blocks)", ""]
    lines += [f"- block {b.index} · {b.kind} · {b.score:.2f}: {_clip(b.text)}" for b in flagged]
    return "\n".join(lines) + "\n"


def to_text(result: Result) -> str:
    topic = f"{result.topic.label} ({result.topic.score:.2f})" if result.topic else "-"
    flagged = sum(b.noise for b in result.blocks)
    return (
        f"{result.summary}\n\ntopic: {topic}\n"
        f"noise: {flagged} of {len(result.blocks)} blocks flagged\n"
    )


def to_article(result: Result) -> str:
    """The kept article text and nothing else, its title first where there is one."""
    head = f"{result.title}\n\n" if result.title else ""
    return f"{head}{result.article}\n"


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


RENDERERS = {
    "json": to_json,
    "markdown": to_markdown,
    "text": to_text,
    "article": to_article,
    "html": to_html,
}

"""One record as a self-contained HTML page, so a user can see what the pipeline decided.

Every block of the page in order, coloured by its kind, with the kind and score on hover
(blocks record no rule name, so kind and score are what there is to show); the summary and
topics on top. Inline CSS, no scripts, no network: the file opens anywhere, offline. All
page text is the user's data and is escaped. `blocks_html` is also embedded by the
`eval noise` report, with the gold labels, to show the pages it got wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from summarizer.types import ARTICLE, BOILERPLATE, BYLINE, TEASER, TITLE, Block, Result

KIND_COLOURS = {  # kind: (background, left edge)
    ARTICLE: ("#ffffff", "#16a34a"),
    TITLE: ("#dbeafe", "#2563eb"),
    BYLINE: ("#ede9fe", "#7c3aed"),
    TEASER: ("#ffedd5", "#ea580c"),
    BOILERPLATE: ("#e5e7eb", "#6b7280"),
}

# The blocks' rules, shared with the `eval noise` report; `page` adds the body's.
BLOCK_STYLE = (
    ".block{border:1px solid #d1d5db;border-left:6px solid #9ca3af;margin:.3em 0;"
    "padding:.35em .6em;white-space:pre-wrap}"
    ".block .tag{float:right;font-size:.75em;color:#555;margin-left:1em}"
    ".noise{color:#555}"
    ".wrong{outline:3px solid #dc2626;outline-offset:1px}"
    ".legend span{display:inline-block;padding:.1em .6em;margin-right:.4em;"
    "border:1px solid #d1d5db}"
    ".bar{display:inline-block;height:.8em;background:#2563eb}"
    + "".join(
        f'.block[data-kind="{kind}"]{{background:{background};border-left-color:{edge}}}'
        for kind, (background, edge) in KIND_COLOURS.items()
    )
)


_PAGE_STYLE = (
    "body{font-family:sans-serif;margin:2em auto;max-width:60em;line-height:1.4;color:#111}"
    "table{border-collapse:collapse}td{padding:.1em .6em}"
)


def hover(block: Block, gold: str | None = None) -> str:
    """What the block's `title` says: the decision and its confidence (and the gold label)."""
    noise = "noise" if block.noise else "kept"
    text = f"block {block.index}: {block.kind} ({noise}), score {block.score:.2f}"
    return text if gold is None else f"{text}; gold: {gold}"


def blocks_html(blocks: Sequence[Block], gold: Sequence[str] | None = None) -> str:
    """The blocks in order, one `<div data-kind=...>` each; with `gold` labels, the blocks
    whose noise decision disagrees with the gold label are outlined."""
    parts = []
    for position, block in enumerate(blocks):
        label = gold[position] if gold is not None else None
        classes = ["block"] + (["noise"] if block.noise else [])
        if label is not None and block.noise != (label not in (ARTICLE, TITLE)):
            classes.append("wrong")
        tag = block.kind if label is None else f"{block.kind} (gold {label})"
        gold_attr = "" if label is None else f' data-gold="{escape(label)}"'
        parts.append(
            f'<div class="{" ".join(classes)}" data-kind="{escape(block.kind)}"{gold_attr} '
            f'title="{escape(hover(block, label))}"><span class="tag">{escape(tag)} '
            f"{block.score:.2f}</span>{escape(block.text)}</div>"
        )
    return "\n".join(parts)


def legend() -> str:
    """The colour of each kind, so the page reads without hovering."""
    return (
        '<p class="legend">'
        + "".join(f'<span class="block" data-kind="{k}">{k}</span>' for k in KIND_COLOURS)
        + "</p>"
    )


def _topics(result: Result) -> str:
    rows = "".join(
        f"<tr><td>{escape(t.label)}</td><td>{t.score:.3f}</td>"
        f'<td><span class="bar" style="width:{12 * t.score:.2f}em"></span></td></tr>'
        for t in result.topics
    )
    return f"<h2>Topics</h2><table>{rows}</table>"


def to_html(result: Result) -> str:
    """The whole page: heading, summary, topics, then every block coloured by kind."""
    heading = escape(result.title or result.id)
    flagged = sum(b.noise for b in result.blocks)
    body = [
        f"<h1>{heading}</h1>",
        f"<p>id {escape(result.id)} · {flagged} of {len(result.blocks)} blocks flagged "
        "as noise</p>",
        f"<h2>Summary</h2><p>{escape(result.summary)}</p>",
        _topics(result),
        f"<h2>Blocks</h2>{legend()}",
        blocks_html(result.blocks),
    ]
    return page(f"summarizer: {result.title or result.id}", "\n".join(body))


def page(title: str, body: str) -> str:
    """A complete HTML document with the view's inline style."""
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_PAGE_STYLE}{BLOCK_STYLE}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )

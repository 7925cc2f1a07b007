"""Plain text -> blocks: one per line; hard-wrapped paragraph lines are joined back.

`Segment` is the block both segmenters produce (HTML fills in its structural hints).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from summarizer.text.lines import is_closed

WHITESPACE = re.compile(r"\s+")
_MIN_WRAPPED_RUN = 3
_MIN_WRAP_WIDTH = 40
_MAX_WRAP_WIDTH = 80
_WRAP_SLACK = 15


@dataclass
class Segment:
    """A block's text plus structural hints from the HTML (neutral values for plain text)."""

    text: str
    tag: str = "line"
    link_density: float = 0.0
    in_chrome: bool = False
    in_main: bool | None = None  # inside the HTML extractor's main content; None: not asked


def segment_text(text: str) -> list[Segment]:
    """One segment per non-empty line, or per paragraph when the text is hard-wrapped.

    Scraped text usually has one paragraph per line. Hard-wrapped text (paragraphs split
    by blank lines, their lines all cut near one width) gets each paragraph rejoined.
    Teaser snippets cut mid-word sit on their own lines, so lines are never joined on a
    guess about one line alone.
    """
    paragraphs: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = WHITESPACE.sub(" ", raw).strip()
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    if _is_hard_wrapped(paragraphs):
        return [Segment(" ".join(p)) for p in paragraphs]
    return [Segment(line) for p in paragraphs for line in _rejoin_wrapped_runs(p)]


def _rejoin_wrapped_runs(lines: list[str]) -> list[str]:
    """Lines with a paragraph hard-wrapped inside them and no blank line around it (a
    `<pre>` block or a mail pasted into a page): a run of `_MIN_WRAPPED_RUN`+ lines cut at
    one width (at most `_MAX_WRAP_WIDTH` characters, each within `_WRAP_SLACK` of the run's
    widest), most of them going on in lower case, is one paragraph with its shorter last
    line. A list of headlines has the width but not the lower case; a teaser's snippet
    sits alone under its headline."""
    joined: list[str] = []
    i = 0
    while i < len(lines):
        end = _wrapped_run_end(lines, i)
        if end - i >= _MIN_WRAPPED_RUN:
            if end < len(lines) and not is_closed(lines[end - 1]):
                end += 1  # the paragraph's last, shorter line
            joined.append(" ".join(lines[i:end]))
            i = end
        else:
            joined.append(lines[i])
            i += 1
    return joined


def _wrapped_run_end(lines: list[str], start: int) -> int:
    """One past the last line of the run of one-width lines starting at `start` (`start`
    itself when there is none)."""
    end = start
    narrowest = widest = len(lines[start])
    while end < len(lines) and _MIN_WRAP_WIDTH <= len(lines[end]) <= _MAX_WRAP_WIDTH:
        narrowest, widest = min(narrowest, len(lines[end])), max(widest, len(lines[end]))
        if widest - narrowest > _WRAP_SLACK:
            break
        end += 1
    following = lines[start + 1 : end + 1]
    if sum(line[:1].islower() for line in following) * 2 < len(following):
        return start
    return end


def _is_hard_wrapped(paragraphs: list[list[str]], max_width: int = 100) -> bool:
    """Several paragraphs whose inner lines (all but each last) share one width."""
    inner = [len(line) for p in paragraphs for line in p[:-1]]
    if len(paragraphs) < 2 or len(inner) < 3:
        return False
    width = max(inner)
    return width <= max_width and sum(n >= width - 20 for n in inner) >= 0.8 * len(inner)

"""Plain text -> blocks: one per line; hard-wrapped paragraph lines are joined back.

`Segment` is the block both segmenters produce (HTML fills in its structural hints).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from itertools import accumulate

from summarizer.text.lines import is_closed

WHITESPACE = re.compile(r"\s+")
_MIN_WRAPPED_RUN = 3
_MIN_WRAP_WIDTH = 40
_MAX_WRAP_WIDTH = 80
_WRAP_SLACK = 15
# a block whose link text is over this share of its characters is a link (HTML)
LINK_HEAVY = 0.5


@dataclass
class Segment:
    """A block's text plus structural hints from the HTML (neutral values for plain text)."""

    text: str
    tag: str = "line"
    link_density: float = 0.0
    in_chrome: bool = False
    in_main: bool | None = None  # inside the HTML extractor's main content; None: not asked

    @property
    def is_link(self) -> bool:
        """Mostly link text (`LINK_HEAVY`): a menu item, a linked headline of another story."""
        return self.link_density > LINK_HEAVY


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
    ends = _wrapped_run_ends(lines)
    joined: list[str] = []
    i = 0
    while i < len(lines):
        end = ends[i]
        if end - i >= _MIN_WRAPPED_RUN:
            if end < len(lines) and not is_closed(lines[end - 1]):
                end += 1  # the paragraph's last, shorter line
            joined.append(" ".join(lines[i:end]))
            i = end
        else:
            joined.append(lines[i])
            i += 1
    return joined


def _wrapped_run_ends(lines: list[str]) -> list[int]:
    """For each line, one past the last line of the run of one-width lines starting there
    whose following lines go on mostly in lower case (the line itself when there is none).

    The runs are found for all starts in one pass (a sliding window with the narrowest
    and widest line in monotonic queues, lower-case lines counted by prefix sums): seeking
    each start's run anew took quadratic time on a page of 95,000 lines of one width.
    """
    widths = [len(line) for line in lines]
    lower = list(accumulate((line[:1].islower() for line in lines), initial=0))
    ends: list[int] = []
    narrow: deque[int] = deque()  # window indices, widths rising
    wide: deque[int] = deque()  # window indices, widths falling
    end = 0
    for start in range(len(lines)):
        for queue in (narrow, wide):
            while queue and queue[0] < start:
                queue.popleft()
        end = max(end, start)
        while end < len(lines) and _MIN_WRAP_WIDTH <= widths[end] <= _MAX_WRAP_WIDTH:
            low = min(widths[end], widths[narrow[0]]) if narrow else widths[end]
            high = max(widths[end], widths[wide[0]]) if wide else widths[end]
            if high - low > _WRAP_SLACK:
                break
            while narrow and widths[narrow[-1]] >= widths[end]:
                narrow.pop()
            while wide and widths[wide[-1]] <= widths[end]:
                wide.pop()
            narrow.append(end)
            wide.append(end)
            end += 1
        following = min(end + 1, len(lines)) - (start + 1)
        lowercase = lower[start + 1 + following] - lower[start + 1]
        ends.append(start if lowercase * 2 < following else end)
    return ends


def _is_hard_wrapped(paragraphs: list[list[str]], max_width: int = 100) -> bool:
    """Several paragraphs whose inner lines (all but each last) share one width."""
    inner = [len(line) for p in paragraphs for line in p[:-1]]
    if len(paragraphs) < 2 or len(inner) < 3:
        return False
    width = max(inner)
    return width <= max_width and sum(n >= width - 20 for n in inner) >= 0.8 * len(inner)

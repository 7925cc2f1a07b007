"""Text or HTML -> blocks, the unit the noise detector labels.

Plain text: one block per line; hard-wrapped paragraph lines are joined back together.
HTML: one block per block-level element, in page order. Link lists, navigation and
teaser lists are kept as blocks (with hints such as link density) so the noise stage can
flag them visibly instead of an extractor dropping them silently.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict, deque
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from summarizer.lines import is_closed
from summarizer.overlap import TextIndex, tokens

_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|head|body|p|div|article)[\s>]", re.I)
_TAG_FIRST = re.compile(r"\ufeff?\s*<[a-zA-Z!?]")
_SNIFF_LIMIT = 1 << 20
_WS = re.compile(r"\s+")
_MIN_WRAPPED_RUN = 3
_MIN_WRAP_WIDTH = 40
_MAX_WRAP_WIDTH = 80
_WRAP_SLACK = 15
_NOSCRIPT_OPEN = re.compile(r"<noscript\b", re.I)
_NOSCRIPT_CLOSE = re.compile(r"</noscript\s*>", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul br".split()
)
DROP_TAGS = frozenset("script style noscript template svg iframe head button select".split())
CHROME_TAGS = frozenset({"nav", "footer", "aside", "header", "form"})


@dataclass
class Segment:
    """A block's text plus structural hints from the HTML (neutral values for plain text)."""

    text: str
    tag: str = "line"
    link_density: float = 0.0
    in_chrome: bool = False
    in_main: bool | None = None  # inside the HTML extractor's main content; None: not asked


def looks_like_html(text: str) -> bool:
    """Detect HTML by content: a doctype or a structural tag near the start, or, for a
    document that opens with a tag, anywhere in its first megabyte (pages may open with
    tens of kilobytes of inline `<style>` or `<script>`)."""
    if _HTML_SNIFF.search(text[:4096]):
        return True
    return bool(_TAG_FIRST.match(text)) and bool(_HTML_SNIFF.search(text[:_SNIFF_LIMIT]))


def segment_text(text: str) -> list[Segment]:
    """One segment per non-empty line, or per paragraph when the text is hard-wrapped.

    Scraped text usually has one paragraph per line. Hard-wrapped text (paragraphs split
    by blank lines, their lines all cut near one width) gets each paragraph rejoined.
    Teaser snippets cut mid-word sit on their own lines, so lines are never joined on a
    guess about one line alone.
    """
    paragraphs: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = _WS.sub(" ", raw).strip()
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


def parse_html(html: str) -> Any | None:
    """The page's lxml tree, or None when lxml cannot make one.

    `<noscript>` is cut first: browsers treat its content as raw text, while libxml2 parses
    it and an unclosed tag inside can swallow the whole body. The text goes in as UTF-8
    bytes, since lxml refuses a str that starts with an `<?xml encoding=...?>` line.
    """
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        return lxml.html.document_fromstring(
            _cut_noscript(html).encode("utf-8", "replace"), parser=parser
        )
    except (etree.ParserError, ValueError):
        return None


def _cut_noscript(html: str) -> str:
    """`html` without its `<noscript>...</noscript>` elements, in one pass: a regex
    (`<noscript.*?</noscript>`) scanned to the end from each unclosed tag, 18.7 s on 200 KB
    of `<noscript>x`. An opening tag with no closing tag after it is left alone, and then
    so are all after it."""
    parts: list[str] = []
    done = 0
    while (opening := _NOSCRIPT_OPEN.search(html, done)) is not None:
        closing = _NOSCRIPT_CLOSE.search(html, opening.end())
        if closing is None:
            break
        parts.append(html[done : opening.start()])
        done = closing.end()
    parts.append(html[done:])
    return "".join(parts)


def is_hidden(element: Any) -> bool:
    """Hidden by markup itself: schema.org copies of the article, collapsed menus."""
    return "hidden" in element.attrib or bool(_HIDDEN_STYLE.search(element.get("style", "")))


def segment_html(html: str) -> tuple[list[Segment], str | None]:
    """Block-level elements of an HTML page, in order, and the page title (if any)."""
    root = parse_html(html)
    if root is None:
        return [], None
    title_el = root.find(".//title")
    title = _WS.sub(" ", title_el.text_content()).strip() if title_el is not None else None
    segments: list[Segment] = []
    _walk(root, segments, _Buffer())
    return segments, title or None


class _Buffer:
    """Inline text gathered until the next block boundary, with how much sat inside links."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.link_chars = 0

    def add(self, text: str | None, in_link: bool) -> None:
        if text:  # whitespace-only text too: it is what separates `<b>a</b> <i>b</i>`
            self.parts.append(text)
            if in_link:
                self.link_chars += len(text.strip())

    def flush(self, segments: list[Segment], tag: str, in_chrome: bool) -> None:
        text = _WS.sub(" ", "".join(self.parts)).strip()
        if text:
            density = min(1.0, self.link_chars / max(1, len(text)))
            segments.append(Segment(text, tag, density, in_chrome))
        self.parts, self.link_chars = [], 0


def _walk(
    element: Any,
    segments: list[Segment],
    buffer: _Buffer,
    container: str = "body",
    in_chrome: bool = False,
    in_link: bool = False,
) -> None:
    """Depth-first walk: inline text joins the enclosing block, a block boundary flushes it."""
    tag = getattr(element, "tag", None)
    if not isinstance(tag, str) or tag in DROP_TAGS or is_hidden(element):
        buffer.add(getattr(element, "tail", None), in_link)  # comments keep their tail text
        return
    is_block = tag in BLOCK_TAGS
    chrome = in_chrome or tag in CHROME_TAGS
    if is_block:
        buffer.flush(segments, container, in_chrome)
    link = in_link or tag == "a"
    buffer.add(element.text, link)
    for child in element:
        _walk(child, segments, buffer, tag if is_block else container, chrome, link)
    if is_block:
        buffer.flush(segments, tag, chrome)
    buffer.add(element.tail, in_link)


def mark_main_content(html: str, segments: list[Segment], doc_id: str) -> None:
    """Set `in_main` on every segment from trafilatura's main-content extraction.

    trafilatura weighs the DOM (text and link density per container, known boilerplate
    classes) far better than block text alone can, so its verdict is the HTML path's first
    piece of evidence; the noise rules then find the teasers, bylines and share lines it
    keeps. When it extracts nothing, or fails on a page (a bug in a third-party parser must
    not cost the user the record), segments stay unmarked and the noise stage decides from
    the blocks alone.
    """
    import trafilatura

    try:
        main = trafilatura.extract(html, favor_precision=True, include_comments=False)
    except Exception as exc:  # noqa: BLE001 - any extractor failure: fall back, say so
        logging.getLogger(__name__).warning(
            "%s: trafilatura failed (%s); judging the page's blocks by the rules alone", doc_id, exc
        )
        return
    if not main:
        return
    index = TextIndex(main)
    for segment in segments:
        segment.in_main = index.contains(tokens(segment.text))
    _limit_repeats(segments, index)


def _limit_repeats(segments: list[Segment], index: TextIndex) -> None:
    """A block the page repeats (a headline in a teaser list and over the story, one caption
    under every photo) is main content only as often as the extraction holds it. The copies
    kept are those with the most main-content neighbours: the ones inside the story."""
    copies: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, segment in enumerate(segments):
        if segment.in_main:
            copies[tuple(tokens(segment.text))].append(i)
    main = [bool(s.in_main) for s in segments]

    def support(i: int) -> int:
        return sum(main[max(0, i - 2) : i]) + sum(main[i + 1 : i + 3])

    repeated = {unit: positions for unit, positions in copies.items() if len(positions) > 1}
    found = index.occurrences(repeated)
    for unit, positions in repeated.items():
        allowed = max(1, found[unit])
        if len(positions) > allowed:
            kept = sorted(positions, key=lambda i: (-support(i), i))[:allowed]
            for i in set(positions) - set(kept):
                segments[i].in_main = False

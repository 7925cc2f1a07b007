"""HTML -> blocks, the unit the noise detector labels.

One block per block-level element, in page order. Link lists, navigation and
teaser lists are kept as blocks (with hints such as link density) so the noise stage can
flag them visibly instead of an extractor dropping them silently.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from typing import Any

from summarizer.segment.text import WHITESPACE, Segment
from summarizer.text.lines import is_headline, is_prose, word_count
from summarizer.text.overlap import TextIndex, tokens

_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|head|body|p|div|article)[\s>]", re.I)
_TAG_FIRST = re.compile(r"\ufeff?\s*<[a-zA-Z!?]")
_SNIFF_LIMIT = 1 << 20
MISSED_RUN_WORDS = 80
MISSED_RATIO = 10
BROAD_MIN_LINKS = 5
BROAD_LINK_SHARE = 0.6
_NOSCRIPT_OPEN = re.compile(r"<noscript\b", re.I)
_NOSCRIPT_CLOSE = re.compile(r"</noscript\s*>", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.I)
_MARKUP = re.compile(r"<[/!]?[a-zA-Z]")
# What may sit in <head>; anything else there opens the body (the HTML5 tree-building rule).
HEAD_TAGS = frozenset(
    "base basefont bgsound link meta noscript script style template title".split()
)

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary "
    "table tbody td tfoot th thead tr ul br".split()
)
DROP_TAGS = frozenset("script style noscript template svg iframe head button select".split())
CHROME_TAGS = frozenset({"nav", "footer", "aside", "header", "form"})


def looks_like_html(text: str) -> bool:
    """Detect HTML by content: a doctype or a structural tag near the start, or, for a
    document that opens with a tag, anywhere in its first megabyte (pages may open with
    tens of kilobytes of inline `<style>` or `<script>`)."""
    if _HTML_SNIFF.search(text[:4096]):
        return True
    return bool(_TAG_FIRST.match(text)) and bool(_HTML_SNIFF.search(text[:_SNIFF_LIMIT]))


def parse_html(html: str) -> Any | None:
    """The page's lxml tree, or None when lxml cannot make one.

    Four repairs make libxml2 read a page as a browser shows it. Stray NUL bytes go (libxml2
    would show each as U+FFFD; `check_text` lets only stray ones through). `<noscript>` is cut:
    browsers treat its content as raw text, while libxml2 parses it and an unclosed tag
    inside can swallow the whole body. A `<title>` whose closing tag was lost (a truncated
    or spliced crawl: `</tit` + the next chunk) is closed where markup starts, since a title
    holds text only and otherwise takes the page with it. And an element no `<head>` holds
    (libxml2 nests an unknown tag such as `<mbox>` there, with the page under it) moves to
    the body, as the HTML5 parser does. The text goes in as UTF-8 bytes, since lxml refuses
    a str that starts with an `<?xml encoding=...?>` line.
    """
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(
            _cut_noscript(repair_source(html)).encode("utf-8", "replace"),
            parser=parser,
        )
    except (etree.ParserError, ValueError):
        return None
    _move_body_out_of_head(root)
    return root


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


def repair_source(html: str) -> str:
    """`html` without stray NUL bytes, its first `<title>` closed before any markup its text
    runs into."""
    html = html.replace("\x00", "")
    opening = _TITLE_OPEN.search(html)
    if opening is None:
        return html
    closing = _TITLE_CLOSE.search(html, opening.end())
    end = closing.start() if closing is not None else len(html)
    markup = _MARKUP.search(html, opening.end(), end)
    if markup is None:
        return html
    return f"{html[: markup.start()]}</title>{html[markup.start() :]}"


def _move_body_out_of_head(root: Any) -> None:
    """Move the first child of `<head>` that a head cannot hold, and all after it, to the
    start of `<body>` (made if missing)."""
    head = root.find("head")
    if head is None:
        return
    children = list(head)
    start = next(
        (
            i
            for i, child in enumerate(children)
            if isinstance(child.tag, str) and child.tag not in HEAD_TAGS
        ),
        None,
    )
    if start is None:
        return
    body = root.find("body")
    if body is None:
        body = root.makeelement("body", {})
        head.addnext(body)
    for position, child in enumerate(children[start:]):
        body.insert(position, child)


def is_hidden(element: Any) -> bool:
    """Hidden by markup itself: schema.org copies of the article, collapsed menus."""
    return "hidden" in element.attrib or bool(_HIDDEN_STYLE.search(element.get("style", "")))


def segment_html(html: str) -> tuple[list[Segment], str | None]:
    """Block-level elements of an HTML page, in order, and the page title (if any)."""
    root = parse_html(html)
    if root is None:
        return [], None
    title_el = root.find(".//title")
    title = WHITESPACE.sub(" ", title_el.text_content()).strip() if title_el is not None else None
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
        text = WHITESPACE.sub(" ", "".join(self.parts)).strip()
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
    the blocks alone. trafilatura parses the page itself (its parser settings suit its
    scoring: its results on the tree `parse_html` makes are worse), from the source repaired
    as `parse_html` repairs it.

    A block is in when the extraction holds half its word 3-grams (it re-flows text), a
    headline-shaped block only when it holds all of them: a related story's headline shares
    half its words with the sentence of the story that retells its news (L3S-GN1, abcnews:
    "Sony to Sell DRM-Free Songs on Amazon" against "... signed on to sell DRM-free songs,
    they chose to do so on Amazon").
    """
    import trafilatura

    try:
        main = trafilatura.extract(
            repair_source(html), favor_precision=True, include_comments=False
        )
    except Exception as exc:  # noqa: BLE001 - any extractor failure: fall back, say so
        logging.getLogger(__name__).warning(
            "%s: trafilatura failed (%s); judging the page's blocks by the rules alone", doc_id, exc
        )
        return
    if not main:
        return
    index = TextIndex(main)
    for segment in segments:
        unit = tokens(segment.text)
        if is_headline(segment.text):
            segment.in_main = index.contains(unit, share=1.0)
        else:
            segment.in_main = index.contains(unit)
    _limit_repeats(segments, index)
    if not plausible_main(segments):
        logging.getLogger(__name__).info(
            "%s: trafilatura's main content is not the story's; judging by the rules", doc_id
        )
        for segment in segments:
            segment.in_main = None


def plausible_main(segments: list[Segment]) -> bool:
    """Whether the extraction can be the story, seen on table-layout pages where it is not.

    Missed: precision mode kept a box of teaser snippets or an ad's pitch and left the story
    out, so a run of prose outside the marks (`MISSED_RUN_WORDS`+ words, unbroken by main
    content or a link-heavy block) holds `MISSED_RATIO` times the words of all the prose
    inside them. The ratio keeps the marks where the extraction holds the story and a
    longer comment thread runs outside it.
    Too broad: the marks hold most of the page's link-heavy blocks (`BROAD_LINK_SHARE` of
    `BROAD_MIN_LINKS`+): the extraction took the whole layout table, menus included.
    Either way the rules find the story by its prose without the marks."""
    inside = sum(word_count(s.text) for s in segments if s.in_main and is_prose(s.text))
    run = longest = 0
    for segment in segments:
        if segment.in_main:
            run = 0
        elif is_prose(segment.text):
            run += word_count(segment.text)
            longest = max(longest, run)
        elif segment.is_link:
            run = 0
    missed = longest >= MISSED_RUN_WORDS and inside * MISSED_RATIO < longest
    links = [s.in_main for s in segments if s.is_link]
    broad = len(links) >= BROAD_MIN_LINKS and sum(map(bool, links)) >= BROAD_LINK_SHARE * len(links)
    return not (missed or broad)


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

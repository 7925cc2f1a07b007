"""The story's extent on a page: where it starts and ends, and what walls it in.

The core is the densest run of prose (`core_span`, a maximum-sum run), sought above the
comments when it would be one comment of a thread (`story_span`); comments and "related"
headings are walls no span crosses (`section_walls`); a few header lines above the core
are the title, dateline and venue (`header_lines`). `Span` gathers what the detector
needs to judge a block by where it sits: the core, the header, the story's tail after the
core, where the sections below it begin and where the comments begin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from summarizer.noise.structure import MAX_ITEM_GAP
from summarizer.text.furniture import is_comments_heading, is_dateline, is_section_heading
from summarizer.text.lines import word_count
from summarizer.types import ARTICLE, BYLINE, TEASER, TITLE, Block

_GAP_COST = 5.0
_NOISE_COST = 30.0
_HEADER_LINES = 3
_MIN_STAMPS = 3  # bylines on a page from which on they stamp items (comments, posts)
# prose after a comments or "related" heading counts this much when choosing the story:
# such sections follow the article far more often than they precede it
_AFTER_SECTION_WEIGHT = 0.5
# prose words in the best run above a comments heading that make it the story, however
# long the thread below (`story_span`)
_MIN_STORY_ABOVE_COMMENTS = 150


@dataclass(frozen=True)
class Span:
    """Where the story sits on a page, in block indices.

    `first`..`last` is the core; `header` the lines right above it; blocks after `last`
    and before `tail_end` are the story's tail; `sections_from` and `comments_from` are the
    first "related"/comments heading and the first comments heading below the core
    (`len(blocks)` when none); `story_from`..`story_to` is the story's extent, its first to
    last kept sentence in the core or not."""

    first: int
    last: int
    header: frozenset[int]
    tail_end: int
    sections_from: int
    comments_from: int
    story_from: int
    story_to: int

    @classmethod
    def around(
        cls,
        blocks: list[Block],
        core: tuple[int, int],
        walls: set[int],
        prose: list[int],
        similarity: np.ndarray,
        min_similarity: float,
    ) -> Span:
        """The span around the `core` (first, last), given the `walls`, the `prose` blocks
        (in page order) and each block's `similarity` to the core: the story's extent
        reaches the prose at least `min_similarity` close above the sections below it."""
        first, last = core
        below = range(last + 1, len(blocks))
        sections_from = next((i for i in below if i in walls), len(blocks))
        comments_from = next(
            (i for i in below if i in walls and is_comments_heading(blocks[i].text)), len(blocks)
        )
        tail_end = last + 1
        if any(blocks[i].kind == TEASER for i in below):
            tail_end = min(next(i for i in below if blocks[i].kind != ARTICLE), sections_from)
        story = [
            i
            for i in prose
            if first <= i <= last or (similarity[i] >= min_similarity and i < sections_from)
        ]
        return cls(
            first=first,
            last=last,
            header=frozenset(header_lines(blocks, first, walls)),
            tail_end=tail_end,
            sections_from=sections_from,
            comments_from=comments_from,
            story_from=story[0],
            story_to=story[-1],
        )


def section_walls(blocks: list[Block], inline: set[int]) -> set[int]:
    """Headings that open comments or a list of other stories, but not the `inline`
    lead-ins."""
    return {i for i, b in enumerate(blocks) if is_section_heading(b.text) and i not in inline}


def core_span(
    blocks: list[Block], prose: list[int], in_main: list[bool | None], walls: set[int]
) -> tuple[int, int]:
    """The densest run of story, as a maximum-sum run of blocks (Kadane): prose adds its
    word count, any other block costs `_GAP_COST` words, a teaser `_NOISE_COST`.

    Pages put comments, footers and cookie notices (prose too) after runs of short lines,
    so the best run stops at the article's end where first-to-last prose would not.
    Teasers mark the end of a story, and so do date stamps: a story runs without them
    between its paragraphs, while lists of other stories and comment threads stamp every
    item. A byline, credit or ad line between paragraphs does not, so those cost only a
    gap, as do blocks the HTML extractor left out of the main content: the extractor
    already vouches for the prose around them. A comments or "related" heading (one of
    `walls`) is a wall: no span crosses it, and the prose after it counts
    `_AFTER_SECTION_WEIGHT`, so a long comment thread does not outweigh a short story.
    """
    prose_set = set(prose)
    stamped = sum(b.kind == BYLINE for b in blocks) >= _MIN_STAMPS
    best, span = float("-inf"), (prose[0], prose[0])
    running, start, weight = 0.0, 0, 1.0
    for i, block in enumerate(blocks):
        if i in walls:
            running, weight = float("-inf"), _AFTER_SECTION_WEIGHT
            continue
        if i in prose_set:
            gain = weight * word_count(block.text)
        else:
            listed = (
                block.kind == TEASER
                or is_dateline(block.text)
                or (stamped and block.kind == BYLINE)
            )
            gain = -(_NOISE_COST if listed and in_main[i] is not False else _GAP_COST)
        if running <= 0:
            running, start = gain, i
        else:
            running += gain
        if running > best and i in prose_set:
            best, span = running, (start, i)
    return span


def story_span(
    blocks: list[Block], prose: list[int], in_main: list[bool | None], walls: set[int]
) -> tuple[int, int]:
    """The story's core (`core_span`), sought above the first comments heading when the
    densest run is below it and either is one comment of the thread (`_is_comment`: a
    short post under a long thread is still the story) or a run above holds
    `_MIN_STORY_ABOVE_COMMENTS`+ words of prose (a thread long enough to outweigh the story
    even at `_AFTER_SECTION_WEIGHT`). A story never begins in its comments."""
    first, last = core_span(blocks, prose, in_main, walls)
    opened = min((i for i in walls if is_comments_heading(blocks[i].text)), default=None)
    if opened is None or first <= opened:
        return first, last
    above = [i for i in prose if i < opened]
    if not above:
        return first, last
    up_first, up_last = core_span(blocks, above, in_main, walls)
    words = sum(word_count(blocks[i].text) for i in above if up_first <= i <= up_last)
    if _is_comment(blocks, first, last, opened) or words >= _MIN_STORY_ABOVE_COMMENTS:
        return up_first, up_last
    return first, last


def _is_comment(blocks: list[Block], first: int, last: int, opened: int) -> bool:
    """Whether the span `first`..`last` below the comments heading at `opened` is one
    comment of a thread: a stamp ("Jane on May 2, 2019 at 5:23 pm said:") at most
    `MAX_ITEM_GAP` lines above it and another as close below it, among three or more
    stamps under the heading. A story's own dateline sits above it only."""
    stamps = [i for i in range(opened, len(blocks)) if is_dateline(blocks[i].text)]
    above = any(first - MAX_ITEM_GAP <= i < first for i in stamps)
    below = any(last < i <= last + MAX_ITEM_GAP for i in stamps)
    return len(stamps) >= 3 and above and below


def header_lines(blocks: list[Block], first: int, walls: set[int]) -> set[int]:
    """Up to `_HEADER_LINES` unflagged blocks right above the core (title, dateline), unless
    a "related" or comments heading (one of `walls`) heads them: then they are its links,
    and the core is the story resuming below the box."""
    header: set[int] = set()
    i = first - 1
    while i >= 0 and len(header) < _HEADER_LINES and blocks[i].kind in (ARTICLE, TITLE):
        header.add(i)
        i -= 1
    return set() if i in walls else header


def story_blocks(blocks: list[Block]) -> list[int]:
    """The kept blocks in the story's own span: the header lines and everything kept from
    the first to the last block the rules placed in the core (empty when none was: noise
    off, or no core found).

    A summary quotes these alone. Blocks kept elsewhere (on-topic prose away from the
    core, what an HTML extractor counted as main content beyond it) are the article's too,
    but a teaser, an ad or another story's lead that passes for them puts a sentence of
    another story in the summary; inside the span it would have had to beat the core's
    own prose to get there."""
    core = [i for i, b in enumerate(blocks) if b.kind == ARTICLE and b.rule == "core"]
    if not core:
        return []
    return [
        i
        for i, b in enumerate(blocks)
        if b.kind == ARTICLE and (core[0] <= i <= core[-1] or b.rule == "header")
    ]

"""Which blocks are the article and which are teasers, bylines or boilerplate.

Evidence is combined in a fixed order, strongest first:
1. line patterns (`summarizer.text.furniture`): bylines ("Posted by ...", "Name | Updated"), date
   lines and comment stamps ("Jane on May 2, 2019 at 5:23 pm said:"), share/subscribe/
   copyright lines, newsletter pitches, the site's own pitches ("Join our forums ...") and
   paywall notices, affiliate disclosures, author bios ("Jane Doe is a senior writer at
   ..."), credits ("... contributed to this report"), labels ("Related: ..."), breadcrumb
   trails, and photo captions by their credit ("... (AP Photo/Jane Doe)", "Image 1 of 4")
   or wording ("An artist's concept of ...", "Jane Doe, left, speaks with ...");
2. teaser structure: snippets cut mid-word at one fixed length (two or more blocks of the
   same length with no closing punctuation), or after one word count (two or more ending
   in an ellipsis), and the headline line just before each; a card's title run into its
   snippet ("... Student-AthleteA 24-year-old woman ..."); a sentence shown twice in a row
   (a photo's caption under its alt text);
3. on HTML, blocks outside trafilatura's main content (see `segment.mark_main_content`);
4. the article span: the densest run of prose blocks (8+ words and closing punctuation,
   70+ words of sentences missing only the last stop, or items of a numbered list or of
   a list led by dates) not flagged above and not crossing a comments or "related"
   heading ("Read more" alone, not "Read more: <headline>", a link inside the story),
   and never one comment of a thread below a comments heading (a short post under a
   long thread: the span is sought above the heading then); everything inside it is
   article, so list items, scores and short quotes within the story are kept;
5. outside the span, a block stays article only if its embedding is close to the article's
   centroid (and it reads like prose, not like a headline above or below the story) or
   the HTML extractor kept it, or it is a sentence between two kept paragraphs, or one of
   three or more paragraphs in a row whose mean is close to the centroid, or one of three
   or more lines of a list of the story's own (a recipe's ingredients, an interview's
   "Q:" / "A:" turns);
   otherwise it is a teaser or boilerplate;
6. a kept block closer in meaning to an example of boilerplate prose (an author bio, a
   newsletter pitch, a cookie notice: `noise.boilerplate_examples`) than to the article is
   boilerplate, unless the HTML extractor kept it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np

from summarizer.config import NoiseConfig
from summarizer.models.embedder import unit
from summarizer.segment import Segment
from summarizer.text.furniture import (
    is_comments_heading,
    is_dated_item,
    is_dateline,
    is_link_label,
    is_read_also,
    is_read_more,
    is_section_heading,
    pattern_kind,
)
from summarizer.text.lines import (
    ends_in_ellipsis,
    has_run_on_title,
    is_bracketed,
    is_bullet,
    is_closed,
    is_headline,
    is_interview_turn,
    is_lead_in,
    is_long,
    is_prose,
    is_quantity_item,
    is_word_list,
    item_number,
    word_count,
)
from summarizer.types import ARTICLE, BOILERPLATE, BYLINE, NOISE_KINDS, TEASER, TITLE, Block

_MIN_SNIPPET_CHARS = 40
# inside an HTML extractor's main content a snippet needs the length of a real teaser
# summary (80-160 characters on news sites); shorter open lines there are list items
_MIN_MAIN_SNIPPET_CHARS = 80
_CUT_TOLERANCE = 3
_MIN_WORD_CUT = 20
_GAP_COST = 5.0
_NOISE_COST = 30.0
_HEADER_LINES = 3
_MIN_NUMBERED_RUN = 3
_MIN_CARDS = 2
_MAX_ITEM_GAP = 3
_SANDWICH_GAP = 2
# prose blocks in a row that are judged by their mean meaning (`_keep_on_topic_runs`)
_MIN_RUN = 3
# prose after a comments or "related" heading counts this much when choosing the story:
# such sections follow the article far more often than they precede it
_AFTER_SECTION_WEIGHT = 0.5


def _snippet_lengths(blocks: list[Block]) -> list[int]:
    """Lengths snippets were cut at: 2+ open-ended blocks within a few characters of one.

    The cut lands at a fixed character count, but stripping a trailing space or a cut right
    after a word makes a snippet a character or two shorter, hence the tolerance. Most
    snippets sit under a much shorter headline; a group without them is a list (award
    winners, line-ups), not teasers. List items, lines led by a date, ingredients and
    interview turns (`_is_list_item`) and lead-ins ending in a colon are never cut snippets.
    """
    open_ended = sorted(
        (len(b.text), i)
        for i, b in enumerate(blocks)
        if len(b.text) >= _MIN_SNIPPET_CHARS
        and not is_closed(b.text)
        and not is_bracketed(b.text)
        and _may_be_cut(b.text)
    )
    cuts: list[int] = []
    while open_ended:
        top = open_ended[-1][0]
        members = set()
        while open_ended and open_ended[-1][0] >= top - _CUT_TOLERANCE:
            members.add(open_ended.pop()[1])
        headed = sum(_has_headline_above(blocks, i) for i in members)
        if headed >= 2 and headed * 2 >= len(members):
            cuts.append(top)
    return cuts


def _may_be_cut(text: str) -> bool:
    """Not a line that only looks cut: a bullet, an item led by a date, one of the story's
    own list items (`_is_list_item`) or a lead-in ending in a colon. (A line ending in a
    bracket sets no cut length either, but a snippet can be cut just after one.)"""
    return not (is_bullet(text) or is_dated_item(text) or _is_list_item(text) or is_lead_in(text))


def _has_headline_above(blocks: list[Block], index: int) -> bool:
    if index == 0:
        return False
    above = blocks[index - 1].text
    return is_headline(above) and len(above) < 0.75 * len(blocks[index].text)


def _snippet_indices(blocks: list[Block]) -> set[int]:
    """Blocks cut at a snippet length: open-ended ones, or closed ones (a cut can land just
    after a full stop) that follow an unflagged headline line after the story has begun;
    and snippets cut at a word count, marked by an ellipsis (`_word_cut_snippets`)."""
    cuts = _snippet_lengths(blocks)
    first_prose = next((i for i, b in enumerate(blocks) if is_prose(b.text)), len(blocks))
    found = set()
    for i, block in enumerate(blocks):
        if not _may_be_cut(block.text) or not any(
            cut - _CUT_TOLERANCE <= len(block.text) <= cut for cut in cuts
        ):
            continue
        previous = blocks[i - 1] if i > 0 else None
        after_headline = (
            i > first_prose
            and previous is not None
            and previous.kind == ARTICLE
            and is_headline(previous.text)
        )
        if not is_closed(block.text) or after_headline:
            found.add(i)
    return found | _word_cut_snippets(blocks)


def _word_cut_snippets(blocks: list[Block]) -> set[int]:
    """Two or more blocks of one word count (`_MIN_WORD_CUT`+) that end in an ellipsis: a
    site cutting its teasers after N words ("... he said. "We are playing a lot..."). A
    story's paragraphs seldom end in an ellipsis, and two of one long length by chance
    seldom do."""
    by_words: dict[int, list[int]] = {}
    for i, block in enumerate(blocks):
        words = word_count(block.text)
        if words >= _MIN_WORD_CUT and ends_in_ellipsis(block.text):
            by_words.setdefault(words, []).append(i)
    return {i for members in by_words.values() if len(members) >= 2 for i in members}


class NoiseDetector:
    """Labels every block of a batch of pages, given one unit embedding per block."""

    def __init__(self, config: NoiseConfig, boilerplate: np.ndarray | None = None) -> None:
        """`boilerplate`: unit embeddings of `config.boilerplate_examples` (None: not used)."""
        self.config = config
        self.boilerplate = boilerplate

    def __call__(self, pages: list[list[Segment]], vectors: list[np.ndarray]) -> list[list[Block]]:
        if not self.config.enabled:
            return [[Block(i, s.text, ARTICLE, False, 1.0) for i, s in enumerate(p)] for p in pages]
        return [self._label_page(page, v) for page, v in zip(pages, vectors)]

    def needs_vectors(self, segments: list[Segment]) -> list[bool]:
        """Which blocks the model must embed: those no pattern, teaser structure or HTML
        extractor already flagged. Their vectors are never read, and on teaser-heavy or
        HTML pages skipping them saves most of the embedding work."""
        blocks = [Block(i, s.text) for i, s in enumerate(segments)]
        if self.config.enabled:
            self._flag_structure(segments, blocks)
        return [block.kind == ARTICLE for block in blocks]

    def _label_page(self, segments: list[Segment], vectors: np.ndarray) -> list[Block]:
        blocks = [Block(i, s.text) for i, s in enumerate(segments)]
        self._flag_structure(segments, blocks)
        numbered = _numbered_runs(blocks) | _item_runs(blocks, is_dated_item)
        prose = [
            i
            for i, b in enumerate(blocks)
            if b.kind == ARTICLE and (is_prose(b.text) or i in numbered)
        ]
        if not prose:  # e.g. a clean description cut mid-sentence: long blocks will do
            prose = [i for i, b in enumerate(blocks) if b.kind == ARTICLE and is_long(b.text)]
        if not prose:  # the HTML extractor's main content, however short its blocks
            prose = [i for i, b in enumerate(blocks) if b.kind == ARTICLE and segments[i].in_main]
        if not prose:
            for block in blocks:
                if block.kind == ARTICLE:
                    block.kind, block.score = BOILERPLATE, 0.6
        else:
            core = self._label_rest(blocks, vectors, prose, [s.in_main for s in segments])
            self._flag_boilerplate_prose(segments, blocks, vectors, core)
            _title_from_h1(segments, blocks)
        for block in blocks:
            block.noise = block.kind in NOISE_KINDS
        return blocks

    def _label_rest(
        self,
        blocks: list[Block],
        vectors: np.ndarray,
        prose: list[int],
        in_main: list[bool | None],
    ) -> np.ndarray:
        """Blocks no pattern or teaser structure claimed, by where they sit around the story;
        returns the core's centroid.

        The story's core is the densest run of prose (`_core_span`); everything inside it is
        article. Just before it, a few header lines (title, dateline, venue) are kept; in the
        HTML main content they stay article (the `<h1>` is the title there). On a page
        that lists other stories below the story, the story's tail (result lists,
        fixtures) runs on after the core up to the first line flagged as furniture; and
        whatever the HTML extractor put in the main content is kept. Anywhere else a block
        must be long, close in meaning to the core, not repeated on the page (a menu shown
        twice, a teaser in two lists), and outside the story's extent (its first to last
        kept sentence) not shaped like a headline or a tag cloud (`_is_listing`): an
        on-topic headline above or below the story is another story's teaser, while a
        list item between two of its paragraphs is the story's; and after the core, two or
        more teaser cards (a headline, a snippet, then no sentence: `_teaser_cards`) are
        teasers. Below a comments or "related" heading under the story there is no tail,
        and only full sentences count: what stays there is the story resuming after a
        widget, while headlines, names and dates of comments and other stories go; below a
        comments heading nothing stays (a story does not resume after its comments, and
        comments read like it). Last, a sentence dropped between two kept paragraphs is kept
        after all (`_keep_sandwiched`), and so are the paragraphs of a run on-topic as a
        whole, above the core or below it down to a comments heading
        (`_keep_on_topic_runs`), and the short lines of the story's own lists (three or more
        ingredients led by a quantity, or an interview's "Q:" / "A:" turns: `_is_list_item`)
        anywhere above a comments heading, unless a pattern or the HTML extractor had flagged
        them. The headlines right after a lead-in repeated on the page or a bare "Related"
        label (`_inline_lead_ins`) are its links: teasers.
        """
        short_items = [i for i in _item_runs(blocks, _is_list_item) if blocks[i].kind == ARTICLE]
        inline = _inline_lead_ins(blocks)
        walls = _section_walls(blocks, inline)
        first, last = _story_span(blocks, prose, in_main, walls)
        _flag_inline_links(blocks, inline)
        core = [i for i in prose if first <= i <= last]
        centre = _centroid(vectors, blocks, core)
        similarity = vectors @ centre
        below = range(last + 1, len(blocks))
        sections_from = next((i for i in below if i in walls), len(blocks))
        comments_from = next(
            (i for i in below if i in walls and is_comments_heading(blocks[i].text)), len(blocks)
        )
        tail_end = last + 1
        if any(blocks[i].kind == TEASER for i in below):
            tail_end = min(next(i for i in below if blocks[i].kind != ARTICLE), sections_from)
        header = _header_lines(blocks, first, walls)
        min_sim = self.config.min_similarity
        # the story's extent: from its first to its last kept sentence, in the core or not
        story = [
            i
            for i in prose
            if first <= i <= last or (similarity[i] >= min_sim and i < sections_from)
        ]
        story_from, story_to = story[0], story[-1]
        repeated = {text for text, n in Counter(b.text for b in blocks).items() if n > 1}
        cards = _teaser_cards(blocks, last)
        dropped: set[int] = set()
        for i, block in enumerate(blocks):
            if block.kind != ARTICLE:
                continue
            sim = float(similarity[i])
            if first <= i <= last:
                block.score = _clip(0.75 + sim / 4)
            elif i in header:
                title = (
                    not in_main[i]
                    and is_headline(block.text)
                    and not any(b.kind == TITLE for b in blocks[:i])
                )
                block.kind = TITLE if title else ARTICLE
                block.score = _clip(0.5 + sim / 2)
            elif in_main[i] or last < i < tail_end:
                block.score = _clip(0.5 + sim / 2)
            elif (
                block.text not in repeated
                and i not in cards
                and i not in walls
                and i < comments_from
                and sim >= min_sim
                and (
                    is_prose(block.text)
                    or (
                        i < sections_from
                        and is_long(block.text)
                        and (story_from < i < story_to or not _is_listing(block.text))
                    )
                )
            ):
                block.score = _clip(0.5 + sim - min_sim)
            else:
                block.kind = TEASER if is_headline(block.text) else BOILERPLATE
                block.score = _clip(0.5 + abs(min_sim - sim))
                if block.text not in repeated and i not in cards:
                    dropped.add(i)
        _keep_sandwiched(blocks, dropped)
        for region in (range(first), range(last + 1, comments_from)):
            _keep_on_topic_runs(blocks, vectors, centre, dropped, min_sim, region)
        for i in short_items:
            if i < comments_from:
                blocks[i].kind, blocks[i].score = ARTICLE, 0.6
        return centre

    def _flag_boilerplate_prose(
        self, segments: list[Segment], blocks: list[Block], vectors: np.ndarray, core: np.ndarray
    ) -> None:
        """Kept blocks that read like page furniture rather than the story: nearer to one
        of the boilerplate examples than both to the mean of the kept blocks and to the
        story's `core` centroid. Bios, pitches and notices are prose, so no pattern or span
        catches every wording of them; the core guards the story when a long kept list (the
        signatories under an open letter) pulls the mean of the kept blocks away from it."""
        kept = [i for i, b in enumerate(blocks) if b.kind == ARTICLE]
        if self.boilerplate is None or not len(self.boilerplate) or not kept:
            return
        story = unit(vectors[kept].mean(axis=0))
        for i in kept:
            if segments[i].in_main:
                continue
            like_boilerplate = float((self.boilerplate @ vectors[i]).max())
            like_story = max(float(vectors[i] @ story), float(vectors[i] @ core))
            if like_boilerplate > like_story:
                blocks[i].kind = BOILERPLATE
                blocks[i].score = _clip(0.5 + like_boilerplate - like_story)

    @staticmethod
    def _flag_structure(segments: list[Segment], blocks: list[Block]) -> None:
        """Patterns and teaser structure: the evidence that needs no model."""
        wording: dict[str, tuple[str, float] | None] = {}  # pages repeat lines: match once
        for block in blocks:
            if block.text not in wording:
                wording[block.text] = _wording(block.text)
            found = wording[block.text]
            if found:
                block.kind, block.score = found
        for i in _doubled_prose(blocks):
            if blocks[i].kind == ARTICLE:
                blocks[i].kind, blocks[i].score = BOILERPLATE, 0.8
        for i in _read_more_cards(blocks):
            for card in blocks[i - 1 : i + 1]:
                if card.kind == ARTICLE:
                    card.kind, card.score = TEASER, 0.9
        for i in sorted(_snippet_indices(blocks)):
            if segments[i].in_main and (
                is_closed(blocks[i].text) or len(blocks[i].text) < _MIN_MAIN_SNIPPET_CHARS
            ):
                continue  # the extractor's DOM evidence outweighs a length coincidence
            blocks[i].kind, blocks[i].score = TEASER, 0.95
            previous = blocks[i - 1] if i > 0 else None
            if previous is not None and previous.kind == ARTICLE and is_headline(previous.text):
                previous.kind, previous.score = TEASER, 0.9
        for segment, block in zip(segments, blocks):
            if block.kind != ARTICLE:
                continue
            if segment.in_main is False:
                block.kind, block.score = BOILERPLATE, 0.85
            elif segment.in_chrome and segment.link_density > 0.5:
                block.kind, block.score = BOILERPLATE, 0.8
            elif segment.tag == "figcaption":  # photo captions and credits
                block.kind, block.score = BOILERPLATE, 0.8


def _wording(text: str) -> tuple[str, float] | None:
    """The kind and score a line gets by its wording alone: a pattern's kind, or a teaser
    whose headline runs into its snippet."""
    kind = pattern_kind(text)
    if kind:
        return kind, 0.95
    return (TEASER, 0.9) if has_run_on_title(text) else None


def _inline_lead_ins(blocks: list[Block]) -> set[int]:
    """Lead-ins to links repeated on the page ("Leggi anche:" before each of several
    links) and bare labels ("Related"): each sets one link into the story, as "Read more:
    <headline>" does in one line, where a lead-in standing once heads a list of other
    stories."""
    counts = Counter(b.text for b in blocks if is_read_also(b.text))
    return {i for i, b in enumerate(blocks) if counts[b.text] > 1 or is_link_label(b.text)}


def _flag_inline_links(blocks: list[Block], inline: set[int]) -> None:
    """The headlines right after each `inline` lead-in ("Related", then "Allies Plan New
    Naval Drills", "Minister warns ...") are its links: other stories' teasers, however
    on-topic."""
    for i in inline:
        j = i + 1
        while j < len(blocks) and is_headline(blocks[j].text) and j not in inline:
            if blocks[j].kind == ARTICLE:
                blocks[j].kind, blocks[j].score = TEASER, 0.9
            j += 1


def _section_walls(blocks: list[Block], inline: set[int]) -> set[int]:
    """Headings that open comments or a list of other stories, but not the `inline`
    lead-ins."""
    return {i for i, b in enumerate(blocks) if is_section_heading(b.text) and i not in inline}


def _core_span(
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
    best, span = float("-inf"), (prose[0], prose[0])
    running, start, weight = 0.0, 0, 1.0
    for i, block in enumerate(blocks):
        if i in walls:
            running, weight = float("-inf"), _AFTER_SECTION_WEIGHT
            continue
        if i in prose_set:
            gain = weight * word_count(block.text)
        else:
            listed = block.kind == TEASER or is_dateline(block.text)
            gain = -(_NOISE_COST if listed and in_main[i] is not False else _GAP_COST)
        if running <= 0:
            running, start = gain, i
        else:
            running += gain
        if running > best and i in prose_set:
            best, span = running, (start, i)
    return span


def _story_span(
    blocks: list[Block], prose: list[int], in_main: list[bool | None], walls: set[int]
) -> tuple[int, int]:
    """The story's core (`_core_span`), sought above the first comments heading when the
    densest run is one comment of the thread below it (`_is_comment`): a short post under
    a long thread is still the story, and a story never begins in its comments."""
    first, last = _core_span(blocks, prose, in_main, walls)
    opened = min((i for i in walls if is_comments_heading(blocks[i].text)), default=None)
    if (
        opened is not None
        and first > opened
        and any(i < opened for i in prose)
        and _is_comment(blocks, first, last, opened)
    ):
        first, last = _core_span(blocks, [i for i in prose if i < opened], in_main, walls)
    return first, last


def _is_comment(blocks: list[Block], first: int, last: int, opened: int) -> bool:
    """Whether the span `first`..`last` below the comments heading at `opened` is one
    comment of a thread: a stamp ("Jane on May 2, 2019 at 5:23 pm said:") at most
    `_MAX_ITEM_GAP` lines above it and another as close below it, among three or more
    stamps under the heading. A story's own dateline sits above it only."""
    stamps = [i for i in range(opened, len(blocks)) if is_dateline(blocks[i].text)]
    above = any(first - _MAX_ITEM_GAP <= i < first for i in stamps)
    below = any(last < i <= last + _MAX_ITEM_GAP for i in stamps)
    return len(stamps) >= 3 and above and below


def _teaser_cards(blocks: list[Block], last: int) -> set[int]:
    """Snippets of cards after the core (which ends at `last`): long unflagged blocks
    between a headline-shaped line or a byline/date stamp and a line that is no sentence
    (the next card's headline, a date, a "Reply"), where a story's paragraph runs on into
    more prose. Other stories' cards sit under headlines, comments under their stamps; each
    kind comes in lists, so it takes `_MIN_CARDS` of one kind: a single one is the story
    resuming under a widget's last headline."""
    under_headline: set[int] = set()
    under_stamp: set[int] = set()
    for i in range(last + 1, len(blocks) - 1):
        block, above = blocks[i], blocks[i - 1]
        if block.kind != ARTICLE or not is_long(block.text) or is_prose(blocks[i + 1].text):
            continue
        if above.kind == BYLINE:
            under_stamp.add(i)
        elif is_headline(above.text):
            under_headline.add(i)
    return {i for group in (under_headline, under_stamp) if len(group) >= _MIN_CARDS for i in group}


def _doubled_prose(blocks: list[Block]) -> set[int]:
    """Both copies of a sentence shown twice in a row: a photo's caption under its alt text
    or its caption repeated by a gallery ("Los Angeles Lakers' LeBron James dunks during
    ..."). A story never repeats a paragraph back to back, and captions without a credit
    read like its prose, so only the doubling gives them away."""
    return {
        j
        for i in range(1, len(blocks))
        if blocks[i].text == blocks[i - 1].text and is_prose(blocks[i].text)
        for j in (i - 1, i)
    }


def _read_more_cards(blocks: list[Block]) -> list[int]:
    """Snippets of cards that end in a link to the rest ("headline / snippet / Read more"),
    when the page shows `_MIN_CARDS`+ of them: a list of other stories, wherever it sits.
    One alone may be the story's own last paragraph above a "Read more" heading."""
    found = [
        i
        for i in range(1, len(blocks) - 1)
        if is_read_more(blocks[i + 1].text)
        and is_long(blocks[i].text)
        and is_headline(blocks[i - 1].text)
    ]
    return found if len(found) >= _MIN_CARDS else []


def _is_list_item(text: str) -> bool:
    """A short line that belongs to a list of the story's own, never to a teaser list: an
    ingredient led by its quantity ("250 g minced lamb") or an interview's turn ("Q: ...")."""
    return is_quantity_item(text) or is_interview_turn(text)


def _is_listing(text: str) -> bool:
    """Shaped like a line of another story's teaser or of the site's topics: a headline, or
    words run together without a stop (a tag cloud)."""
    return is_headline(text) or is_word_list(text)


def _keep_sandwiched(blocks: list[Block], dropped: set[int]) -> None:
    """Prose among `dropped` (outside the core, dropped for its place or meaning) with a kept
    paragraph at most `_SANDWICH_GAP` lines above and another below is the story's: a
    sentence between two of the story's paragraphs belongs to it whatever its wording (a
    short quote, a club's statement, the story resuming after a widget)."""
    for i in sorted(dropped):
        if not is_prose(blocks[i].text):
            continue
        nearby = [
            j
            for j in range(i - _SANDWICH_GAP, i + _SANDWICH_GAP + 1)
            if j != i
            and 0 <= j < len(blocks)
            and blocks[j].kind == ARTICLE
            and is_prose(blocks[j].text)
        ]
        if any(j < i for j in nearby) and any(j > i for j in nearby):
            blocks[i].kind, blocks[i].score = ARTICLE, 0.5


def _keep_on_topic_runs(
    blocks: list[Block],
    vectors: np.ndarray,
    centre: np.ndarray,
    dropped: set[int],
    min_similarity: float,
    region: range,
) -> None:
    """Runs of `_MIN_RUN`+ prose blocks in `region`, each at most `_SANDWICH_GAP` + 1 lines
    after the last, are judged as a whole: when their length-weighted mean is as close to
    the story's `centre` as one block must be, the `dropped` ones among them are kept.

    One paragraph of the story's later part (a quote, an aside) can read off-topic alone,
    but several in a row carry the story's meaning together; other stories' snippets are
    headline-led and seldom full paragraphs three in a row, and comments sit below their
    heading, outside `region`."""
    runs: list[list[int]] = []
    for i in region:
        if not is_prose(blocks[i].text) or not (blocks[i].kind == ARTICLE or i in dropped):
            continue
        if runs and i - runs[-1][-1] <= _SANDWICH_GAP + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) < _MIN_RUN or dropped.isdisjoint(run):
            continue
        if float(_centroid(vectors, blocks, run) @ centre) >= min_similarity:
            for i in run:
                if blocks[i].kind != ARTICLE:
                    blocks[i].kind, blocks[i].score = ARTICLE, 0.5


def _numbered_runs(blocks: list[Block]) -> set[int]:
    """Items of runs of `_MIN_NUMBERED_RUN`+ consecutively numbered lines ("1. Ditch the
    diet", "2. ...", or counting down), an item at most `_MAX_ITEM_GAP` lines after the
    last (room for its description). A listicle, a ranking or a recipe's steps is the
    story even when its items are short lines, so they weigh as prose; menus and teaser
    lists are not numbered."""
    found: set[int] = set()
    run: list[int] = []
    previous = 0
    for i, block in enumerate(blocks):
        number = item_number(block.text)
        if number is None:
            continue
        if not (run and abs(number - previous) == 1 and i - run[-1] <= _MAX_ITEM_GAP):
            run = []
        run.append(i)
        previous = number
        if len(run) >= _MIN_NUMBERED_RUN:
            found.update(run[-_MIN_NUMBERED_RUN:])  # the run's earlier items are in
    return found


def _item_runs(blocks: list[Block], is_item: Callable[[str], bool]) -> set[int]:
    """Items of runs of `_MIN_NUMBERED_RUN`+ lines that `is_item` accepts, each at most
    `_MAX_ITEM_GAP` lines after the last: lines led by a date (tour dates, a police log)
    or by a quantity (a recipe's ingredients) are the story in short lines, like a numbered
    list, and neither shape comes in menus or teaser lists."""
    found: set[int] = set()
    run: list[int] = []
    for i, block in enumerate(blocks):
        if not is_item(block.text):
            continue
        if run and i - run[-1] > _MAX_ITEM_GAP:
            run = []
        run.append(i)
        if len(run) >= _MIN_NUMBERED_RUN:
            found.update(run[-_MIN_NUMBERED_RUN:])  # the run's earlier items are in
    return found


def _title_from_h1(segments: list[Segment], blocks: list[Block]) -> None:
    """On HTML, the first kept `<h1>` is the headline: the page says so, where a header line
    above the story is only a guess (and was often a kicker or a dateline)."""
    h1 = next(
        (b for s, b in zip(segments, blocks) if s.tag == "h1" and b.kind in (ARTICLE, TITLE)),
        None,
    )
    if h1 is None:
        return
    for block in blocks:
        if block.kind == TITLE:
            block.kind = ARTICLE
    h1.kind = TITLE


def _header_lines(blocks: list[Block], first: int, walls: set[int]) -> set[int]:
    """Up to `_HEADER_LINES` unflagged blocks right above the core (title, dateline), unless
    a "related" or comments heading (one of `walls`) heads them: then they are its links,
    and the core is the story resuming below the box."""
    header: set[int] = set()
    i = first - 1
    while i >= 0 and len(header) < _HEADER_LINES and blocks[i].kind in (ARTICLE, TITLE):
        header.add(i)
        i -= 1
    return set() if i in walls else header


def _centroid(vectors: np.ndarray, blocks: list[Block], prose: list[int]) -> np.ndarray:
    """Unit mean of the prose blocks' embeddings, weighted by length (long paragraphs lead)."""
    weights = np.array([min(word_count(blocks[i].text), 80) for i in prose], dtype=np.float32)
    centre = (vectors[prose] * weights[:, None]).sum(axis=0)
    return unit(centre)


def _clip(value: float) -> float:
    return round(min(0.99, max(0.5, value)), 3)

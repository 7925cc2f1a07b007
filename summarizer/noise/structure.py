"""Model-free evidence: the shapes that give away teasers, captions and the story's own lists.

Cut snippets (teaser summaries cut at one character length or after one word count), the
headline above each, a card's title run into its snippet, a sentence shown twice in a row
(a photo's caption under its alt text), cards ending in "Read more", teaser cards after
the story, the links after an inline "Related" lead-in, the boxes set into a story (a
reader prompt, a labeled media link, a promo's heading and link around its flagged pitch);
and the other way round, the runs of short lines that are the story (numbered items, lines
led by a date or a quantity, an interview's turns). Every function here reads text and,
where said, the kinds decided so far; none writes a block: `detector.NoiseDetector`
decides what the evidence means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from summarizer.text.furniture import (
    is_dated_item,
    is_link_label,
    is_media_link,
    is_read_also,
    is_read_more,
    is_section_heading,
)
from summarizer.text.lines import (
    ends_in_ellipsis,
    is_bracketed,
    is_bullet,
    is_caps_label,
    is_closed,
    is_headline,
    is_interview_turn,
    is_lead_in,
    is_long,
    is_prose,
    is_quantity_item,
    is_question,
    is_word_list,
    item_number,
    word_count,
)
from summarizer.types import ARTICLE, BYLINE, TEASER, Block

_MIN_SNIPPET_CHARS = 40
# inside an HTML extractor's main content a snippet needs the length of a real teaser
# summary (80-160 characters on news sites); shorter open lines there are list items
MIN_MAIN_SNIPPET_CHARS = 80
_CUT_TOLERANCE = 3
_MIN_WORD_CUT = 20
_MIN_NUMBERED_RUN = 3
_MIN_CARDS = 2
MAX_ITEM_GAP = 3


def _snippet_lengths(blocks: list[Block]) -> list[int]:
    """Lengths snippets were cut at: 2+ open-ended blocks within a few characters of one.

    The cut lands at a fixed character count, but stripping a trailing space or a cut right
    after a word makes a snippet a character or two shorter, hence the tolerance. Most
    snippets sit under a much shorter headline; a group without them is a list (award
    winners, line-ups), not teasers. List items, lines led by a date, ingredients and
    interview turns (`is_list_item`) and lead-ins ending in a colon are never cut snippets.
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
    own list items (`is_list_item`) or a lead-in ending in a colon. (A line ending in a
    bracket sets no cut length either, but a snippet can be cut just after one.)"""
    return not (is_bullet(text) or is_dated_item(text) or is_list_item(text) or is_lead_in(text))


def _has_headline_above(blocks: list[Block], index: int) -> bool:
    if index == 0:
        return False
    above = blocks[index - 1].text
    return is_headline(above) and len(above) < 0.75 * len(blocks[index].text)


def snippet_indices(blocks: list[Block]) -> set[int]:
    """Blocks cut at a snippet length: open-ended ones, or closed ones (a cut can land just
    after a full stop) that follow a headline line still taken for the article after the
    story has begun; and snippets cut at a word count, marked by an ellipsis
    (`_word_cut_snippets`). Reads the kinds decided so far."""
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


def doubled_prose(blocks: list[Block]) -> set[int]:
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


def read_more_cards(blocks: list[Block]) -> set[int]:
    """Headlines and snippets of cards that end in a link to the rest ("headline / snippet /
    Read more"), when the page shows `_MIN_CARDS`+ of them: a list of other stories,
    wherever it sits. One alone may be the story's own last paragraph above a "Read more"
    heading."""
    found = [
        i
        for i in range(1, len(blocks) - 1)
        if is_read_more(blocks[i + 1].text)
        and is_long(blocks[i].text)
        and is_headline(blocks[i - 1].text)
    ]
    return {j for i in found for j in (i - 1, i)} if len(found) >= _MIN_CARDS else set()


def teaser_cards(blocks: list[Block], last: int) -> set[int]:
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


def among_teasers(blocks: list[Block], first: int, last: int, by_topic: set[int]) -> set[int]:
    """Unflagged headline-shaped lines outside the core (`first`..`last`) whose run has a
    teaser right above and right below it: items of that list of other stories, however
    on-topic (related stories are; what sets them apart is the list they sit in). One of
    the two must be a teaser by its shape (a card, a cut snippet), not one of `by_topic`,
    the blocks dropped for their topic alone: the story's own short headings can read
    off-topic."""
    found: set[int] = set()
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _open_headline(blocks, j, first, last):
            j += 1
        if j > i > 0 and j < len(blocks):
            shaped = not {i - 1, j} <= by_topic
            if blocks[i - 1].kind == blocks[j].kind == TEASER and shaped:
                found.update(range(i, j))
        i = j + 1
    return found


def _open_headline(blocks: list[Block], i: int, first: int, last: int) -> bool:
    """An unflagged headline outside the core: headline-shaped and opening capitalised (a
    line of the story run on from the one above opens in lower case)."""
    text = blocks[i].text
    return (
        not first <= i <= last
        and blocks[i].kind == ARTICLE
        and is_headline(text)
        and (text[:1].isupper() or text[:1].isdigit())
    )


def inline_lead_ins(blocks: list[Block]) -> set[int]:
    """Lead-ins to links repeated on the page ("Leggi anche:" before each of several
    links) and bare labels ("Related"): each sets one link into the story, as "Read more:
    <headline>" does in one line, where a lead-in standing once heads a list of other
    stories."""
    counts = Counter(b.text for b in blocks if is_read_also(b.text))
    return {i for i, b in enumerate(blocks) if counts[b.text] > 1 or is_link_label(b.text)}


def inline_links(blocks: list[Block], inline: set[int]) -> set[int]:
    """The headlines right after each `inline` lead-in ("Related", then "Allies Plan New
    Naval Drills", "Minister warns ...") are its links: other stories' teasers, however
    on-topic."""
    found: set[int] = set()
    for i in inline:
        j = i + 1
        while j < len(blocks) and is_headline(blocks[j].text) and j not in inline:
            found.add(j)
            j += 1
    return found


def _numbered_runs(blocks: list[Block]) -> list[list[int]]:
    """Runs of `_MIN_NUMBERED_RUN`+ consecutively numbered lines ("1. Ditch the diet",
    "2. ...", or counting down), an item at most `MAX_ITEM_GAP` lines after the last (room
    for its description)."""
    runs: list[list[int]] = []
    run: list[int] = []
    previous = 0
    for i, block in enumerate(blocks):
        number = item_number(block.text)
        if number is None:
            continue
        if not (run and abs(number - previous) == 1 and i - run[-1] <= MAX_ITEM_GAP):
            run = []
            runs.append(run)
        run.append(i)
        previous = number
    return [r for r in runs if len(r) >= _MIN_NUMBERED_RUN]


def numbered_runs(blocks: list[Block]) -> set[int]:
    """Items of numbered runs (`_numbered_runs`). A listicle, a ranking or a recipe's steps
    is the story even when its items are short lines, so they weigh as prose; a site's
    menus are not numbered, and its numbered lists of stories sit under a heading that
    says so (`listed_stories`)."""
    return {i for run in _numbered_runs(blocks) for i in run}


# a short line naming what the list under it holds as stories: "Top stories", "Top
# Canadian Weather Stories for 2007:", "Vista: all the coverage..."
_STORIES = re.compile(r"\b(?:stories|articles|headlines|coverage)\b", re.IGNORECASE)
_MAX_STORIES_HEADING_WORDS = 8


def _is_stories_heading(text: str) -> bool:
    return is_section_heading(text) or (
        word_count(text) <= _MAX_STORIES_HEADING_WORDS and bool(_STORIES.search(text))
    )


def listed_stories(blocks: list[Block]) -> set[int]:
    """A numbered run right under a heading of other stories ("Most read", "Top stories",
    "More coverage"), with its heading: the site's ranking of its stories, whose numbered
    headlines would otherwise weigh as the story's own listicle, above the story as well
    as below it."""
    return {
        i
        for run in _numbered_runs(blocks)
        if run[0] > 0 and _is_stories_heading(blocks[run[0] - 1].text)
        for i in (run[0] - 1, *run)
    }


def item_runs(blocks: list[Block], is_item: Callable[[str], bool]) -> set[int]:
    """Items of runs of `_MIN_NUMBERED_RUN`+ lines that `is_item` accepts, each at most
    `MAX_ITEM_GAP` lines after the last: lines led by a date (tour dates, a police log)
    or by a quantity (a recipe's ingredients) are the story in short lines, like a numbered
    list, and neither shape comes in menus or teaser lists."""
    found: set[int] = set()
    run: list[int] = []
    for i, block in enumerate(blocks):
        if not is_item(block.text):
            continue
        if run and i - run[-1] > MAX_ITEM_GAP:
            run = []
        run.append(i)
        if len(run) >= _MIN_NUMBERED_RUN:
            found.update(run[-_MIN_NUMBERED_RUN:])  # the run's earlier items are in
    return found


def is_list_item(text: str) -> bool:
    """A short line that belongs to a list of the story's own, never to a teaser list: an
    ingredient led by its quantity ("250 g minced lamb") or an interview's turn ("Q: ...")."""
    return is_quantity_item(text) or is_interview_turn(text)


def is_listing(text: str) -> bool:
    """Shaped like a line of another story's teaser or of the site's topics: a headline, or
    words run together without a stop (a tag cloud)."""
    return is_headline(text) or is_word_list(text)


# A dateline opening a lead: "SACRAMENTO, Jan 15 (Reuters) - ", "WASHINGTON --", "London
# (dpa) - " (a city in capitals, or a capitalised one with its agency, then a dash or a
# colon). The agency has a letter: "Heritage (1-0): ..." opens a team's line in a results
# round-up.
_AGENCY = r"\((?=[^)]*[A-Za-z])[^)]{2,30}\)"
_DATE = r",\s*[A-Z][a-z]{2,8}\.?\s*\d{1,2}"
_DATELINE_LEAD = re.compile(
    rf"^(?P<label>(?:[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+){{0,3}}(?:{_DATE})?"
    rf"\s*(?:{_AGENCY})?|[A-Z][a-z]+(?: [A-Z][a-z]+){{0,2}}"
    rf"(?:{_DATE})?\s*{_AGENCY}))\s*(?P<mark>-{{1,2}}|–|—|:)\s+\S"
)
_DATED_OR_SOURCED = re.compile(rf"{_DATE}|{_AGENCY}")
_MIN_LEAD_WORDS = 8
_MIN_OTHER_LEADS = 2


def _dateline_lead(text: str) -> bool:
    """A paragraph of `_MIN_LEAD_WORDS`+ words opening with a dateline. Before a colon the
    label must carry a date or an agency: a bare capitalised label and a colon open an
    interview's turns ("L.A. WEEKLY: What is ...", "DEAR ABBY: ...") or a kicker
    ("FAMILY AFFAIR: ...") as often as a lead."""
    if word_count(text) < _MIN_LEAD_WORDS:
        return False
    found = _DATELINE_LEAD.match(text)
    if found is None:
        return False
    return found["mark"] != ":" or bool(_DATED_OR_SOURCED.search(found["label"]))


def other_dateline_leads(blocks: list[Block]) -> set[int]:
    """Leads of other stories: a story states its dateline once, in its first paragraph,
    so when `_MIN_OTHER_LEADS`+ further paragraphs after the first kept one open with a
    dateline too, they are a list of other stories' leads, however on-topic and
    well-formed their sentences (the span and similarity rules keep them). Dated leads
    above the story's (a flagged "Top stories" box) do not make its own lead another's."""
    dated = [i for i, b in enumerate(blocks) if _dateline_lead(b.text)]
    own = next((i for i in dated if blocks[i].kind == ARTICLE), None)
    later = [i for i in dated if own is not None and i > own]
    return set(later) if len(later) >= _MIN_OTHER_LEADS else set()


def _first_prose(blocks: list[Block]) -> int:
    """The first kept paragraph: above it a page's header lines (a kicker, the title) may
    take the shapes of the boxes set into a story below it."""
    return next(
        (i for i, b in enumerate(blocks) if b.kind == ARTICLE and is_prose(b.text)), len(blocks)
    )


def media_links(blocks: list[Block]) -> set[int]:
    """Kept labeled links to the site's media on the story after its first paragraph
    ("Gallery | Scenes from the storm", "Interactive guide: ..."): teasers set into the
    story, however on-topic. Above it such a label may open the story's own title ("Photo
    gallery: 2009 Hyundai Genesis")."""
    return {
        i
        for i in range(_first_prose(blocks) + 1, len(blocks))
        if blocks[i].kind == ARTICLE and is_media_link(blocks[i].text)
    }


def pitch_lines(blocks: list[Block], pitches: set[int]) -> set[int]:
    """Kept headline-shaped lines around the `pitches`, paragraphs just flagged as
    boilerplate prose (a newsletter pitch, a series promo): the box's heading right above
    one, and its link right below it when noise follows ("Saving Babies: Exposing ..." /
    pitch / "Enter Saving Babies"). Short, they are too little text for the embedding that
    caught the pitch."""
    found: set[int] = set()
    for i in pitches:
        story_goes_on = i + 2 < len(blocks) and blocks[i + 2].kind == ARTICLE
        around = [i - 1] if story_goes_on else [i - 1, i + 1]
        found.update(j for j in around if 0 <= j < len(blocks) and _box_line(blocks[j]))
    return found


def _box_line(block: Block) -> bool:
    """A kept headline-shaped line, not one of the story's header lines: a title stays
    even when the paragraph under it reads as a pitch (two L3S titles did)."""
    return (
        block.kind == ARTICLE
        and block.rule != "header"
        and is_headline(block.text)
        and not is_prose(block.text)
    )


def reader_prompts(blocks: list[Block]) -> set[int]:
    """The kept lines of boxes set into the story that ask the reader something: a label
    in capitals over one question on its own line ("606: DEBATE" / "Who is to blame ...?",
    "READER POLL" / "Should ...?"), a link to a poll, a forum or another story. The label
    goes where the HTML extractor already left the question out of the main content.
    Of the 27 such pairs on the L3S pages, 25 are labeled noise, one is a story's title
    under a kicker (above its prose: hence only after kept prose) and one the same BBC
    debate box labeled as the story; none of the 43 on the ScrapingHub and trafilatura
    pages is in the gold article."""
    return {
        j
        for i in range(_first_prose(blocks) + 1, len(blocks) - 1)
        if is_caps_label(blocks[i].text) and is_question(blocks[i + 1].text)
        for j in (i, i + 1)
        if blocks[j].kind == ARTICLE
    }


_MIN_LEAD_PAIRS = 3


def lead_pairs(blocks: list[Block], first: int, last: int) -> list[tuple[int, int]]:
    """The first run of `_MIN_LEAD_PAIRS` or more (headline, lead) pairs after `first` up
    to `last`: an unflagged headline-shaped line right above one unflagged paragraph of
    prose, then the next headline (flagged blocks between are skipped). A list of other
    stories, each a headline over its first paragraph, reads as a run of prose."""
    shown = [i for i in range(first + 1, last + 1) if blocks[i].kind == ARTICLE]
    run: list[tuple[int, int]] = []
    k = 0
    while k + 1 < len(shown):
        head, lead = shown[k], shown[k + 1]
        if is_headline(blocks[head].text) and is_prose(blocks[lead].text):
            run.append((head, lead))
            k += 2
            continue
        if len(run) >= _MIN_LEAD_PAIRS:
            return run
        run = []
        k += 1
    return run if len(run) >= _MIN_LEAD_PAIRS else []

"""Which blocks are the article and which are teasers, bylines or boilerplate.

Rules return evidence (a kind, a confidence and the rule's name) and `NoiseDetector`
alone decides: a block takes the verdict of the first rule in `STRUCTURE_RULES`, then
in `STORY_RULES`, that fired on it. In order:
1. model-free structure (`structure.py`) and line patterns (`summarizer.text.furniture`):
   a snippet cut at the page's snippet length outranks all, then bylines, share lines,
   captions and the other furniture patterns, a title run into its snippet, doubled prose,
   read-more cards, a cut snippet's headline, and on HTML the blocks outside trafilatura's
   main content (`segment.mark_main_content`), link-heavy chrome and figure captions;
2. the story's span (`span.py`): the densest run of prose not flagged above; everything
   inside it is article, a few header lines above it are the title and dateline (but
   not the last items of a list of other stories that runs into them);
3. outside the span, two or more links after the core are teasers (the HTML
   extractor keeps such a list as part of the story), and so are headlines between two
   teasers (`structure.among_teasers`, not in the extractor's main content), and so is the
   text under each of those links when they make a list of cards (`_linked_snippets`); a block
   stays article when the extractor kept it, it is the story's tail, or its embedding is
   close to the core's centroid and its shape and place fit the story (`_place`);
   otherwise it is a teaser or boilerplate;
4. the keep rules (`keep.py`) take some of those back: the story's own short lists, runs
   of paragraphs on-topic as a whole, a sentence between two kept paragraphs;
5. a kept block closer in meaning to an example of boilerplate prose (an author bio, a
   newsletter pitch, a cookie notice: `noise.boilerplate_examples`) than to the article is
   boilerplate, unless the HTML extractor kept it, and so are the headline-shaped lines
   right around it (the box's heading and link: `structure.pitch_lines`); on HTML the
   first kept `<h1>` is the title;
6. lists of other stories in the story's own shapes are teasers: numbered headlines under
   a heading of stories ("Most read"), and two or more kept paragraphs after the story's
   first that open with a dateline too; so are boxes set into the story that ask the
   reader a question under a label in capitals (a poll, a debate), and labeled links to
   the site's media on the story ("Gallery | ...", "Interactive guide: ...").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from summarizer.config import NoiseConfig
from summarizer.models.embedder import unit
from summarizer.noise import keep, structure
from summarizer.noise.span import Span, section_walls, story_span
from summarizer.segment import Segment
from summarizer.text.furniture import is_dated_item, pattern_kind
from summarizer.text.lines import has_run_on_title, is_closed, is_headline, is_long, is_prose
from summarizer.types import ARTICLE, BOILERPLATE, NOISE_KINDS, TEASER, TITLE, Block

# Confidences (`Block.score`: 0.5 is a coin toss, 1.0 certainty) of the fixed-score rules.
# a line pattern matched, or a snippet cut at the length the page cuts its teasers at
STRONG = 0.95
# a teaser by its card's shape: a title run into its snippet, a read-more card, a cut
# snippet's headline, a link after an inline "Related" lead-in
CARD = 0.9
# the HTML extractor left the block out of the main content
OUTSIDE_MAIN = 0.85
# weaker shapes: a sentence shown twice, link-heavy page chrome, a figure caption
WEAK_SHAPE = 0.8
# the page has no prose at all: everything is boilerplate, with little certainty
NO_STORY = 0.6
# one of the story's own short lists (ingredients, interview turns)
LIST_ITEM = 0.6
# links after the story that make a list of other stories
MIN_LINKED = 2
# text blocks under one linked headline of a list of cards
MAX_CARD_TEXTS = 2
# kept by a keep rule against the span and similarity rules: a close call
KEPT_ANYWAY = 0.5


class Evidence(NamedTuple):
    """What one rule says about one block."""

    kind: str
    score: float
    rule: str


# Model-free rules, strongest first (`_structure`). A cut snippet outranks even a pattern:
# a teaser's summary often begins like a byline or a date line.
STRUCTURE_RULES = (
    "cut_snippet",
    "pattern",
    "run_on_title",
    "doubled_prose",
    "read_more_card",
    "snippet_headline",
    "outside_main",
    "chrome_links",
    "figcaption",
)
# Rules after the span, strongest first (`_label_story`); they judge only blocks that no
# structure rule flagged. The keep rules outrank the place verdict (`_place`) they undo.
STORY_RULES = ("list_item", "on_topic_run", "sandwiched", "inline_link", "place")

Found = dict[str, dict[int, Evidence]]


def _decide(found: Found, order: tuple[str, ...]) -> dict[int, Evidence]:
    """Per block, the evidence of the first rule in `order` that fired on it."""
    decided: dict[int, Evidence] = {}
    for rule in reversed(order):
        decided.update(found.get(rule, {}))
    return decided


def _apply(blocks: list[Block], decided: dict[int, Evidence]) -> None:
    for i, evidence in decided.items():
        blocks[i].kind, blocks[i].score, blocks[i].rule = (
            evidence.kind,
            evidence.score,
            evidence.rule,
        )


def _fired(rule: str, kind: str, score: float, indices: set[int]) -> dict[int, Evidence]:
    return {i: Evidence(kind, score, rule) for i in indices}


@dataclass(frozen=True)
class _Story:
    """What `_place` needs to judge a block by where it sits around the story."""

    span: Span
    walls: set[int]
    in_main: list[bool | None]
    similarity: np.ndarray
    min_similarity: float
    repeated: set[str]
    cards: set[int]
    linked: set[int]  # links after the core (`_links_after`)


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
            _structure(segments, blocks)
        return [block.kind == ARTICLE for block in blocks]

    def _label_page(self, segments: list[Segment], vectors: np.ndarray) -> list[Block]:
        blocks = [Block(i, s.text) for i, s in enumerate(segments)]
        _structure(segments, blocks)
        listed = structure.listed_stories(blocks)
        numbered = (structure.numbered_runs(blocks) - listed) | structure.item_runs(
            blocks, is_dated_item
        )
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
            left = {i for i, b in enumerate(blocks) if b.kind == ARTICLE}
            _apply(blocks, _fired("no_story", BOILERPLATE, NO_STORY, left))
        else:
            core = self._label_story(blocks, vectors, prose, segments)
            pitches = self._boilerplate_prose(segments, blocks, vectors, core)
            _apply(blocks, pitches)
            pitch = structure.pitch_lines(blocks, set(pitches))
            _apply(blocks, _fired("pitch_line", BOILERPLATE, WEAK_SHAPE, pitch))
            _apply(blocks, _other_stories(blocks, listed))
            prompts = structure.reader_prompts(blocks)
            _apply(blocks, _fired("reader_prompt", BOILERPLATE, CARD, prompts))
            _apply(blocks, _fired("media_link", TEASER, CARD, structure.media_links(blocks)))
            _title_from_h1(segments, blocks)
        for block in blocks:
            block.noise = block.kind in NOISE_KINDS
        return blocks

    def _label_story(
        self,
        blocks: list[Block],
        vectors: np.ndarray,
        prose: list[int],
        segments: list[Segment],
    ) -> np.ndarray:
        """Blocks no structure rule claimed, by where they sit around the story (`_place`)
        and what the keep rules take back; returns the core's centroid.

        The story's own short lists (`structure.is_list_item`) are sought before the
        inline links are flagged, and stay article anywhere above a comments heading."""
        in_main = [s.in_main for s in segments]
        open_ = {i for i, b in enumerate(blocks) if b.kind == ARTICLE}
        short_items = structure.item_runs(blocks, structure.is_list_item) & open_
        inline = structure.inline_lead_ins(blocks)
        walls = section_walls(blocks, inline)
        first, last = story_span(blocks, prose, in_main, walls)
        found: Found = {
            "inline_link": _fired(
                "inline_link", TEASER, CARD, structure.inline_links(blocks, inline) & open_
            )
        }
        _apply(blocks, found["inline_link"])  # the header and the tail end at a teaser
        last = _before_other_leads(blocks, vectors, prose, first, last, self.config.min_similarity)
        centre = keep.centroid(vectors, blocks, [i for i in prose if first <= i <= last])
        similarity = vectors @ centre
        min_sim = self.config.min_similarity
        story = _Story(
            span=Span.around(blocks, (first, last), walls, prose, similarity, min_sim),
            walls=walls,
            in_main=in_main,
            similarity=similarity,
            min_similarity=min_sim,
            repeated={text for text, n in Counter(b.text for b in blocks).items() if n > 1},
            cards=structure.teaser_cards(blocks, last),
            linked=_links_after(segments, last),
        )
        found["place"] = _place(blocks, story)
        _apply(blocks, found["place"])  # the keep rules read what the place verdict kept
        by_topic = {i for i, e in found["place"].items() if e.rule == "off_topic"}
        among = structure.among_teasers(blocks, first, last, by_topic)
        listed_items = _fired("among_teasers", TEASER, CARD, {i for i in among if not in_main[i]})
        found["place"].update(listed_items)
        _apply(blocks, listed_items)
        cards = _fired("linked_card", TEASER, CARD, _linked_snippets(blocks, story.linked, last))
        found["place"].update(cards)
        _apply(blocks, cards)
        dropped = {
            i
            for i, e in found["place"].items()
            if e.rule == "off_topic"
            and blocks[i].text not in story.repeated
            and i not in story.cards
        }
        regions = (range(first), range(last + 1, story.span.comments_from))
        on_topic = [
            keep.on_topic_runs(blocks, vectors, centre, dropped, min_sim, r) for r in regions
        ]
        found["on_topic_run"] = _fired("on_topic_run", ARTICLE, KEPT_ANYWAY, set().union(*on_topic))
        found["sandwiched"] = _fired(
            "sandwiched", ARTICLE, KEPT_ANYWAY, keep.sandwiched(blocks, dropped)
        )
        listed = {i for i in short_items if i < story.span.comments_from}
        found["list_item"] = _fired("list_item", ARTICLE, LIST_ITEM, listed)
        _apply(blocks, _decide(found, STORY_RULES))
        return centre

    def _boilerplate_prose(
        self, segments: list[Segment], blocks: list[Block], vectors: np.ndarray, core: np.ndarray
    ) -> dict[int, Evidence]:
        """Kept blocks that read like page furniture rather than the story: nearer to one
        of the boilerplate examples than both to the mean of the kept blocks and to the
        story's `core` centroid. Bios, pitches and notices are prose, so no pattern or span
        catches every wording of them; the core guards the story when a long kept list (the
        signatories under an open letter) pulls the mean of the kept blocks away from it."""
        kept = [i for i, b in enumerate(blocks) if b.kind == ARTICLE]
        if self.boilerplate is None or not len(self.boilerplate) or not kept:
            return {}
        story = unit(vectors[kept].mean(axis=0))
        found: dict[int, Evidence] = {}
        for i in kept:
            if segments[i].in_main:
                continue
            like_boilerplate = float((self.boilerplate @ vectors[i]).max())
            like_story = max(float(vectors[i] @ story), float(vectors[i] @ core))
            if like_boilerplate > like_story:
                score = _clip(0.5 + like_boilerplate - like_story)
                found[i] = Evidence(BOILERPLATE, score, "boilerplate_example")
        return found


def _wording(text: str) -> tuple[str, Evidence] | None:
    """The rule and evidence a line gets by its wording alone: a pattern's kind, or a
    teaser whose headline runs into its snippet."""
    kind = pattern_kind(text)
    if kind:
        return "pattern", Evidence(kind, STRONG, "pattern")
    return (
        ("run_on_title", Evidence(TEASER, CARD, "run_on_title")) if has_run_on_title(text) else None
    )


def _structure(segments: list[Segment], blocks: list[Block]) -> None:
    """Labels `blocks` by the model-free evidence, ranked by `STRUCTURE_RULES`.

    The cut snippets are sought once the other text rules have spoken (a closed snippet
    counts only after a headline line no rule flagged); inside the HTML extractor's main
    content a snippet must be open and of a teaser's length, for the extractor's DOM
    evidence outweighs a length coincidence."""
    found: Found = {"pattern": {}, "run_on_title": {}}
    wording: dict[str, tuple[str, Evidence] | None] = {}  # pages repeat lines: match once
    for i, block in enumerate(blocks):
        if block.text not in wording:
            wording[block.text] = _wording(block.text)
        if (match := wording[block.text]) is not None:
            rule, evidence = match
            found[rule][i] = evidence
    found["doubled_prose"] = _fired(
        "doubled_prose", BOILERPLATE, WEAK_SHAPE, structure.doubled_prose(blocks)
    )
    found["read_more_card"] = _fired(
        "read_more_card", TEASER, CARD, structure.read_more_cards(blocks)
    )
    _apply(blocks, _decide(found, STRUCTURE_RULES))
    snippets = {
        i
        for i in structure.snippet_indices(blocks)
        if not segments[i].in_main
        or not (is_closed(blocks[i].text) or len(blocks[i].text) < structure.MIN_MAIN_SNIPPET_CHARS)
    }
    headlines = {
        i - 1
        for i in snippets
        if i > 0 and blocks[i - 1].kind == ARTICLE and is_headline(blocks[i - 1].text)
    }
    found["cut_snippet"] = _fired("cut_snippet", TEASER, STRONG, snippets)
    found["snippet_headline"] = _fired("snippet_headline", TEASER, CARD, headlines)
    html = [
        ("outside_main", OUTSIDE_MAIN, lambda s: s.in_main is False),
        ("chrome_links", WEAK_SHAPE, lambda s: s.in_chrome and s.is_link),
        ("figcaption", WEAK_SHAPE, lambda s: s.tag == "figcaption"),  # photo captions and credits
    ]
    for rule, score, test in html:
        hits = {i for i, s in enumerate(segments) if test(s)}
        found[rule] = _fired(rule, BOILERPLATE, score, hits)
    _apply(blocks, _decide(found, STRUCTURE_RULES))


def _place(blocks: list[Block], story: _Story) -> dict[int, Evidence]:
    """The verdict on each block no structure rule flagged, by where it sits.

    Everything in the core is article. Just before it, a few header lines (title,
    dateline, venue) are kept, unless a list of other stories runs into them
    (`_ends_list`, rule "list_end"), the first headline-shaped one outside the HTML main
    content being the title (on HTML the `<h1>` is the title). Two or more blocks that
    are links after the core are teasers (rule "linked_after"). Whatever else the HTML
    extractor put in the main content is kept, and so is the story's tail (result lists,
    fixtures) after the core on a page that lists other stories below it. Anywhere else a
    block must be close in meaning to the core and fit the story (`_stays`); otherwise it
    is a teaser (headline-shaped) or boilerplate, rule "off_topic"."""
    span, sim_min = story.span, story.min_similarity
    main_ends = min(
        (i for i in story.walls if i > span.last and story.in_main[i]), default=len(blocks)
    )
    decided: dict[int, Evidence] = {}
    titled = False
    for i, block in enumerate(blocks):
        if block.kind != ARTICLE:
            continue
        sim = float(story.similarity[i])
        if span.first <= i <= span.last:
            decided[i] = Evidence(ARTICLE, _clip(0.75 + sim / 4), "core")
        elif i in span.header and _ends_list(blocks, i, story, decided):
            decided[i] = Evidence(TEASER, _clip(0.5 + sim_min - sim), "list_end")
        elif i in span.header:
            title = not story.in_main[i] and is_headline(block.text) and not titled
            titled = titled or title
            decided[i] = Evidence(TITLE if title else ARTICLE, _clip(0.5 + sim / 2), "header")
        elif i in story.linked:
            decided[i] = Evidence(TEASER, CARD, "linked_after")
        elif story.in_main[i] and i < main_ends:
            decided[i] = Evidence(ARTICLE, _clip(0.5 + sim / 2), "main_content")
        elif span.last < i < span.tail_end:
            decided[i] = Evidence(ARTICLE, _clip(0.5 + sim / 2), "tail")
        elif _stays(blocks, i, story):
            decided[i] = Evidence(ARTICLE, _clip(0.5 + sim - sim_min), "on_topic")
        else:
            kind = TEASER if is_headline(block.text) else BOILERPLATE
            decided[i] = Evidence(kind, _clip(0.5 + abs(sim_min - sim)), "off_topic")
    return decided


def _before_other_leads(
    blocks: list[Block],
    vectors: np.ndarray,
    prose: list[int],
    first: int,
    last: int,
    min_similarity: float,
) -> int:
    """Where the core ends: before a teaser that opens a run of headlines over leads inside
    it (`structure.lead_pairs`) whose leads are off the topic of the prose above that
    teaser, else at `last`. The densest run of prose may bridge a few links and go on
    through a list of other stories, each a headline over its first paragraph; a story's
    own sections under subheadings are on its topic, and follow no teaser."""
    pairs = structure.lead_pairs(blocks, first, last)
    if not pairs:
        return last
    wall = max((j for j in range(first, pairs[0][0]) if blocks[j].kind == TEASER), default=first)
    above = [i for i in prose if first <= i < wall]
    if not above:
        return last
    leads = [lead for _, lead in pairs]
    similarity = vectors[leads] @ keep.centroid(vectors, blocks, above)
    return above[-1] if float(np.mean(similarity)) < min_similarity else last


def _other_stories(blocks: list[Block], listed: set[int]) -> dict[int, Evidence]:
    """Kept blocks that list other stories in the story's own shapes, which every rule
    before keeps: numbered headlines under a heading of stories ("Most read",
    `structure.listed_stories`: they weigh as no prose when the span is sought) and
    paragraphs that repeat the story's dateline (`structure.other_dateline_leads`)."""
    kept = {i for i, b in enumerate(blocks) if b.kind == ARTICLE}
    leads = structure.other_dateline_leads(blocks) & kept
    return {
        **_fired("listed_story", TEASER, CARD, listed & kept),
        **_fired("dateline_leads", TEASER, CARD, leads),
    }


def _ends_list(blocks: list[Block], i: int, story: _Story, decided: dict[int, Evidence]) -> bool:
    """Whether header line `i` continues a list of other stories that runs into the header:
    the line right above it is a teaser (`decided` holds this pass's verdicts so far, so
    the list may run on through several header lines), and this one is a headline as far
    from the story as an off-topic line. Plain text runs a "Top stories" box into the story
    it sits above; the story's title reads like it, and the lines under the title (a
    standfirst, a dateline) sit below a kept line."""
    if i == 0 or not is_headline(blocks[i].text):
        return False
    if float(story.similarity[i]) >= story.min_similarity:
        return False
    above = decided.get(i - 1)
    return (above.kind if above else blocks[i - 1].kind) == TEASER


def _links_after(segments: list[Segment], last: int) -> set[int]:
    """Blocks after the core (ending at `last`) whose text is mostly a link, when there are
    `MIN_LINKED` or more of them: a list of other stories (headlines, or a headline and
    its first sentence in one link), however on-topic. HTML extractors keep the "more on
    this" list under an article as part of its main content, but its items are links where
    the story's own lines are text. A single such link is as often the story's own (a
    "Gallery" link, its source's name). Requiring a headline's shape as well left more of
    the L3S pages' linked teasers in (related leak 11.1% against 8.9%)."""
    found = {i for i in range(last + 1, len(segments)) if segments[i].is_link}
    return found if len(found) >= MIN_LINKED else set()


def _linked_snippets(blocks: list[Block], linked: set[int], last: int) -> set[int]:
    """Kept blocks after the core (ending at `last`) set between a link of the `linked` list
    right above and a teaser (or the page's end) right below, one or two of them (flagged
    blocks between do not count), found `MIN_LINKED` or more times: the text under each
    linked headline of a list of cards (its first sentences, a subheading). HTML extractors
    keep such a list as main content, and its snippets read as well-formed, on-topic prose."""
    shown = [i for i in range(last + 1, len(blocks)) if blocks[i].kind in (ARTICLE, TEASER)]
    cards: list[list[int]] = []
    k = 0
    while k < len(shown):
        if blocks[shown[k]].kind != ARTICLE or k == 0 or shown[k - 1] not in linked:
            k += 1
            continue
        end = k
        while end < len(shown) and end - k < MAX_CARD_TEXTS and blocks[shown[end]].kind == ARTICLE:
            end += 1
        if end == len(shown) or blocks[shown[end]].kind == TEASER:
            cards.append(shown[k:end])
        k = end
    return {i for card in cards for i in card} if len(cards) >= MIN_LINKED else set()


def _stays(blocks: list[Block], i: int, story: _Story) -> bool:
    """Whether a block outside the core, header, main content and tail is the story's.

    It must be close in meaning to the core, not repeated on the page (a menu shown
    twice, a teaser in two lists), not a teaser card after the core
    (`structure.teaser_cards`), and above any comments heading (a story does not resume
    after its comments, and comments read like it). Prose stays; a long line that is no
    sentence stays only above a "related" or comments heading and, outside the story's
    extent, only if not shaped like a headline or a tag cloud (`structure.is_listing`):
    an on-topic headline above or below the story is another story's teaser, while a
    list item between two of its paragraphs is the story's."""
    text, span = blocks[i].text, story.span
    if (
        text in story.repeated
        or i in story.cards
        or i in story.walls
        or i >= span.comments_from
        or float(story.similarity[i]) < story.min_similarity
    ):
        return False
    if is_prose(text):
        return True
    inside = span.story_from < i < span.story_to
    return i < span.sections_from and is_long(text) and (inside or not structure.is_listing(text))


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
    h1.kind, h1.rule = TITLE, "h1_title"


def _clip(value: float) -> float:
    """A similarity-derived confidence, kept between a coin toss and near certainty."""
    return round(min(0.99, max(0.5, value)), 3)

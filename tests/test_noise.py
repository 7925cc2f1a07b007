"""The noise detector's structural rules, with fixed vectors (no model needed)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from summarizer.config import NoiseConfig
from summarizer.noise.detector import NoiseDetector
from summarizer.noise.structure import (
    among_teasers,
    item_runs,
    lead_pairs,
    media_links,
    numbered_runs,
    pitch_lines,
    reader_prompts,
)
from summarizer.segment import Segment, segment_text
from summarizer.text.lines import word_count
from summarizer.types import Block

ARTICLE = [
    "The defence minister arrived in Seoul on Monday for two days of security talks.",
    "Officials said the meeting would cover missile defence and joint military exercises.",
    "78,000",
    "- Upgrading security at nuclear arms stores as a temporary measure",
    "Analysts expect the allies to announce a new framework before the end of the year.",
]
# a site menu long enough to keep what follows it apart from the story's prose run
MENU = ["Home", "World", "Asia", "Politics", "Business", "Sport", "Weather", "Video"]
TEASERS = [
    "Storm Hits Coastal Towns",
    "Heavy rain and strong winds battered the coast overnight, leaving thousands of homes with",
    "Local Team Wins Cup Final",
    "The home side lifted the trophy after a dramatic penalty shoot-out in front of a crowd of",
]


def label(
    lines: list[str], similar: set[int] | None = None, in_main: list[bool | None] | None = None
) -> list[tuple[str, bool]]:
    """Run the detector with vectors that make blocks in `similar` (default: all) on-topic;
    `in_main` is the HTML extractor's verdict per block (default: not asked)."""
    similar = set(range(len(lines))) if similar is None else similar
    on, off = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    vectors = np.stack([on if i in similar else off for i in range(len(lines))])
    marks = in_main or [None] * len(lines)
    segments = [Segment(t, in_main=m) for t, m in zip(lines, marks)]
    blocks = NoiseDetector(NoiseConfig())([segments], [vectors])[0]
    return [(b.kind, b.noise) for b in blocks]


def test_byline_article_and_fixed_length_teasers() -> None:
    lines = ["Posted by News Desk", *ARTICLE, *TEASERS]
    # the two snippets must be cut at (nearly) one length for the rule to see them
    assert abs(len(TEASERS[1]) - len(TEASERS[3])) <= 3
    kinds = label(lines)
    assert kinds[0] == ("byline", True)
    assert all(kind == ("article", False) for kind in kinds[1:6])
    assert kinds[6:] == [("teaser", True)] * 4


def test_share_and_subscribe_lines_are_boilerplate() -> None:
    kinds = label([*ARTICLE, "Share this article on Facebook", "Subscribe to our newsletter"])
    assert kinds[-2:] == [("boilerplate", True), ("boilerplate", True)]


def test_a_long_sentence_mentioning_subscribers_stays_article() -> None:
    sentence = (
        "The company said its subscribers rose by a fifth last year as more households "
        "chose to sign up for streaming services."
    )
    kinds = label([ARTICLE[0], sentence, ARTICLE[1]])
    assert kinds[1] == ("article", False)


def test_off_topic_trailing_headline_without_snippet_is_flagged() -> None:
    lines = [*ARTICLE, "Celebrity chef opens new restaurant"]
    kinds = label(lines, similar=set(range(len(ARTICLE))))
    assert kinds[-1] == ("teaser", True)


def test_on_topic_trailing_prose_is_kept() -> None:
    lines = [*ARTICLE, "The talks continue tomorrow with a visit to the border and the troops."]
    assert label(lines)[-1] == ("article", False)


def test_on_topic_headlines_around_the_story_are_teasers_but_list_items_in_it_stay() -> None:
    """Above or below the story an on-topic headline is another story's teaser; between two
    of the story's paragraphs a line of that shape is one of its list items."""
    before = "Defence ministers to meet again in Tokyo next spring for missile talks"
    after = "Allies announce new framework for joint military exercises in the region"
    item = "Joint naval drills in the Yellow Sea and a shared missile warning network"
    story = [ARTICLE[0], ARTICLE[1], "Gap", "Gap", "Gap", "Gap", "Gap", item, ARTICLE[4]]
    menu = ["Home", "World", "Asia", "Politics"]  # more lines than a header above the story
    kinds = label([before, *menu, *story, "Sport", "Weather", after])
    assert kinds[0] == kinds[-1] == ("teaser", True)
    assert kinds[1 + len(menu) + story.index(item)] == ("article", False)


def test_title_before_the_story_is_kept_as_title() -> None:
    kinds = label(["Minister Visits Seoul For Security Talks", *ARTICLE])
    assert kinds[0] == ("title", False)


def test_headlines_ending_a_list_of_other_stories_above_the_story_are_teasers() -> None:
    """The header lines right above the story are its title only when they read like it:
    below a teaser, an off-topic headline is that list's last item."""
    others = [
        "Storm Hits Coastal Towns",
        "Local Team Wins Cup Final",
        "Gas Prices Fall a Few Cents",
        "Museum Reopens After Repairs",
        "Council Approves New Budget",
    ]
    story = set(range(len(others), len(others) + len(ARTICLE)))
    kinds = label([*others, *ARTICLE], similar=story)
    assert [kind for kind, _ in kinds[: len(others)]] == ["teaser"] * len(others)
    title = "Minister Visits Seoul For Security Talks"
    kinds = label([*others[:3], title, *ARTICLE], similar=set(range(3, 4 + len(ARTICLE))))
    assert [kind for kind, _ in kinds[:4]] == ["teaser", "teaser", "teaser", "title"]
    # with no teaser above it, the line heading the story stays its title whatever its topic
    assert label([title, *ARTICLE], similar=set(range(1, 6)))[0] == ("title", False)
    # a line under the kept title (a standfirst, a dateline) is no list's item, however far
    standfirst = "Bern, 17 August - Speech At The Summit"
    lines = [*others[:3], title, standfirst, *ARTICLE]
    kinds = label(lines, similar={3} | set(range(5, 5 + len(ARTICLE))))
    assert [kind for kind, _ in kinds[2:5]] == ["teaser", "title", "article"]


def test_headlines_between_two_teasers_are_items_of_their_list() -> None:
    """A run of unflagged headlines with a teaser right above and below it belongs to that
    list of other stories, however on-topic; not a line run on in lower case, nor one with
    the story's own line on either side, nor anything inside the core, nor a run between
    two lines dropped only for their topic (the story's own headings can read off-topic)."""
    lines = [
        (ARTICLE[0], "article"),
        ("Storm Hits Coastal Towns", "teaser"),
        ("Minister Backs New Missile Shield For Seoul", "article"),
        ("Allies Agree Joint Drills Near The Border", "article"),
        ("Local Team Wins Cup Final", "teaser"),
        ("but the talks went on", "article"),
        ("Museum Reopens After Repairs", "teaser"),
        ("Council Approves New Budget", "article"),
        *[(line, "article") for line in ARTICLE[1:]],
    ]
    blocks = [Block(i, text, kind) for i, (text, kind) in enumerate(lines)]
    assert among_teasers(blocks, 8, len(blocks) - 1, set()) == {2, 3}
    assert among_teasers(blocks, 2, len(blocks) - 1, set()) == set()
    assert among_teasers(blocks, 8, len(blocks) - 1, {1, 4}) == set()
    assert among_teasers(blocks, 8, len(blocks) - 1, {1}) == {2, 3}


RANKED = [
    "1. Drought forces farmers to sell cattle early",
    "2. Salmon run hits record low on the river",
    "3. Governor signs bill on groundwater pumping",
]


@pytest.mark.parametrize(
    "heading", ["Most read", "Top stories", "Top water stories of 2019:", "All the coverage..."]
)
def test_a_numbered_run_under_a_heading_of_stories_is_teasers_above_or_below(heading) -> None:
    """A site's "most read" ranking is numbered like a listicle and its items are headlines:
    its heading says what it is, wherever it sits."""
    story = [ARTICLE[0], ARTICLE[1], ARTICLE[4]]
    below = label([*story, heading, *RANKED])
    assert [noise for _, noise in below] == [False] * 3 + [True] * 4
    above = label([heading, *RANKED, *story])
    assert [noise for _, noise in above] == [True] * 4 + [False] * 3


def test_a_listicle_under_its_lead_in_stays_the_story() -> None:
    for heading in ("Cities that top the list:", "Here are the three changes:"):
        kinds = label([*ARTICLE, heading, *RANKED])
        assert all(not noise for _, noise in kinds[len(ARTICLE) + 1 :]), (heading, kinds)


@pytest.mark.parametrize(
    ("box", "question"),
    [
        ("606: DEBATE", "Who is to blame for the current situation on the tour?"),
        ("READER POLL", "Should the allies hold more joint exercises?"),
    ],
)
def test_a_question_under_a_label_in_capitals_inside_the_story_is_boilerplate(
    box: str, question: str
) -> None:
    """A poll or debate box set between the story's paragraphs is on-topic and sits inside
    its span; its shape (a label in capitals over one question) gives it away."""
    lines = [ARTICLE[0], ARTICLE[1], box, question, ARTICLE[4]]
    kinds = label(lines)
    assert [noise for _, noise in kinds] == [False, False, True, True, False]
    assert kinds[2:4] == [("boilerplate", True)] * 2
    outside = [None, None, None, False, None]  # the extractor left the question out
    assert label(lines, in_main=outside)[2] == ("boilerplate", True)


def test_a_kicker_in_capitals_over_the_story_asking_in_its_title_stays() -> None:
    """Above the story's prose a label in capitals is its kicker and a question its title:
    only pairs after kept prose are prompts, whatever the header rules made of the title."""
    title = "Can the allies agree on missile defence?"
    lines = ["POLITICS", title, ARTICLE[0], ARTICLE[1], "READER POLL", title, ARTICLE[4]]
    assert reader_prompts([Block(i, t) for i, t in enumerate(lines)]) == {4, 5}
    kinds = label([*lines[:4], ARTICLE[4]])
    assert [noise for _, noise in kinds[1:]] == [False] * 4


def test_a_story_subheading_in_capitals_over_its_paragraph_stays() -> None:
    """A subheading in capitals over a paragraph (not one question) is the story's."""
    lines = [ARTICLE[0], ARTICLE[1], "WHAT COMES NEXT", ARTICLE[4]]
    assert [noise for _, noise in label(lines)] == [False] * 4


def test_labeled_links_to_galleries_and_interactives_inside_the_story_are_teasers() -> None:
    """Links to the site's media on the story sit between its paragraphs and read as
    on-topic as they do; the label gives them away."""
    lines = [
        ARTICLE[0],
        "Gallery | Scenes from the talks",
        ARTICLE[1],
        "Interactive guide: How missile defence works",
        ARTICLE[4],
    ]
    kinds = label(lines)
    assert [noise for _, noise in kinds] == [False, True, False, True, False]
    assert kinds[1] == kinds[3] == ("teaser", True)


def test_a_media_label_opening_the_story_title_above_its_prose_stays() -> None:
    lines = ["Photo gallery: 2009 Hyundai Genesis", ARTICLE[0], "VIDEO: The talks", ARTICLE[1]]
    assert media_links([Block(i, t) for i, t in enumerate(lines)]) == {2}


def test_the_heading_and_link_of_a_flagged_pitch_go_with_it_but_a_title_stays() -> None:
    """A promo box is a heading, a pitch and a link: once the pitch reads as boilerplate
    prose, its short lines go too; a header line over a paragraph so flagged stays."""
    lines = [
        "Storm batters the coast",
        ARTICLE[0],
        "Saving Babies: A report",
        "pitch",
        "Enter it",
        "Home",
    ]
    blocks = [Block(i, t) for i, t in enumerate(lines)]
    for block in blocks[1:5]:
        block.rule = "core"
    blocks[0].rule = "header"
    blocks[3].kind, blocks[3].rule = "boilerplate", "boilerplate_example"
    blocks[5].kind = "boilerplate"
    assert pitch_lines(blocks, {3}) == {2, 4}
    blocks[1].kind, blocks[1].rule = "boilerplate", "boilerplate_example"
    assert 0 not in pitch_lines(blocks, {1, 3})  # the title over a flagged first paragraph
    blocks[5].kind = "article"
    assert 4 not in pitch_lines(blocks, {1, 3})  # the story goes on below the line


def test_a_thread_longer_than_the_story_does_not_become_the_story() -> None:
    """Below a comments heading prose weighs half, yet a long enough thread (numbered
    comments weigh as prose) outweighs a short story; the story is the run above when that
    holds enough prose to be one."""
    story = [  # 154 words: a story by `span._MIN_STORY_ABOVE_COMMENTS`
        f"{ARTICLE[0]} {ARTICLE[1]} {ARTICLE[4]}",
        "The talks follow a year of missile tests that unsettled the region and pushed the "
        "allies to share more of what their radars see, officials from both sides said.",
        "Both governments have promised to publish the framework once it is signed, though "
        "parts of it dealing with the stores of nuclear arms will stay secret for now.",
        "Opposition lawmakers in Seoul asked for a vote on any deal that commits troops, and "
        "the minister said he would brief the assembly before he returns to Washington.",
        "The ministers will meet again in the spring to review the new framework, and "
        "their deputies will meet every month until then to settle what is left open.",
    ]
    opinions = [
        "I think the talks will change nothing, as the last ones did not.",
        "Anyone who has followed the region for twenty years knows how this ends, and it "
        "is not with a framework signed in a hotel.",
        "Good. Sharing radar data is the least the allies can do.",
        "The minister should answer to the assembly first, then travel.",
        "Missile defence never worked in the tests I read about, and the money would do "
        "more good in schools and hospitals at home than in another exercise at sea.",
    ]
    # the first comment unnumbered: the numbered run is not the heading's own list
    thread = [opinions[0], *(f"{n}. {opinions[n % len(opinions)]}" for n in range(1, 41))]
    kinds = label([*story, "Comments", *thread], similar=set(range(len(story))))
    assert [noise for _, noise in kinds[: len(story)]] == [False] * len(story)
    assert all(noise for _, noise in kinds[len(story) :])


def test_list_items_of_equal_length_are_not_snippets() -> None:
    items = [f"- Best {name} award - went to the National Theatre company" for name in "ABCD"]
    kinds = label([ARTICLE[0], *items, ARTICLE[1]])
    assert all(kind == ("article", False) for kind in kinds)


def test_a_single_paragraph_cut_mid_sentence_is_still_the_article() -> None:
    text = "Reuters - Short sellers, Wall Street's dwindling band of ultra-cynics, are seeing green"
    assert label(["Posted by News Desk", text]) == [("byline", True), ("article", False)]


def test_page_with_no_prose_is_all_noise() -> None:
    kinds = label(["Home", "World", "Sport"])
    assert all(noise for _, noise in kinds)


def test_disabled_keeps_everything() -> None:
    segments = segment_text("Posted by X\nShort line")
    blocks = NoiseDetector(NoiseConfig(enabled=False))([segments], [np.ones((2, 2))])[0]
    assert [b.noise for b in blocks] == [False, False]


def test_html_main_content_decides_around_the_story() -> None:
    """Outside the extractor's main content is boilerplate even when on-topic prose; an ad
    inside the story does not split it; short list items the extractor kept after the
    story stay article; snippets cut mid-sentence are teasers even inside it (extractors
    keep related-story paragraphs)."""
    lines = [
        "Menu",
        "The defence minister arrived in Seoul on Monday for two days of security talks.",
        "Advert",
        "Officials said the meeting would cover missile defence and joint military exercises.",
        "1) Missile defence",
        "2) Joint exercises",
        *TEASERS,
        "Comment from a reader who thinks the talks are a waste of everybody's time here.",
    ]
    in_main: list[bool | None] = [False, True, False, True, True, True, True, True, True, True]
    in_main.append(False)
    kinds = label(lines, in_main=in_main)
    assert [kind for kind, _ in kinds] == [
        "boilerplate", "article", "boilerplate", "article", "article", "article",
        *["teaser"] * 4, "boilerplate",
    ]  # fmt: skip


def _label_linked(lines: list[str], links: list[float], outside: tuple[int, ...] = ()) -> list[str]:
    """Kinds on an HTML page the extractor kept whole but for the blocks at `outside`,
    `links` each block's link density."""
    segments = [
        Segment(t, in_main=i not in outside, link_density=d)
        for i, (t, d) in enumerate(zip(lines, links))
    ]
    on = np.array([1.0, 0.0])
    blocks = NoiseDetector(NoiseConfig())([segments], [np.stack([on] * len(lines))])[0]
    return [b.kind for b in blocks]


def test_links_after_the_story_in_main_content_are_teasers() -> None:
    """Extractors keep the "more on this" list under a story as part of it: two or more
    links after the core are other stories, however on-topic, while the story's own lines
    after it (not links) stay; a single link there stays too."""
    story = ARTICLE[:2] + [ARTICLE[4]]
    links = ["Allies plan joint drills near the border", "Seoul weighs a new missile shield"]
    lines = [*story, "Reporting by the Seoul bureau", *links]
    kinds = _label_linked(lines, [0.0] * 4 + [1.0, 0.9])
    assert kinds == ["article"] * 4 + ["teaser", "teaser"]
    assert _label_linked(lines[:5], [0.0] * 4 + [1.0]) == ["article"] * 5
    assert _label_linked(lines, [0.0] * 4 + [0.3, 0.2]) == ["article"] * 6


def test_a_related_heading_inside_main_content_ends_it() -> None:
    """The extractor kept a "related" box whose heading names the story's subject: its
    headlines are judged as any block outside the main content would be (on-topic
    headlines below such a heading are teasers), while the same heading outside the main
    content leaves the extractor's verdict on what follows it alone."""
    story = [ARTICLE[0], ARTICLE[1], ARTICLE[4]]
    related = ["Seoul Weighs A New Missile Shield", "Allies Plan Joint Drills Near The Border"]
    lines = [*story, "Related Korean Defence Stories", *related]
    assert label(lines, in_main=[True] * 6)[4:] == [("teaser", True)] * 2
    outside = [True] * 3 + [False] + [True] * 2
    assert label(lines, in_main=outside)[4:] == [("article", False)] * 2


def test_text_under_each_linked_headline_of_a_card_list_is_a_teaser() -> None:
    """A list of cards under the story: each a linked headline, then its first sentences as
    text. Extractors keep it whole and the snippets read like the story's prose; set
    between one card's link and the next teaser, they are that list's items. The story's
    own line after a single card, or a run of three paragraphs between links, stays."""
    story = [
        *ARTICLE[:2],
        ARTICLE[4],
        "It is the minister's first visit since the two governments signed the pact in May.",
    ]
    prose = [
        "Troops from both countries will take part in the exercises planned for next month.",
        "The government said the shield would be paid for out of next year's defence budget.",
        "Negotiators said they expected the talks to resume once the winter session had ended.",
    ]
    heads = [
        "Allies plan joint drills near the border",
        "Seoul weighs a new missile shield",
        "Talks to resume in the spring",
    ]
    apart = list(range(4, 4 + len(MENU)))  # the site's menu, outside the main content
    lines = [*story, *MENU, *[line for card in zip(heads, prose) for line in card]]
    links = [0.0] * 4 + [1.0] * len(MENU) + [1.0, 0.0] * 3
    kinds = _label_linked(lines, links, tuple(apart))
    assert kinds == ["article"] * 4 + ["boilerplate"] * len(MENU) + ["teaser"] * 6
    one_card = [*story, *MENU, heads[0], prose[0]]
    kinds = _label_linked(one_card, links[: 6 + len(MENU)], tuple(apart))
    assert kinds[-2:] == ["teaser", "article"]
    long_run = [*story, *MENU, heads[0], *prose, *heads[1:]]
    links = [0.0] * 4 + [1.0] * len(MENU) + [1.0] + [0.0] * 3 + [1.0, 1.0]
    kinds = _label_linked(long_run, links, tuple(apart))
    assert kinds[-6:] == ["teaser"] + ["article"] * 3 + ["teaser"] * 2


def test_japanese_paragraphs_count_as_prose() -> None:
    lines = [
        "ホーム",
        "先日、不正に改造したiPhoneを販売したとして、商標法違反の疑いで男性が逮捕されました。",
        "報道によると、今回販売されたのは、いわゆる「脱獄」したiPhoneだということです。",
        "もちろん、Apple社は「脱獄」を認めておらず、保証の対象外になると説明しています。",
    ]
    kinds = [kind for kind, _ in label(lines)]
    assert kinds[1:] == ["article"] * 3
    assert word_count(lines[1]) >= 8 and word_count("ホーム") < 8


def test_short_blocks_of_the_html_main_content_are_kept_when_nothing_reads_as_prose() -> None:
    lines = ["Menu", "Step one: open the box", "Step two: plug it in", "Footer links"]
    kinds = label(lines, in_main=[False, True, True, False])
    assert [kind for kind, _ in kinds] == ["boilerplate", "article", "article", "boilerplate"]


def test_short_open_lines_of_one_length_inside_html_main_content_stay_article() -> None:
    """Under subheadings, how-to steps that happen to share a length are not teasers when
    the extractor kept them; the same lines in plain text (no extractor) are."""
    steps = [
        "Before the workout",
        "Eat a small meal one to two hours before you train, for example",
        "After the workout",
        "Drink water and eat some protein within the hour after you train",
    ]
    assert abs(len(steps[1]) - len(steps[3])) <= 3 and len(steps[1]) < 80
    lines = [ARTICLE[0], ARTICLE[1], *steps, ARTICLE[4]]
    in_html = label(lines, in_main=[True] * len(lines))
    assert [kind for kind, _ in in_html] == ["article"] * len(lines)
    as_text = label(lines)
    assert [kind for kind, _ in as_text[2:6]] == ["teaser"] * 4


def test_labels_credits_and_comment_counts_are_boilerplate() -> None:
    lines = [
        "(Image: © TNG Collaboration)",
        "Related: The 15 Weirdest Galaxies in Our Universe",
        "Photograph: Tim Robberts/Getty Images",
        "Tags:",
        "167 comments",
        "FacebookTwitterPinterestEmail",
        "Tweet",
        "See All Newsletters",
        "Continue reading the main story",
        "Google+",
        "Like this:",
        "Sharing is caring!",
    ]
    kinds = label([ARTICLE[0], ARTICLE[1], *lines, ARTICLE[4]])
    assert [kind for kind, _ in kinds[2:14]] == ["boilerplate"] * 12
    story = "The photograph shows the minister with Getty Images staff at the related event."
    assert label([ARTICLE[0], story, ARTICLE[1]])[1] == ("article", False)


def test_long_photo_captions_ending_in_a_credit_are_boilerplate() -> None:
    captions = [
        "Protesters do not want Hong Kong to lose its autonomy, and thousands marched on the "
        "government offices again on Sunday afternoon (Image: GETTY )",
        "Vicente Aguiar loads garage door trims into his pickup truck outside a store in "
        "Hialeah, Florida, on a busy Saturday morning. (AP Photo/Alan Diaz)",
        "More than 4,000 people are expected to receive notice in coming weeks and months "
        "as the agency reviews the claims (Photo Credit: PTI File Photo)",
    ]
    assert all(word_count(c) > 15 for c in captions)
    kinds = label([ARTICLE[0], captions[0], ARTICLE[1], captions[1], ARTICLE[4], captions[2]])
    assert [flag for _, flag in kinds] == [False, True, False, True, False, True]
    story = "Officials said photos by local residents showed the damage was worse than reported."
    assert label([ARTICLE[0], story, ARTICLE[1]])[1] == ("article", False)


def test_below_a_related_or_comments_heading_only_on_topic_sentences_stay() -> None:
    """The story may resume after a "Most read" box; headlines, names and dates under such
    a heading go, as do off-topic comments, and the story's tail does not run past it."""
    resumed = "The talks are expected to end on Tuesday with a joint statement on defence."
    off_topic = "First! Anyone else watching the match tonight instead of reading this piece?"
    lines = [
        *ARTICLE[:2], ARTICLE[4],
        "Most read", "Storm hits coastal towns", "Local team wins cup final",
        resumed,
        "34 Comments", "joetoronto says:", "November 19, 2019 at 6:44 am", off_topic,
        *TEASERS,
    ]  # fmt: skip
    noise = [flag for _, flag in label(lines, similar=set(range(len(lines))) - {10})]
    assert noise == [False] * 3 + [True] * 3 + [False] + [True] * 8


def test_date_stamps_end_the_story_before_a_list_of_other_stories() -> None:
    """A list of other stories (headline, author, date, a whole-sentence snippet) reads
    like more story to the prose run; the date stamped on every item shows it is a list.
    Date lines themselves are bylines, like the story's own dateline."""
    items = [
        ("Carlos Ghosn and the dark side of Japanese justice", "Maya Ghosn",
         "Wednesday November 20, 2019",
         "Our family always celebrates anniversaries, but not this week, a year after our "
         "father was arrested at the airport."),
        ("What made Joker so popular?", "Madeline Fry", "2 days ago at 07:52 am",
         "Joker killed at the box office this autumn, and the studio is already talking "
         "about a sequel for the year after next."),
    ]  # fmt: skip
    lines = ["Defence talks open in Seoul", "| November 18, 2019 12:26 PM", *ARTICLE]
    for item in items:
        lines.extend(item)
    kinds = label(lines, similar=set(range(len(ARTICLE) + 2)))
    assert kinds[1] == ("byline", True)
    assert [flag for _, flag in kinds[2:7]] == [False] * 5
    assert all(flag for _, flag in kinds[7:]), kinds[7:]
    assert kinds[9] == kinds[13] == ("byline", True)


def test_snippets_cut_after_one_word_count_with_an_ellipsis_are_teasers() -> None:
    """Some sites cut teasers after N words, ending on a full word and an ellipsis: the
    snippets read as finished prose, but two of one word count are no coincidence."""
    snippets = [
        "About three years ago, a 17-year-old prospect started working out with some "
        "veterans at a local rink, and they could not believe what they saw. The coach said "
        "that he was going to be in the league...",
        "The team may have found its own repair crew to fix their problems. Not to be "
        "confused with the techies at the electronics store, the trio of young forwards has "
        "made the power play a lot better...",
    ]
    assert word_count(snippets[0]) == word_count(snippets[1]) >= 20
    lines = [*ARTICLE, "More in Sport", "Prospect finds his legs", snippets[0], "Read More"]
    lines += ["Repair crew fixes the power play", snippets[1], "Read More"]
    kinds = label(lines)
    assert [flag for _, flag in kinds[:5]] == [False] * 5
    assert kinds[7] == kinds[10] == ("teaser", True)
    one_story = [*ARTICLE[:2], snippets[0], ARTICLE[4]]  # one ellipsis is no pattern
    assert label(one_story)[2] == ("article", False)


def test_long_calls_to_action_are_boilerplate() -> None:
    pitch = (
        "Get the day's biggest stories and our best analysis delivered to your inbox every "
        "morning: sign up for the free daily newsletter today."
    )
    assert word_count(pitch) > 15  # longer than the short share/subscribe lines
    kinds = label([ARTICLE[0], ARTICLE[1], pitch, ARTICLE[4]])
    assert kinds[2] == ("boilerplate", True)


def test_affiliate_disclosures_are_boilerplate() -> None:
    disclosure = (
        "This post contains references to products from our advertisers. We may receive "
        "compensation when you click on links to those products. Terms apply to the offers "
        "listed on this page."
    )
    assert word_count(disclosure) > 15
    associates = (
        "We are a participant in the Amazon Services LLC Associates Program, an affiliate "
        "advertising program designed to provide a means for us to earn fees by linking to "
        "Amazon.com and affiliated sites."
    )
    kinds = label([ARTICLE[0], disclosure, ARTICLE[1], ARTICLE[4], associates])
    assert kinds[1] == kinds[4] == ("boilerplate", True)
    assert [flag for _, flag in kinds] == [False, True, False, False, True]


def test_an_about_the_author_heading_ends_the_story() -> None:
    """The bio under it is prose right after the story; only on-topic sentences stay."""
    bio = "Jake is the co-founder of a consultancy and organises a conference every autumn."
    lines = [*ARTICLE[:2], ARTICLE[4], "About the author", bio]
    kinds = label(lines, similar={0, 1, 2})
    assert [flag for _, flag in kinds] == [False, False, False, True, True]


def test_bracketed_list_items_of_one_length_are_not_snippets() -> None:
    """Menu or recipe lines ending in a closing bracket are complete, not cut at a length."""
    items = [
        "For breakfast",
        "Asparagus and eggs [1 cup asparagus, 2 poached eggs, half a cup of sweet potato]",
        "For lunch",
        "Tomato and cucumber salad (cherry tomatoes, cucumber slices, feta and some basil)",
    ]
    kinds = [kind for kind, _ in _label_pairs_in_story(items)]
    assert kinds[3] == kinds[5] == "article"
    cut = [items[0], items[1][:-1], items[2], items[3][:-1]]  # the same lines cut open
    kinds = [kind for kind, _ in _label_pairs_in_story(cut)]
    assert kinds[2:6] == ["teaser"] * 4


def _label_pairs_in_story(pairs: list[str]) -> list[tuple[str, bool]]:
    """Label two "heading, line" pairs set between the story's paragraphs; the two lines
    must have one length (within the cut tolerance) for the snippet rule to look at them."""
    assert abs(len(pairs[1]) - len(pairs[3])) <= 3
    return label([ARTICLE[0], ARTICLE[1], *pairs, ARTICLE[4]])


def test_the_first_kept_h1_is_the_title_and_captions_are_boilerplate() -> None:
    lines = ["World news", "Minister flies to Seoul for talks", *ARTICLE[:2], "The minister."]
    tags = ["p", "h1", "p", "p", "figcaption"]
    on = np.array([1.0, 0.0])
    segments = [Segment(t, tag=tag, in_main=True) for t, tag in zip(lines, tags)]
    blocks = NoiseDetector(NoiseConfig())([segments], [np.stack([on] * len(lines))])[0]
    assert [b.kind for b in blocks] == ["article", "title", "article", "article", "boilerplate"]


def test_a_header_line_inside_html_main_content_is_article_not_a_guessed_title() -> None:
    """In plain text the headline-like line above the story is taken for the title; on HTML
    the extractor kept it as text (the title there is the `<h1>`)."""
    lines = ["Minister flies to Seoul for talks", *ARTICLE[:2]]
    assert label(lines)[0] == ("title", False)
    assert label(lines, in_main=[True] * 3)[0] == ("article", False)


def test_prose_nearer_to_a_boilerplate_example_than_to_the_story_is_boilerplate() -> None:
    """An author bio is prose, so no pattern or span rule catches it; its meaning does. The
    HTML extractor's verdict still wins, and without examples the block is kept."""
    bio = "Jane Doe covers Asian security for the paper and is the author of two books."
    lines = [*ARTICLE[:2], ARTICLE[4], bio]
    story, furniture = np.array([1.0, 0.0]), np.array([0.2, 1.0]) / np.hypot(0.2, 1.0)
    vectors = np.stack([story, story, story, furniture])
    examples = np.stack([np.array([0.0, 1.0])])  # one example: the bio's direction

    def kinds(in_main: bool | None, boilerplate: np.ndarray | None) -> list[str]:
        segments = [Segment(t, in_main=in_main) for t in lines]
        config = NoiseConfig(min_similarity=0.1)  # the bio is close enough to be kept...
        blocks = NoiseDetector(config, boilerplate)([segments], [vectors])[0]
        return [b.kind for b in blocks]

    assert kinds(None, None) == ["article"] * 4  # ...when nothing says otherwise
    assert kinds(None, examples) == ["article"] * 3 + ["boilerplate"]
    assert kinds(True, examples) == ["article"] * 4


def test_a_long_kept_list_does_not_turn_the_story_into_boilerplate() -> None:
    """An open letter and its signatories: the kept names outnumber the story's paragraphs,
    so the mean of the kept blocks leans to the names; the story's own core still holds."""
    names = [f"Signatory Number{i}, University of Somewhere" for i in range(12)]
    lines = [*ARTICLE[:2], ARTICLE[4], *names, *TEASERS]
    story, name, teaser = np.eye(3)
    vectors = np.stack([story] * 3 + [name] * len(names) + [teaser] * len(TEASERS))
    examples = np.array([[0.6, 0.0, 0.8]])  # nearer the story than the kept blocks' mean is
    segments = [Segment(t) for t in lines]
    blocks = NoiseDetector(NoiseConfig(), examples)([segments], [vectors])[0]
    assert [b.kind for b in blocks[:3]] == ["article"] * 3
    assert all(b.kind == "article" for b in blocks[3 : 3 + len(names)])
    assert all(b.noise for b in blocks[3 + len(names) :])


def test_the_story_tail_runs_to_the_first_furniture_line() -> None:
    """On a page that lists other stories, short lines right after the story (a result
    list) are its tail; the first flagged line (a share row) ends the tail, so the site's
    links after it go, however close in meaning."""
    results = ["Seoul 2 Tokyo 1", "Busan 0 Osaka 0"]
    links = ["Defence news", "Security news"]
    lines = [*ARTICLE, *results, "Share on Facebook", *links, *TEASERS]
    kinds = label(lines)
    assert kinds[5:7] == [("article", False)] * 2
    assert kinds[7] == ("boilerplate", True)
    assert all(flag for _, flag in kinds[8:]), kinds[8:]


def test_a_line_repeated_on_the_page_is_not_kept_for_its_meaning() -> None:
    """Menus shown twice and teasers listed in two boxes repeat on a page; a story's
    sentence outside its core does not, so a repeated one is not kept by similarity."""
    teaser = "Defence chiefs say the alliance will hold more joint drills next year."
    once = "The talks continue tomorrow with a visit to the border and the troops."
    lines = [teaser, "Home", "World", "Asia", "Politics", *ARTICLE, "Sport", "Weather",
             "Video", "Travel", once, "Sport", "Video", teaser]  # fmt: skip
    kinds = label(lines)
    assert kinds[0] == kinds[-1] == ("boilerplate", True)
    assert kinds[-4] == ("article", False)


def test_a_numbered_list_is_the_story_even_in_short_lines() -> None:
    """A ranking or a listicle is the story in short numbered lines; the run of them
    weighs like prose, while a menu of the same length and shape is not numbered."""
    intro = "Readers voted for the singers who defined the genre over the last four decades."
    menu = ["Home", "Music", "Video", "Tours", "Shop", "About"]
    for numbered in (True, False):
        ranking = [f"{n}. Singer {n}" if numbered else f"Singer {n}" for n in range(1, 7)]
        kinds = label([intro, *ranking, "Share on Facebook", *menu], similar={0})
        assert [flag for _, flag in kinds[1:7]] == [not numbered] * 6
        assert all(flag for _, flag in kinds[7:])


def test_after_the_story_a_sentence_under_a_headline_is_a_teaser_snippet() -> None:
    """Teaser cards below a story (headline, one on-topic sentence, the next headline) read
    like more story to the similarity test; the card's shape gives them away, while the
    story's own paragraph after a subheading runs on into more prose."""
    cards = [
        "Allies Plan New Naval Drills",
        "The allies will hold joint naval drills in the Yellow Sea next spring, officials said.",
        "Seoul Hosts Defence Expo",
        "Arms makers from forty countries gathered in Seoul for the region's largest expo.",
        "Sport",
    ]
    kinds = label([*ARTICLE, *MENU, *cards])
    assert all(flag for _, flag in kinds[-len(cards) :]), kinds[-len(cards) :]
    resumed = [
        "What comes next",
        "The ministers will meet again in Tokyo in the spring to sign the framework.",
        "Both sides said the exercises would continue in the meantime as planned.",
    ]
    kinds = label([*ARTICLE, "Most read", *resumed])
    assert [flag for _, flag in kinds[-2:]] == [False, False]


def test_after_the_story_comments_under_their_stamps_go() -> None:
    """A comment thread below the story: each on-topic comment sits under its date stamp
    and ends before the next stamp; two or more of them are a thread, not more story."""
    thread = [
        "November 19, 2019 at 6:44 am",
        "The ministers should have agreed on the missile framework years ago, in my view.",
        "November 19, 2019 at 7:02 am",
        "Joint exercises will only raise tensions with the North again, as they always do.",
        "November 19, 2019 at 7:30 am",
    ]
    kinds = label([*ARTICLE, *MENU, *thread])
    assert kinds[-4] == kinds[-2] == ("boilerplate", True)


def test_cards_with_the_title_run_into_the_snippet_are_teasers() -> None:
    """A menu of such cards reads as a run of prose; the run-on title gives each away, so
    they cannot outweigh the story."""
    cards = [
        f"Allies Plan New Naval Drills For {season}The allies will hold joint naval drills "
        f"in the Yellow Sea next {season.lower()}, officials said on Monday in Seoul."
        for season in ("Spring", "Summer", "Autumn", "Winter")
    ]
    kinds = label([*cards, "Weather", *ARTICLE])
    assert all(kind == ("teaser", True) for kind in kinds[: len(cards)])
    assert all(not flag for _, flag in kinds[-len(ARTICLE) :])


def test_cards_ending_in_a_read_more_link_are_teasers_wherever_they_sit() -> None:
    """Above the story, cards of other stories ("headline / snippet / READ THE REST") can
    outweigh a short story as prose; two or more such cards are a list. One alone is the
    story's last paragraph above a "Read more" list."""
    cards = [
        "Allies Plan New Naval Drills",
        "The allies will hold joint naval drills in the Yellow Sea next spring, officials "
        "said on Monday, adding that ships from four navies would take part in them.",
        "READ THE REST",
        "Seoul Hosts Defence Expo",
        "Arms makers from forty countries gathered in Seoul this week for the region's "
        "largest expo, where drones and missile shields drew the biggest crowds of all.",
        "READ THE REST",
    ]
    kinds = label([*cards, *ARTICLE])
    assert kinds[: len(cards)] == [("teaser", True), ("teaser", True), ("boilerplate", True)] * 2
    assert all(not flag for _, flag in kinds[-len(ARTICLE) :])
    ending = ["What comes next", "The ministers will meet again in Tokyo next spring.", "Read more"]
    kinds = label([*ARTICLE, *ending])
    assert kinds[-2] == ("article", False)


def test_a_lead_in_repeated_before_single_links_does_not_end_the_story() -> None:
    """ "Leggi anche:" over a list ends the story; the same lead-in before each of several
    links between the story's paragraphs is part of the story's layout, so the story's
    next part (less like its first in meaning) is not cut off behind it."""
    link = "Allies Plan New Naval Drills"
    second_part = [
        "The ministers will meet again in Tokyo in the spring to sign the framework.",
        "Both sides said the joint exercises would continue in the meantime as planned.",
    ]
    first_part = set(range(len(ARTICLE)))
    lines = [*ARTICLE, "Leggi anche:", link, *second_part, "Leggi anche:", link]
    kinds = label(lines, similar=first_part)
    assert [kinds[lines.index(text)] for text in second_part] == [("article", False)] * 2
    assert kinds[len(ARTICLE)] == ("boilerplate", True)
    assert kinds[len(ARTICLE) + 1] == ("teaser", True), "the link itself is another story's"
    once = label([*ARTICLE, "Leggi anche:", link, *second_part], similar=first_part)
    assert all(flag for _, flag in once[-2:])


@pytest.mark.parametrize("links", [1, 2])
def test_a_bare_related_label_sets_links_into_the_story(links: int) -> None:
    """ "Related" on its own line labels the links below it (one or a few headlines),
    inside the story: they are other stories' teasers, however on-topic, and the story's
    next part is not cut off behind them."""
    headlines = ["Allies Plan New Naval Drills", "Minister warns of missile threat"][:links]
    second_part = [
        "The ministers will meet again in Tokyo in the spring to sign the framework.",
        "Both sides said the joint exercises would continue in the meantime as planned.",
    ]
    lines = [*ARTICLE, "Related", *headlines, *second_part]
    kinds = label(lines)
    assert kinds[len(ARTICLE) + 1 : -2] == [("teaser", True)] * links
    assert kinds[-2:] == [("article", False)] * 2


def test_a_sentence_between_two_kept_paragraphs_is_kept_whatever_its_wording() -> None:
    """Where the story resumes after a widget, each paragraph must be close to the story
    in meaning; one that is not (a club statement, a short quote) but sits between two
    that are is still the story's."""
    resumed = [
        "The ministers will meet again in Tokyo in the spring to sign the framework.",
        '"We are proud of what our people achieved this year," the club said in a statement.',
        "Both sides said the joint exercises would continue in the meantime as planned.",
    ]
    lines = [*ARTICLE, "Most read", *resumed]
    quote = len(ARTICLE) + 2
    kinds = label(lines, similar=set(range(len(lines))) - {quote})
    assert kinds[-3:] == [("article", False)] * 3
    alone = label(lines[:-1], similar=set(range(len(lines))) - {quote})
    assert alone[-1][1], "with nothing kept below it, the dissimilar sentence goes"


def test_a_tag_cloud_below_the_story_goes_however_close_its_words() -> None:
    """Longer than a headline, its words the site's topics: close to the story in meaning,
    but without a stop it is no paragraph."""
    tags = (
        "defence ministry missile talks Seoul Tokyo allies drills navy army budget exercises "
        "Korea Japan China security summit diplomacy elections trade tariffs sanctions"
    )
    kinds = label([*ARTICLE, *MENU, tags])
    assert kinds[-1][1]


def test_a_comments_heading_that_reads_as_a_sentence_is_not_kept() -> None:
    """ "11 responses to “<the story's title>”" ends like a sentence and echoes the story,
    but it is the heading that walls off the comments."""
    heading = "11 responses to “Defence ministers meet in Seoul for two days of talks”"
    kinds = label([*ARTICLE, heading, "Jane says:", "Great piece on the talks, thank you."])
    assert kinds[len(ARTICLE)][1]


def test_a_list_led_by_dates_is_the_story_even_in_short_lines() -> None:
    """Tour dates or a police log under the story: short lines, each led by a date, that
    belong to it like the items of a numbered list."""
    dates = [
        "June 9 – West Palm Beach, FL @ Coral Sky Amphitheatre",
        "June 10 – Tampa, FL @ MidFlorida Credit Union Amphitheatre",
        "June 14 – Alpharetta, GA @ Ameris Bank Amphitheatre",
        "June 17 – Nashville, TN @ Bridgestone Arena",
    ]
    kinds = label([*ARTICLE, *dates, *MENU])
    assert all(not flag for _, flag in kinds[len(ARTICLE) : len(ARTICLE) + len(dates)])


def test_a_comment_stamp_with_its_author_is_a_byline() -> None:
    """WordPress-style stamps ("Jane on May 2, 2019 at 5:23 pm said:") date each comment,
    so they end the story's span like a bare date stamp does."""
    stamps = [
        "Catherine (GiveWell) on September 13, 2018 at 5:23 pm said:",
        "Jane Doe says: 3 days ago",
    ]
    kinds = label([*ARTICLE, *stamps])
    assert kinds[-2:] == [("byline", True)] * 2
    quote = "The minister said on May 3, 2019 that the talks had gone well."
    assert label([*ARTICLE, quote])[-1] == ("article", False)


def test_the_story_resuming_below_a_widget_is_judged_as_a_run() -> None:
    """Each paragraph of the story's later part may read off-topic alone (a quote, an
    aside), but three or more in a row are judged by their mean meaning: on-topic as a
    run they are the story, resuming below a "related" list or begun above a widget."""
    resumed = [
        "The talks are expected to end on Tuesday with a joint statement on defence.",
        '"We are proud of what our people achieved this year," the minister told reporters.',
        "Both sides said the joint exercises would continue in the meantime as planned.",
    ]
    angle = np.deg2rad(65)  # cosine 0.42 to the story each: under `min_similarity` alone
    spread = [
        np.array([np.cos(angle), np.sin(angle), 0.0]),
        np.array([np.cos(angle), -np.sin(angle), 0.0]),
        np.array([np.cos(angle), 0.0, np.sin(angle)]),
    ]
    story = [
        *ARTICLE,
        "The minister is also due to visit the demilitarised zone before flying on to Tokyo.",
        "Seoul and Washington have held joint drills every spring and summer for decades.",
    ]
    on = np.array([1.0, 0.0, 0.0])
    for above in (False, True):
        widget = ["Storm hits coastal towns", "Local team wins cup final", "Weather"]
        # above, a site menu keeps the run out of the story's densest run of prose
        widget = [*MENU, *widget] if above else ["Most read", *widget]
        lines = [*resumed, *widget, *story] if above else [*story, *widget, *resumed]
        rows = [on] * (len(story) + len(widget))
        vectors = np.stack([*spread, *rows] if above else [*rows, *spread])
        segments = [Segment(t) for t in lines]
        blocks = NoiseDetector(NoiseConfig())([segments], [vectors])[0]
        run = blocks[:3] if above else blocks[-3:]
        assert [b.kind for b in run] == ["article"] * 3
        # off-topic as a run too (the mean's cosine 0.42): other prose, dropped
        off = [np.array([0.42, 0.0, np.sqrt(1 - 0.42**2)])] * 3
        vectors = np.stack([*off, *rows] if above else [*rows, *off])
        blocks = NoiseDetector(NoiseConfig())([segments], [vectors])[0]
        run = blocks[:3] if above else blocks[-3:]
        assert all(b.noise for b in run)


def test_a_sentence_shown_twice_in_a_row_is_a_caption() -> None:
    """A photo's caption under its alt text reads like the story's prose and sits inside it;
    only the doubling gives it away, and both copies go. The same sentence apart (a pull
    quote) stays."""
    caption = "The defence minister speaks with officers during a visit to a base near Seoul."
    kinds = label([ARTICLE[0], caption, caption, *ARTICLE[1:]])
    assert kinds[1:3] == [("boilerplate", True)] * 2
    assert all(not flag for _, flag in kinds[:1] + kinds[3:])
    apart = label([ARTICLE[0], caption, *ARTICLE[1:], caption])
    assert apart[1] == ("article", False)


def test_a_recipes_ingredients_are_kept_wherever_they_sit() -> None:
    """Short lines led by a quantity and its unit, three or more together, are a recipe's
    ingredients: above the steps, away from the prose and unlike them in meaning, they are
    still the story, where a menu of short lines there goes."""
    ingredients = [
        "1 large chicken",
        "2 tablespoons vegetable oil",
        "250 g minced lamb",
        "1 tablespoon ground cinnamon",
    ]
    steps = [
        "Roast the chicken in a preheated oven for 45 minutes until it is golden brown.",
        "Meanwhile, heat the oil in a large pan and cook the lamb with the cinnamon.",
        "Spoon the rice onto a platter and arrange the chicken pieces over the rice.",
    ]
    lines = [*ingredients, *MENU, *steps]
    kinds = label(lines, similar=set(range(len(ingredients), len(lines))))
    assert kinds[: len(ingredients)] == [("article", False)] * len(ingredients)
    menu = kinds[len(ingredients) : len(ingredients) + len(MENU)]
    assert all(flag for _, flag in menu[:-3])  # its last three are header lines over the steps
    assert all(not flag for _, flag in kinds[-len(steps) :])


@pytest.mark.parametrize(
    "pairs",
    [
        # a line ending in a colon introduces what follows (a list, a quote, code)
        [
            "Fast builds",
            "To get fast, reproducible builds for your application, do this:",
            "Running tests",
            "To run the integration tests for your application, do this now:",
        ],
        # a line led by a quantity and its unit is an ingredient
        [
            "For the rice",
            "2½ cups or 500 g American rice, soaked in water for an hour",
            "For the stock",
            "4½ cups or 1125 ml of water with three cubes of chicken stock",
        ],
    ],
    ids=["lead-ins", "ingredients"],
)
def test_open_lines_of_one_length_that_are_no_snippets(pairs: list[str]) -> None:
    """Two open lines of one length under short headings look like snippets cut at a
    length, but a cut lands mid-word: these lines end or begin as no snippet does."""
    kinds = _label_pairs_in_story(pairs)
    assert kinds[3] == kinds[5] == ("article", False)


def test_a_lead_in_of_the_snippets_length_is_not_cut_with_them() -> None:
    """Once the teasers below the story show the length their snippets were cut at, a
    line of the story that happens to have that length is still no snippet when it ends
    in a colon: it introduces the list or the code sample below it."""
    lead_in = (
        "The ministers set out the three main steps of the new defence framework, in this order:"
    )
    assert len(TEASERS[1]) - 3 <= len(lead_in) <= len(TEASERS[1])
    lines = [*ARTICLE[:2], lead_in, ARTICLE[4], *TEASERS]
    kinds = label(lines, similar=set(range(4)))
    assert kinds[2] == ("article", False)
    assert kinds[-4:] == [("teaser", True)] * 4


def test_a_snippet_cut_just_after_a_bracket_is_still_a_snippet() -> None:
    """A line ending in a bracket sets no cut length, but once the page's snippets show
    one, a snippet whose cut lands just after "(£1.8bn)" is one of them, even as the
    first teaser under the story, where an unflagged line would be the story's tail."""
    bracketed = (
        "The president has launched a reconstruction drive for the coast, worth $3.5bn (£1.8bn)"
    )
    assert len(TEASERS[1]) - 3 <= len(bracketed) <= len(TEASERS[1])
    lines = [*ARTICLE, "Tsunami slows the island's growth", bracketed, *TEASERS]
    assert label(lines)[len(ARTICLE) :] == [("teaser", True)] * 6


def test_an_interviews_turns_are_the_story_not_snippets() -> None:
    """Questions and answers set as "Q:" / "A:" lines read like headlines and snippets of
    one length; they are the story's own list, kept wherever they sit."""
    turns = [
        "Q: Favourite live event you have ever attended?",
        "A: The cup final in Seoul, with the whole crowd on its feet",
        "Q: Favourite place you have visited in all your trips?",
        "A: The demilitarised zone, quiet and strange, on a clear day",
    ]
    assert abs(len(turns[1]) - len(turns[3])) <= 3
    lines = [*ARTICLE, *MENU, *turns]
    kinds = label(lines, similar=set(range(len(ARTICLE))))
    assert kinds[-len(turns) :] == [("article", False)] * len(turns)


def test_below_a_comments_heading_nothing_stays_however_on_topic() -> None:
    """A story resumes after a "Most read" box, never after its comments: on-topic
    comments read like the story, so below a comments heading none is kept."""
    comment = "The ministers should have agreed on the missile framework years ago, in my view."
    lines = [*ARTICLE, "34 Comments", "Jane Doe says:", comment]
    assert label(lines)[-1] == ("boilerplate", True)
    lines = [*ARTICLE, "Most read", "Storm hits coastal towns", comment]
    assert label(lines)[-1] == ("article", False)
    notice = "Comments are moderated and will appear once approved by our editors."
    lines = [*ARTICLE, notice, comment]
    assert label(lines)[-2:] == [("boilerplate", True)] * 2


def test_headlines_under_a_related_heading_above_the_core_are_its_links() -> None:
    """The lines right above the story's core are its title and dateline, unless a
    "Related articles" heading heads them: then the core is the story resuming below the
    box, and those on-topic headlines are the box's links."""
    lead = "Troops were sent to the border after the talks failed, officials said on Monday."
    links = ["Allies plan new naval drills", "Minister warns of missile threat"]
    story = [ARTICLE[0], ARTICLE[1], ARTICLE[4], lead.replace("Monday", "Tuesday")]
    kinds = label([lead, "Related articles", *links, *story])
    assert kinds[1:4] == [("boilerplate", True), ("teaser", True), ("teaser", True)]
    assert kinds[4:] == [("article", False)] * len(story)
    assert label([*links, *story])[:2] == [("title", False), ("article", False)]


def test_a_short_post_is_the_story_however_long_the_comments_below_it() -> None:
    """A one-paragraph post under a long comment thread: a comment between two stamps below
    the comments heading outweighs the post, but a story never begins in its comments."""
    post = (
        "Our goal with these open threads is to give readers a chance to raise questions "
        "about the ministers' talks in Seoul and the new missile defence framework."
    )
    reply = [
        "Thanks for the question about the framework and the joint military exercises.",
        "Our best guess is that the talks will cover missile defence and the navy drills.",
        "Officials said the allies would announce the new framework before the year ends.",
        "The ministers are expected to meet again in Tokyo in the spring to sign it all.",
    ]
    lines = [
        post,
        "10 Comments",
        "Jane on May 2, 2019 at 5:23 pm said:",
        "What will the talks cover?",
        "Lee on May 3, 2019 at 9:10 am said:",
        *reply,
        "Sam on May 4, 2019 at 1:02 pm said:",
        "Thanks!",
    ]
    kinds = label(lines)
    assert kinds[0] == ("article", False)
    assert all(flag for _, flag in kinds[1:])


def test_comments_under_repeated_bylines_do_not_outweigh_the_story() -> None:
    """A thread whose posts each sit under a "Posted By: name | date" line, with no comments
    heading: three or more bylines on a page stamp items, so each post is a run of its own
    and the story, shorter than the thread but longer than any post, stays the core."""
    posts = [
        "I think the ministers will sign the framework in Tokyo and the drills will go ahead "
        "whatever the North says about the missile defence plans and the navy exercises.",
        "Nobody expected the talks to cover so much ground in two days in Seoul, to be fair, "
        "and the allies still have to agree who pays for the new missile stores this year.",
        "Joint exercises will only raise tensions with the North again as they always do "
        "and the framework will not change that, whatever the officials say on Monday.",
    ]
    thread = [
        line
        for k, post in enumerate(posts)
        for line in (f"Posted By: reader{k} | January 0{k + 1} 2008 at 03:0{k} PM", post)
    ]
    story = [ARTICLE[0], ARTICLE[1], ARTICLE[4]]  # 41 words; the posts run to 79 together
    kinds = label([*story, *MENU, *thread], similar={0, 1, 2})
    assert kinds[:3] == [("article", False)] * 3
    assert all(flag for _, flag in kinds[3:])


LONG_STORY = [
    "The defence ministers of South Korea and the United States met in Seoul on Monday for "
    "two days of talks on the alliance, its costs and the threat from the North.",
    "Officials said the meeting would cover missile defence, the cost of the American troops "
    "based in the country and the joint military exercises planned for the spring.",
    "The North has warned that the joint exercises planned for the spring would be answered, "
    "and its state media called the talks in Seoul a rehearsal for an invasion.",
    "South Korea's president said on Monday that the alliance had never been stronger and "
    "that the two governments would keep talking to the North whatever it says.",
    "Analysts expect the allies to announce a new framework before the end of the year, "
    "though they said it would change little in how the two armies train together.",
]
OTHER_LEADS = [
    "Storm Floods Coastal Towns",
    "Heavy rain and strong winds battered the coast overnight and left thousands of homes "
    "without power, officials said on Tuesday.",
    "Local Team Wins Cup Final",
    "The home side lifted the trophy after a dramatic penalty shoot-out in front of a crowd "
    "of forty thousand at the national stadium.",
    "Bakery Chain Plans New Shops",
    "The family-run bakery chain said it would open twelve new shops across the region next "
    "year and hire two hundred more staff.",
    "City Council Approves Budget",
    "The council voted by a narrow margin to approve next year's budget, which raises "
    "spending on roads and schools by a tenth.",
]


def test_headlines_over_leads_after_a_box_of_links_are_another_story_list() -> None:
    """The densest run of prose bridges a short box of links and goes on through a list of
    other stories, each a headline over its first paragraph: off the story's topic, the
    list is cut from the core and its items are flagged. On the story's topic (its own
    sections under subheadings) they stay."""
    links = ["Related", "Allies Plan New Naval Drills", "Seoul Weighs A New Missile Shield"]
    lines = [*LONG_STORY, *links, *OTHER_LEADS]
    story = set(range(len(LONG_STORY)))
    kinds = label(lines, similar=story)
    assert kinds[: len(LONG_STORY)] == [("article", False)] * len(LONG_STORY)
    assert all(flag for _, flag in kinds[len(LONG_STORY) :])
    on_topic = label(lines, similar=story | set(range(len(lines) - len(OTHER_LEADS), len(lines))))
    # the first headline reads as one more link of the box; every lead stays
    assert on_topic[1 - len(OTHER_LEADS) :] == [("article", False)] * (len(OTHER_LEADS) - 1)


def test_headlines_over_leads_with_no_teaser_above_them_stay_with_the_story() -> None:
    """A deals post or a listicle: items under subheadings right after the intro, with no
    box of links between, are the story's however far apart their topics."""
    lines = [*LONG_STORY, *OTHER_LEADS]
    kinds = label(lines, similar=set(range(len(LONG_STORY))))
    assert all(kind == ("article", False) for kind in kinds)


def test_lead_pairs_are_a_run_of_three_headlines_each_over_one_paragraph() -> None:
    blocks = [Block(i, t) for i, t in enumerate(["Intro line", *OTHER_LEADS])]
    assert lead_pairs(blocks, 0, len(blocks) - 1) == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert lead_pairs(blocks, 0, 6) == [(1, 2), (3, 4), (5, 6)]
    assert lead_pairs(blocks, 0, 4) == []  # two pairs are no run
    blocks[4] = Block(4, blocks[4].text, kind="teaser", noise=True)  # skipped, not a lead
    assert lead_pairs(blocks, 0, len(blocks) - 1) == []


def test_long_numbered_and_quantity_lists_are_found_in_linear_time() -> None:
    # "1. ... 2. ... 1. ..." counts up and down: one run, like 60,000 ingredients in a row
    numbered = [Block(i, f"{i % 2 + 1}. Item {i} of the rankings") for i in range(60_000)]
    ingredients = [Block(i, f"{i % 9 + 1} cups of flour") for i in range(60_000)]
    started = time.perf_counter()
    assert numbered_runs(numbered) == set(range(60_000))
    assert item_runs(ingredients, lambda text: "cups" in text) == set(range(60_000))
    assert time.perf_counter() - started < 5  # adding each whole run again: about a minute

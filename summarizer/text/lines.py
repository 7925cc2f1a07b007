"""What one line of a page says on its own by its shape: how long it is, whether it reads
as finished prose or as a headline, a bullet, a numbered or measured list item. What its
wording marks it as (a byline, a caption credit) is in `furniture.py`.

`summarizer.noise` weighs these per-line facts against where each line sits on the page.
"""

from __future__ import annotations

import re

# a list item led by a quantity and its unit: "250 g minced lamb", "2 tablespoons vegetable
# oil", "½ cup sugar", "1 large onion, chopped" (a recipe's ingredients, a nutrition table)
_QUANTITY_ITEM = re.compile(
    r"^(?:\d+(?:[.,/]\d+)?\s*[½¼¾⅓⅔⅛]?|[½¼¾⅓⅔⅛])\s*"
    r"(?:g|kg|mg|ml|l|oz|lbs?|cups?|tbsp|tbs|tsp|tablespoons?|teaspoons?|pounds?|ounces?"
    r"|grams?|kilos?|lit(?:re|er)s?|cloves?|pinch(?:es)?|slices?|cans?|jars?|sticks?|cubes?"
    r"|large|medium|small|whole|bunch|handful)\b",
    re.IGNORECASE,
)
# a turn of an interview set as questions and answers: "Q: Favorite apps?", "A: Uber Eats"
_INTERVIEW_TURN = re.compile(r"^[QA]\s*[:.]\s+\S")
# a numbered list item: "1. Ditch the diet", "18) Hasbro Gaming", "#3: ...", or one numbered
# by an ordinal ("2nd round: ...", "1a etapa: ...", "10º lugar"), not "1st-time" or "1990s"
_ITEM_NUMBER = re.compile(
    r"^\s*(?:#\s*)?(\d{1,3})(?:\s*[.):]|(?:st|nd|rd|th|[aoºª]|\.[ºª])(?=\s))\s+\S", re.IGNORECASE
)
# where a teaser's title runs into its snippet with no space between: "... Student-AthleteA
# 24-year-old woman ...", "... Our NFL Stadium GuidesIf you and your family ..."
_RUN_ON_TITLE = re.compile(
    r"(?<=[a-z]{4})[A-Z](?=[a-z]*\s)|(?<=[a-z0-9][?!.'’”\"])[A-Z](?=[a-z]+\s)"
)
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*\s*$")
_BULLET = re.compile(r"[-–—•*·▪]\s|\d{1,2}[.)]\s")
_FULL_STOP = re.compile(r"[.…。][\"'”’)\]」』]*\s*$")
_CLOSED = re.compile(r"[.!?…。！？][\"'”’)\]」』]*\s*$|[\"”’」』]\s*$")
# a line ending in a closing bracket is complete ("Beef and Peppers [4 oz. beef, ...]"),
# not a snippet cut at a length
_BRACKETED = re.compile(r"[)\]»>]\s*$")
# Chinese, Japanese and Korean scripts: text without spaces between words
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CJK_CHARS_PER_WORD = 2
_MIN_PROSE_WORDS = 8
_MIN_LIST_WORDS = 12
# a sentence stop anywhere, or a lead-in's closing colon: not a run-together list of words
_LIST_BREAK = re.compile(r"[.!?…。、]|:\s*$")
_MIN_OPEN_PROSE_WORDS = 70
_MIN_INNER_STOPS = 2
_WORDS_PER_STOP = 40
# a sentence break inside a block: "... my lawn. Click through ..."
_INNER_STOP = re.compile(r"[a-z0-9)][.!?][\"'”’]?\s+[A-Z\"“]")
_MAX_HEADLINE_WORDS = 20
_MAX_LABEL_WORDS = 4
_MAX_LABEL_CHARS = 40
_MAX_QUESTION_WORDS = 25
# a sentence stop followed by more text: a line of two or more sentences
_INNER_BREAK = re.compile(r"[.!?…。！？]\s+\S")


def word_count(text: str) -> int:
    """Words in a block; in scripts written without spaces, about two characters a word,
    so a Japanese paragraph counts as prose instead of a one-word line."""
    return max(len(text.split()), len(_CJK.findall(text)) // _CJK_CHARS_PER_WORD)


def is_closed(text: str) -> bool:
    """Ends like a finished sentence (full stop, question, exclamation, closing quote)."""
    return bool(_CLOSED.search(text))


def ends_in_ellipsis(text: str) -> bool:
    return bool(_ELLIPSIS_END.search(text))


def is_bracketed(text: str) -> bool:
    """Ends in a closing bracket: a complete menu or recipe line, not a cut snippet."""
    return bool(_BRACKETED.search(text))


def item_number(text: str) -> int | None:
    """The number a numbered list item starts with ("2. Rob Halford" -> 2, "3a etapa: ..."
    -> 3), else None."""
    match = _ITEM_NUMBER.match(text)
    return int(match.group(1)) if match else None


def is_quantity_item(text: str) -> bool:
    """A list item led by a quantity and its unit ("250 g minced lamb", "½ cup sugar")."""
    return bool(_QUANTITY_ITEM.match(text))


def is_interview_turn(text: str) -> bool:
    """A question or answer of an interview set as "Q: ..." / "A: ..." lines."""
    return bool(_INTERVIEW_TURN.match(text))


def has_run_on_title(text: str) -> bool:
    """A title-case headline of 4-20 words run into a sentence with no space between,
    as text scrapers join a teaser card's title and snippet."""
    for match in _RUN_ON_TITLE.finditer(text):
        head = text[: match.start()].split()
        if len(head) > _MAX_HEADLINE_WORDS:
            return False  # and so are all later heads: stop before splitting a long text again
        if len(head) < 4 or len(text[match.start() :].split(maxsplit=6)) < 6:
            continue
        capitalised = sum(w[0].isupper() or w[0].isdigit() for w in head if w[0].isalnum())
        if capitalised >= 0.7 * len(head):
            return True
    return False


def is_lead_in(text: str) -> bool:
    """Ends in a colon: it introduces what follows (a list, a quote, a code sample), where
    a snippet is cut mid-word or mid-sentence at a length."""
    return text.rstrip().endswith(":")


def is_word_list(text: str) -> bool:
    """`_MIN_LIST_WORDS`+ words without one sentence stop, and no list's lead-in (ending in
    a colon): a tag cloud, a keyword list or a menu run into one line ("adote um amigo agua
    alerta ambiente ...", "stock car 2018, stock car brasil, ..."). Its words are the
    site's topics, so it reads close to the story; a paragraph has stops."""
    return word_count(text) >= _MIN_LIST_WORDS and not _LIST_BREAK.search(text)


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def is_headline(text: str) -> bool:
    """A few words, not a number or a bulleted list item, not ending in a full stop
    (headlines may end in ? or !)."""
    return (
        2 <= word_count(text) <= _MAX_HEADLINE_WORDS
        and any(c.isalpha() for c in text)
        and not is_bullet(text)
        and not _FULL_STOP.search(text)
    )


def is_caps_label(text: str) -> bool:
    """A label of a few words all in capitals ("606: DEBATE", "READER POLL", "IOL JOBS"):
    a box's name or a section's kicker, where a story's subheading is a phrase or a
    sentence in its own case."""
    return (
        1 <= word_count(text) <= _MAX_LABEL_WORDS
        and len(text) <= _MAX_LABEL_CHARS
        and sum(c.isalpha() for c in text) >= 2
        and text == text.upper()
    )


def is_question(text: str) -> bool:
    """One short question on its own line ("Should US policy on Iran change?"): a poll's,
    a debate's or another story's headline, where a story's own questions sit inside its
    paragraphs."""
    stripped = text.strip()
    return (
        stripped.endswith("?")
        and 1 <= word_count(stripped) <= _MAX_QUESTION_WORDS
        and not _INNER_BREAK.search(stripped)
    )


def is_long(text: str) -> bool:
    """Long enough to be a paragraph (`_MIN_PROSE_WORDS`+ words), finished or not."""
    return word_count(text) >= _MIN_PROSE_WORDS


def _is_open_prose(text: str) -> bool:
    """A long paragraph of sentences that lacks only its final stop ("... Director: Derek
    Jarman · Stars: Tilda Swinton"): `_MIN_OPEN_PROSE_WORDS`+ words with a sentence break
    every `_WORDS_PER_STOP` words. Teaser snippets cut mid-sentence are shorter, and menus,
    tag lists and archive links run as long but have no sentence breaks."""
    words = word_count(text)
    breaks = len(_INNER_STOP.findall(text))
    return words >= _MIN_OPEN_PROSE_WORDS and breaks >= max(
        _MIN_INNER_STOPS, words // _WORDS_PER_STOP
    )


def is_prose(text: str) -> bool:
    """A finished paragraph: long enough and ending like a sentence (or a long run of
    sentences missing only its last stop)."""
    return is_long(text) and (is_closed(text) or _is_open_prose(text))

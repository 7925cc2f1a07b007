"""What one line says on its own (`summarizer.text.lines` and `.furniture`), without a page
around it."""

from __future__ import annotations

import time

import pytest

from summarizer.text.furniture import (
    is_comments_heading,
    is_dated_item,
    is_dateline,
    is_link_label,
    is_media_link,
    is_section_heading,
    pattern_kind,
)
from summarizer.text.lines import (
    ends_in_ellipsis,
    has_run_on_title,
    is_caps_label,
    is_closed,
    is_headline,
    is_interview_turn,
    is_prose,
    is_quantity_item,
    is_question,
    is_word_list,
    item_number,
)


def test_closed_sentence_endings() -> None:
    assert is_closed("He left.") and is_closed('"We will win," he said.') and is_closed("Why?")
    assert not is_closed("Oil prices inch down as the field ramps up produc")


@pytest.mark.parametrize(
    "line",
    [
        "Tuesday November 19, 2019",
        "| November 18, 2019 12:26 PM",
        "Nov. 18, 2019",
        "19 November 2019",
        "19/11/2019",
        "2019-11-19",
        "2 days ago at 07:52 am",
        "an hour ago",
        "Feb 7, 2014 at 10:53",
        "Dienstag, 4. Juni 2019, 15:54",
        "14. Mai 2014, 15:40 Uhr",
        "4 de junio de 2019",
        "mardi 14 mai 2014 à 15h40",
        "4 giugno 2019",
    ],
)
def test_date_and_time_stamps_are_datelines(line: str) -> None:
    assert is_dateline(line)
    assert pattern_kind(line) == "byline"


@pytest.mark.parametrize(
    "line",
    ["In 2019, 12 people died.", "May 2019", "March 4", "The vote is on May 3, 2020."],
)
def test_sentences_and_partial_dates_are_not_datelines(line: str) -> None:
    assert not is_dateline(line)


def test_the_length_a_pattern_is_trusted_in() -> None:
    """A share line is short; the same words in a long sentence are the story's."""
    assert pattern_kind("Share this article on Facebook") == "boilerplate"
    long_sentence = (
        "Readers can share this article on Facebook, the company said, as it announced a "
        "new partnership with several regional newspapers on Monday."
    )
    assert pattern_kind(long_sentence) is None
    caption = (
        "Protesters marched on the government offices again on Sunday afternoon as the "
        "police looked on from the side streets (Image: GETTY)"
    )
    assert pattern_kind(caption) == "boilerplate"


def test_a_call_to_click_is_a_link_label_not_the_story() -> None:
    """ "Click for ..." and "Tap to ..." lines label a link (a gallery, a video); a sentence
    that tells of clicking is the story's."""
    assert pattern_kind("Click for the Rolling Stones Gallery") == "boilerplate"
    assert pattern_kind("Tap to enlarge") == "boilerplate"
    assert pattern_kind("Clicking through the gallery, fans found old photos.") is None
    assert pattern_kind("Users who click on the link are asked for their password.") is None


def test_section_headings_headlines_and_prose() -> None:
    assert is_section_heading("34 Comments") and is_section_heading("About the author")
    assert not is_section_heading("The author of the report said the comments were unfair.")
    # "Read more" opens a list of stories; "Read more: <headline>" is one link inside a story
    assert is_section_heading("Read more") and is_section_heading("See also")
    assert not is_section_heading("Read more: Looted colonial art: Germany sets up an office")
    assert is_headline("Storm Hits Coastal Towns") and not is_headline("Storm hits towns.")
    assert is_prose("Officials said the meeting would cover missile defence.")
    assert not is_prose("Officials said the meeting would cover missile defence")


def test_a_long_paragraph_of_sentences_is_prose_without_a_final_stop() -> None:
    sentences = "A woman brings forth her baby to a crowd of photographers. They mock her. " * 5
    review = sentences + "Director: Derek Jarman · Stars: Tilda Swinton and Johnny Mills"
    assert is_prose(review)
    # a teaser cut mid-sentence is shorter; a tag list or a menu is long but has no sentences
    assert not is_prose(sentences[:200] + "and the crowd")
    assert not is_prose(" ".join(["Politics", "Business", "Science", "Health", "Arts"] * 15))
    assert ends_in_ellipsis("The coach said he was going to be in the league...")
    assert ends_in_ellipsis("it would probably be […]")


@pytest.mark.parametrize(
    "line",
    [
        "Related Links",
        "Related topics",
        "Sponsored links",
        "Next post",
        "Ähnliche Artikel",
        "Artículos relacionados",
        "Artigos relacionados",
        "Commentaires",
        "Articoli correlati",
        "Lesen Sie auch",
        "Leggi anche:",
        "MÁS INFORMACIÓN:",
        "TAMBIÉN LEA",
        "Você pode gostar...",
        "Vous aimerez aussi",
        "Join the conversation",
        "Load Comments",
        "Lascia un commento",
        "Hinterlasse einen Kommentar",
        "Schreibe einen Kommentar",
        "Kommentieren",
        "Keine Kommentare",
        "Ähnliche Beiträge",
        "Beliebte Beiträge zum Thema:",
        "Das Thema könnte dich auch interessieren:",
        "Вам также может быть интересно",
        "Читайте также:",
        "Похожие статьи",
        "Материалы по теме",
        "Related Rolling Stones Content",
        "Related Korean Defence Stories",
        "Top Stories",
        "Latest headlines",
        "Today's Most-Read Articles",
        "MOST E-MAILED",
        "Editor's Choice",
        "Around The Web",
        "11 responses to “The Loneliest Woman in the World: An Appreciation of a Power Ballad "
        "That Hit Number One”",
    ],
)
def test_related_and_comments_headings_in_other_wordings_and_languages(line: str) -> None:
    assert is_section_heading(line)


def test_the_names_of_a_box_of_stories_must_be_the_whole_line() -> None:
    """A box's name opens a section only as its whole line: the same words open sentences."""
    assert not is_section_heading("Top news executives met on Monday.")
    assert not is_section_heading("Most shared the view that the plan came late.")
    assert not is_section_heading("Headlines can mislead readers")
    assert not is_section_heading("UP NEXT")  # an AP sports story's own section


def test_bare_labels_over_one_link_are_told_from_related_headings() -> None:
    assert all(is_link_label(t) for t in ("Related", "RELATED:", "Recommended", "Also on rt.com"))
    assert not is_link_label("Related stories") and not is_link_label("Related: Allies meet")
    assert not is_section_heading("Related")
    # a headline that opens with "Related" but does not end in what a list holds
    assert not is_section_heading("Related firms post record profits in Seoul")


def test_comments_headings_are_told_from_other_sections() -> None:
    assert is_comments_heading("34 Comments") and is_comments_heading("Leave a reply")
    assert is_comments_heading("Comments are closed.")
    assert is_comments_heading("Комментарии") and is_comments_heading("Добавить отзыв")
    assert not is_comments_heading("Related stories") and not is_comments_heading("Commentary")
    assert not is_comments_heading("The minister declined to comment on the talks.")
    assert is_comments_heading("Kommentieren")
    assert not is_comments_heading("Kommentieren wollte der Minister die Vorwürfe nicht.")


@pytest.mark.parametrize(
    "notice",
    [
        "Please understand that comments are moderated and it is not always possible to publish.",
        "Please note: Comment moderation is enabled and may delay your comment.",
        "ATENÇÃO: Comentários com textos ininteligíveis não serão aprovados pelo moderador.",
        "Alle Kommentare werden moderiert. Sende nicht mehrmals den gleichen Kommentar.",
    ],
)
def test_a_comment_forms_moderation_notice_opens_the_comments(notice: str) -> None:
    assert is_comments_heading(notice)


def test_a_story_sentence_about_comments_and_moderates_is_no_notice() -> None:
    assert not is_comments_heading("His comments were welcomed by moderates in the party.")
    long_notice = "Comments are moderated. " + "We read every one of them with care. " * 6
    assert not is_comments_heading(long_notice)


def test_a_sentence_naming_a_bookmarking_service_is_no_share_line() -> None:
    assert pattern_kind("Digg was sold for a fraction of its former value on Thursday.") is None


@pytest.mark.parametrize(
    "line", ["Compartir", "Teilen", "Debe iniciar sesión para poder guardar artículos."]
)
def test_share_and_login_lines_in_other_languages_are_boilerplate(line: str) -> None:
    assert pattern_kind(line) == "boilerplate"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Diese Geschichte teilen", "boilerplate"),
        ("Teilen Sie dies mit:", "boilerplate"),
        ("Anzeige", "boilerplate"),
        ("weiterlesen", "boilerplate"),
        ("Wir verwenden Cookies, um unsere Website für Sie zu verbessern.", "boilerplate"),
        ("Für Links auf dieser Seite erhält die Redaktion ggf. eine Provision.", "boilerplate"),
        (
            "Dieser Beitrag wurde veröffentlicht in Reisen, Spanien und verschlagwortet mit "
            "Andalusien, Malaga, Städtereise.",
            "boilerplate",
        ),
        ("This entry was posted in News and tagged elections, polls.", "boilerplate"),
        ("Veröffentlicht am 6. Juli 2015 von Jana Beispiel", "byline"),
        ("von Jana Beispiel am 14. Mai 2014, 15:40 Uhr", "byline"),
        ("Publié le 4 juin 2019", "byline"),
    ],
)
def test_german_and_other_page_furniture(line: str, kind: str) -> None:
    """The standard wording of German (and some French) sites' share rows, ad labels,
    bylines, filing lines, cookie and affiliate notices."""
    assert pattern_kind(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "My father was a journalist in Paris before the war broke out.",
        "As Emily Feng reports for NPR, the first cases came to light last week.",
        "The agency is a major producer of the country's official statistics.",
        "He is a reporter for the local paper, his colleagues said on Monday.",
    ],
)
def test_sentences_about_a_job_are_not_author_bios(line: str) -> None:
    """The bio's shape is a capitalised name, then the job: a story's sentence about
    someone's work starts otherwise."""
    assert pattern_kind(line) is None


def test_list_items_led_by_a_date() -> None:
    assert is_dated_item("June 19 – Charlotte, NC @ PNC Music Pavilion")
    assert is_dated_item("October 20: ACCIDENT – A vehicle driven by a local man hit a fence")
    assert not is_dated_item("June 19, 2019")
    assert not is_dated_item("June 19 was the hottest day of the year in the city.")


def test_numbered_list_items() -> None:
    assert item_number("2. Rob Halford") == 2
    assert item_number("18) Hasbro Gaming – Taboo") == 18
    assert item_number("#3: Start small") == 3
    assert item_number("2019 was a record year.") is None
    assert item_number("12:30 kick-off") is None
    assert item_number("  # 3. Item") == 3


def test_hostile_lines_take_linear_time() -> None:
    """Regexes that rescanned the rest of a line from every start: `\\s*#?\\s*` split a run
    of spaces every way (200 KB: 9 min), and a "(photo:" credit scanned to the last ")"
    from each one (640 KB: about 90 s)."""
    started = time.perf_counter()
    assert item_number(" " * 200_000) is None
    assert pattern_kind("(photo:x" * 80_000) is None
    assert pattern_kind("Storm on the coast (Photo: Jane Doe/AP)") == "boilerplate"
    assert time.perf_counter() - started < 20  # a second here, more on a busy machine


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("1st round: Melbourne, March 15", 1),
        ("2nd place – Jane Doe", 2),
        ("3a etapa: 22 de abril – Velopark", 3),
        ("10º lugar: Equipe Azul", 10),
        ("4.ª jornada: Benfica 2-0 Porto", 4),
        ("1st-time buyers get a break", None),
        ("1990s fashion returns", None),
        ("4 a day is enough", None),
    ],
)
def test_ordinals_number_list_items(line: str, number: int | None) -> None:
    """A season's calendar or a ranking is numbered by ordinals in many languages
    ("1a etapa", "2nd round"); an ordinal run into a word or a decade is no item."""
    assert item_number(line) == number


def test_a_sentence_about_subscribers_in_the_news_is_not_a_paywall() -> None:
    assert pattern_kind("The streaming service lost a million subscribers in the spring.") is None


def test_tag_clouds_and_keyword_lists_are_word_lists() -> None:
    tags = "defence ministry missile talks Seoul Tokyo allies drills navy army tax NATO"
    assert is_word_list(tags)
    assert is_word_list("stock car 2018, stock car brasil, stock car cascavel, stock car corrida")
    assert not is_word_list("Officials said the meeting would cover missile defence and drills.")
    assert not is_word_list("The final standings of the 2019 season after all thirty-six races:")


def test_more_from_is_a_heading_not_a_phrase() -> None:
    assert pattern_kind("More From WIRED") == pattern_kind("more from Space...") == "boilerplate"
    assert pattern_kind("You might also like More from author") == "boilerplate"
    assert pattern_kind("Quickly move files, apps and more from a PC to a Mac") is None


def test_a_title_run_into_its_snippet_is_a_teaser_card() -> None:
    """Text scrapers join a card's title and snippet without a space."""
    assert has_run_on_title(
        "Police: 2 In Custody After Death Of Student-AthleteA 24-year-old woman and a "
        "28-year-old man have been arrested."
    )
    assert has_run_on_title(
        "Heading To An NFL Game? Be Sure To Check Out Our NFL Stadium GuidesIf you and your "
        "family are headed to a game, read this first."
    )
    # brand names and sentences with capitals inside a word are not run-on titles
    assert not has_run_on_title(
        "Following the 16-inch MacBook Pro, Apple plans to release a new 13-inch model."
    )
    assert not has_run_on_title("Singer-keyboardist McDonald said the tour would go on.")
    started = time.perf_counter()  # a title has 4-20 words: later matches are not split for
    assert not has_run_on_title("it ended.Then it went on " * 50_000)
    assert time.perf_counter() - started < 20  # splitting the text before each match: 5 min


@pytest.mark.parametrize(
    "line",
    [
        # author bios
        "Perry Bacon Jr. is a senior writer for FiveThirtyEight. @perrybaconjr",
        "Ganesh Sitaraman is a professor at Vanderbilt Law School and the author of a book.",
        "Evan Halper writes about a broad range of policy issues out of Washington D.C.",
        # captions, credits and gallery counters
        "Image caption Eva-Marie Persson said the decision had been taken after interviews",
        "Trump asked voters in Louisiana for a big win.Credit...Doug Mills/The New York Times",
        "Image 1 of 4",
        "1 / 5",
        "Christopher Tays Submitted photo",
        "The Mexico-U.S. border check point near the Port of Entry in Nogales, Ariz. (AP)",
        "A reference habitation module for a crewed Mars mission. Credit: ESA",
        "A cyclist rides past a blocked petrol plant in La Paz. © Reuters / David Mercado",
        "Above: A coworking space in San Francisco.",
        "Foto: Jane Doe / dpa",
        "личный архив Андрея Рудькова",
        "Jeff Foust (jeff@example.com) is the editor and publisher of The Space Review.",
        "Fox News' Jessica Napoli contributed to this report.",
        "CBS Sports is a registered trademark of CBS Broadcasting Inc.",
        "*These statements have not been evaluated by the Food and Drug Administration.",
        "Home » Recipes » Sharing » Olive & Herb Focaccia Bread",
        "The Example News is not responsible for the content of external internet sites.",
        # captions by their wording, without a credit
        "An artist's concept of a moon lander and lunar rover on the moon's surface.",
        "This NASA satellite image shows fires detected near Delhi on Nov. 3, 2019.",
        "Defense Secretary Mark Esper, left, and his Vietnamese counterpart shake hands.",
        "Kristi Noem, governor of South Dakota, pictured at the White House in 2018.",
        # link labels and reading times
        "[Related: Salesforce keynote on AI and integration]",
        "Related post: Pickled Brussels Sprouts Recipe",
        "More:",
        "Related",
        "Recommended:",
        "4 min read",
        "Tempo de leitura: 1 minuto",
        "Also on rt.com Journalists threatened with arrest as the crisis deepens",
        "On HoustonChronicle.com: Car sales plunge nearly 17 percent in August",
        # share and follow prompts
        "Like this story? Share it with a friend!",
        "Follow RT on",
        # rows of the 2000s bookmarking services
        "» email this page | delicious | digg | reddit | technorati",
        "Digg it del.icio.us AIM",
        "Post to del.icio.us Facebook",
        "Bookmark with:",
        "Digg | Facebook | E-mail",
        "Delicious Digg Reddit Facebook StumbleUpon ( What are these? )",
        # paywall notices
        "To view the full story, please subscribe to The Daily Example. You can choose an "
        "annual or a weekly plan.",
        "If you're seeing this message but you're already a subscriber, you can log in for "
        "immediate access to this story.",
        "First-time subscribers also receive a special welcome gift from our artisans!",
        # the site's own pitches
        "Get breaking space news and the latest updates on rocket launches and more!",
        "Join our Space Forums to keep talking space on the latest missions!",
        'Need more space? Subscribe to our sister title "All About Space" Magazine.',
        "Support Snopes and make a difference for readers everywhere.",
    ],
)
def test_bios_captions_labels_and_paywall_notices_are_boilerplate(line: str) -> None:
    assert pattern_kind(line) == "boilerplate"


@pytest.mark.parametrize(
    "line",
    [
        "The minister left, and the talks broke up without a statement on Monday evening.",
        "Voters on the left and the right said the image of the party had changed this year.",
        "This photo of the summit was shared widely on social media after the talks ended.",
        "The artist's concept for the new museum was approved by the city council.",
        "Support for the bill grew after the minister promised to fund new schools.",
        "The ministry said it was not responsible for the content of the leaked report.",
        "Related talks will be held in Seoul next month, officials said.",
        "Get-out-the-vote drives began in the county on Monday, organisers said.",
        "Join talks were held in Seoul, where both sides agreed to our proposal.",
        "Retour sur les revues de rang « 1 » ou « 1* » où les chercheurs publient.",
        "The supplement has not been evaluated by the Food and Drug Administration, doctors said.",
        "Anzeige gegen Unbekannt erstattet",
        "Von der Leyen kündigt neue Regeln an",
        "Wir teilen die Sorge der Eltern.",
        "Der Beitrag wurde im Stadtrat heftig diskutiert.",
    ],
)
def test_story_sentences_with_caption_or_pitch_words_are_not_furniture(line: str) -> None:
    assert pattern_kind(line) is None


def test_list_items_led_by_a_quantity_and_its_unit() -> None:
    items = ["250 g minced lamb", "2 tablespoons vegetable oil", "½ cup sugar", "1 large onion"]
    assert all(is_quantity_item(item) for item in items)
    assert is_quantity_item("1¼ teaspoon ground black pepper") and is_quantity_item("120g noodles")
    # a number without a unit, or a unit word inside a headline, leads no ingredient
    assert not is_quantity_item("5 things to know about the talks")
    assert not is_quantity_item("10 Downing Street confirms the visit")
    assert not is_quantity_item("Large crowds gather in Seoul")


def test_interview_turns() -> None:
    assert is_interview_turn("Q: Favorite apps?") and is_interview_turn("A: Bleacher Report")
    assert not is_interview_turn("Qatar Airways adds flights") and not is_interview_turn(
        "A new law"
    )


def test_labels_in_capitals_and_questions_on_their_own_line() -> None:
    assert all(map(is_caps_label, ["606: DEBATE", "READER POLL", "HAVE YOUR SAY", "IOL JOBS"]))
    assert not any(
        map(is_caps_label, ["Have your say", "A", "THE MINISTER SAID THE TALKS WOULD GO ON"])
    )
    assert is_question("Should US policy on Iran change?")
    assert not is_question("He asked why. Who is to blame?")  # two sentences: prose
    assert not is_question("Who is to blame for the current situation on the tour.")


@pytest.mark.parametrize(
    ("line", "link"),
    [
        ("Gallery | Scenes from the storm", True),
        ("Interactive guide: How winter storms form", True),
        ("VIDEO: Minister defends the budget", True),
        ("In pictures: Floods across the north", True),
        ("Graphic: VIA UniChrome Pro IGP", False),  # a spec sheet's item
        ("Watch: the minister said the talks would go on until Friday.", False),  # a sentence
        ("Gallery owners said sales fell by a third.", False),
    ],
)
def test_labeled_links_to_a_stories_media(line: str, link: bool) -> None:
    assert is_media_link(line) is link

"""Plain text and HTML into blocks."""

from __future__ import annotations

import json
import textwrap
import time

from summarizer.segment import looks_like_html, mark_main_content, segment_html, segment_text
from summarizer.segment.html import _cut_noscript
from summarizer.text.overlap import TextIndex, tokens


def test_one_block_per_line_and_blank_lines_skipped() -> None:
    blocks = segment_text("Title line\n\n  First   paragraph.  \nSecond one.\n")
    assert [b.text for b in blocks] == ["Title line", "First paragraph.", "Second one."]


def test_lowercase_line_after_a_snippet_is_not_joined() -> None:
    text = "Oil prices inch down as Kazakhstan's oilfield ramps up production, countered by f\n"
    text += "iTunes now selling Band Aid song"
    assert len(segment_text(text)) == 2


def test_hard_wrapped_paragraphs_are_rejoined() -> None:
    paragraph = "The minister said the talks would go on. " * 6
    text = "\n\n".join(textwrap.fill(paragraph, 72) for _ in range(3))
    blocks = segment_text(text)
    assert len(blocks) == 3
    assert blocks[0].text == paragraph.strip()


def test_a_hard_wrapped_paragraph_among_single_lines_is_rejoined() -> None:
    paragraph = (
        "Advice came to Emacs lisp in the summer of 1994, when the module shipped as part "
        "of the editor, and a few weeks later a colleague wrote up a simple example that "
        "added a before advice to the check-in functions of the time."
    )
    lines = ["Blog Archive", *textwrap.wrap(paragraph, 64), "Posted by T. V. Raman"]
    blocks = [b.text for b in segment_text("\n".join(lines))]
    assert blocks == ["Blog Archive", paragraph, "Posted by T. V. Raman"]


def test_a_list_of_headlines_of_one_width_is_not_joined() -> None:
    headlines = [
        "Storm batters the coast as thousands lose power overnight",
        "Markets slide after the central bank signals more rate rises",
        "Minister resigns over leaked messages about the budget deal",
        "Local team wins the cup final after a dramatic penalty shootout",
    ]
    assert [b.text for b in segment_text("\n".join(headlines))] == headlines


def test_runs_of_one_width_lines_are_found_in_linear_time() -> None:
    line = "The minister said on Monday that talks would continue"
    started = time.perf_counter()
    capitalised = segment_text(f"{line}\n" * 95_000)  # a headline list's shape: not joined
    lower = segment_text(f"{line.lower()}\n" * 95_000)  # a wrapped paragraph's: one block
    assert time.perf_counter() - started < 30  # seeking each line's run anew: half an hour
    assert [b.text for b in capitalised] == [line] * 95_000
    assert [b.text for b in lower] == [" ".join([line.lower()] * 95_000)]


def test_html_detected_by_content_not_extension() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html("  <div class='a'>text</div>")
    assert not looks_like_html("Prices rose 3% <as expected> on Monday.")
    styles = "<style>" + "body { margin: 0; }\n" * 400 + "</style>"  # > 4 KB before the body
    assert looks_like_html(styles + "<div><p>The story.</p></div>")
    assert not looks_like_html("A note on CSS: " + styles + "<div>is a tag</div>")


def test_html_blocks_keep_link_lists_with_hints() -> None:
    html = """<html><head><title>Page title</title><style>p{}</style></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul></nav>
    <h1>Big <b>news</b> today</h1>
    <p>First paragraph with a <a href="x">link</a> inside it.</p>
    <script>var x = 1;</script>
    <div>Loose text<p>Inner paragraph.</p>tail text</div>
    <footer>Copyright 2024</footer></body></html>"""
    blocks, title = segment_html(html)
    texts = [b.text for b in blocks]
    assert title == "Page title"
    assert texts == [
        "Home",
        "World",
        "Big news today",
        "First paragraph with a link inside it.",
        "Loose text",
        "Inner paragraph.",
        "tail text",
        "Copyright 2024",
    ]
    home = blocks[0]
    assert home.in_chrome and home.link_density == 1.0
    assert not blocks[3].in_chrome and 0 < blocks[3].link_density < 0.5
    assert blocks[-1].in_chrome


def test_html_without_text_gives_no_blocks() -> None:
    blocks, _ = segment_html("<html><body><script>1</script><img src=x></body></html>")
    assert blocks == []


def test_inline_elements_keep_the_space_between_them() -> None:
    blocks, _ = segment_html("<pre><span>from</span> <span>django</span> import x</pre>")
    assert [b.text for b in blocks] == ["from django import x"]


def test_hidden_and_noscript_content_is_not_page_text() -> None:
    html = """<html><body><noscript><p>Enable JavaScript <b>please</noscript>
    <div style="display: none"><p>Schema copy of the story.</p></div>
    <div hidden><p>Collapsed menu</p></div><p>Visible paragraph.</p></body></html>"""
    blocks, _ = segment_html(html)
    assert [b.text for b in blocks] == ["Visible paragraph."]


def test_noscript_is_cut_in_one_pass_and_an_unclosed_one_left_alone() -> None:
    closed = '<p>a</p><NOSCRIPT class="x"><p>b</noscript ><p>c</p>'
    assert _cut_noscript(closed) == "<p>a</p><p>c</p>"
    html = "<html><body><p>Visible paragraph.</p>" + "<noscript>x" * 20_000  # 200 KB
    started = time.perf_counter()
    assert _cut_noscript(html) == html
    blocks, _ = segment_html(html)
    assert time.perf_counter() - started < 5  # `<noscript.*?</noscript>`: 18.7 s
    assert blocks[0].text == "Visible paragraph."


def test_a_title_that_lost_its_closing_tag_does_not_take_the_page() -> None:
    """A spliced crawl (`</tit` + the next chunk): libxml2 reads the rest of the page as the
    title's text; the title ends where markup starts, as a title holds text only."""
    html = (
        '<html><head><title>Frigates go ahead</titvaScript" src="/x.js"></script>'
        "</head><body><h1>Frigate programme to go ahead</h1><p>The story.</p></body></html>"
    )
    blocks, title = segment_html(html)
    assert title == "Frigates go ahead"
    assert [b.text for b in blocks] == ["Frigate programme to go ahead", "The story."]
    unclosed = "<html><head><title>Frigates go ahead\n<script>x()</script><p>The story.</p>"
    assert [b.text for b in segment_html(unclosed)[0]] == ["The story."]
    plain = "<html><head><title>Profits < forecasts</title></head><body><p>x</p></body></html>"
    assert segment_html(plain)[1] == "Profits < forecasts"  # a bare `<` is text


def test_an_element_no_head_holds_opens_the_body() -> None:
    """libxml2 nests an unknown tag in <head>, with the page under it; the HTML5 parser
    (and a browser) starts the body there."""
    html = (
        "<html><head><title>T</title><meta charset=utf-8><mbox><table><tr><td>"
        "<p>First paragraph.</p></td></tr></table></head>"
        "<body><p>Second paragraph.</p></body></html>"
    )
    blocks, _ = segment_html(html)
    assert [b.text for b in blocks] == ["First paragraph.", "Second paragraph."]


def test_main_content_is_read_from_the_repaired_page() -> None:
    html = "<html><head><title>Frigates go ahead</tit<script>x()</script></head><body>"
    html += "<main><article>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article></main>"
    html += "</body></html>"
    blocks, _ = segment_html(html)
    mark_main_content(html, blocks, "page")
    assert all(b.in_main for b in blocks if b.text in STORY)


def test_xml_declaration_with_encoding_is_parsed() -> None:
    declaration = '<?xml version="1.0" encoding="iso-8859-1"?>'
    html = declaration + "<html><body><p>Caf\u00e9 news.</p></body></html>"
    blocks, _ = segment_html(html)
    assert [b.text for b in blocks] == ["Caf\u00e9 news."]


STORY = [
    "The defence ministry confirmed on Tuesday that the new frigate programme would go ahead "
    "despite rising costs, ending months of speculation about its future.",
    "Officials said the first of eight ships would be delivered in 2029, two years later than "
    "planned, after delays at the shipyard and a shortage of skilled welders.",
    "Opposition MPs criticised the decision, arguing that the money would be better spent on "
    "recruitment and training for the navy's existing fleet of vessels.",
    "The minister told parliament that the frigates were essential to protect shipping lanes "
    "and that cancelling the programme now would cost thousands of jobs.",
]


def news_page() -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    related = "".join(
        f'<li><a href="/s{i}">Related headline number {i} about something else</a></li>'
        for i in range(6)
    )
    return f"""<html><head><title>Frigates go ahead</title></head><body>
    <header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
    </header><main><article><h1>Frigate programme to go ahead despite costs</h1>
    {paragraphs}</article>
    <aside><h2>Related stories</h2><ul>{related}</ul></aside></main>
    <footer><p>Contact us</p><p>Terms and conditions apply to all content.</p></footer>
    </body></html>"""


def test_main_content_marks_story_blocks_in_and_page_chrome_out() -> None:
    html = news_page()
    blocks, _ = segment_html(html)
    mark_main_content(html, blocks, "page")
    marks = {b.text: b.in_main for b in blocks}
    assert all(marks[p] for p in STORY)
    assert not marks["Home"] and not marks["Contact us"]
    assert not marks["Related headline number 3 about something else"]


def test_main_content_leaves_blocks_unmarked_when_nothing_is_extracted() -> None:
    html = '<html><body><ul><li><a href="/">Home</a></li><li><a href="/n">News</a></li></ul>'
    blocks, _ = segment_html(html + "</body></html>")
    mark_main_content(html, blocks, "page")
    assert [b.in_main for b in blocks] == [None, None]


def test_overlap_matches_reflowed_text_and_table_cells_but_not_stray_words() -> None:
    index = TextIndex(
        "The minister said, \u201cwe will go ahead\u201d today.\nKyle Busch | 5040 | 5\n"
    )
    assert index.contains(tokens("the Minister said we will go ahead"))
    assert index.contains(tokens("Kyle Busch"))
    assert not index.contains(tokens("minister"))  # a word, not a line or cell
    assert not index.contains(tokens("the prime minister resigned on friday"))


def test_occurrences_count_many_blocks_verbatim_in_one_pass() -> None:
    index = TextIndex("Share this story\nThe minister said talks would go on. Share this story\n")
    units = [tuple(tokens(t)) for t in ("Share this story", "share", "minister said", "nowhere")]
    assert index.occurrences([*units, ()]) == dict(zip([*units, ()], [2, 2, 1, 0, 0]))


def test_html_page_through_the_cli_keeps_the_story_and_flags_the_rest(cli, tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text(news_page())
    for main_content in ("trafilatura", "none"):
        result = cli(
            "run", str(page), "--format", "json", "--set", f"noise.main_content={main_content}"
        )
        assert result.exit_code == 0, result.output
        record = json.loads(result.output)
        kept = [b["text"] for b in record["blocks"] if not b["noise"]]
        assert all(p in kept for p in STORY), main_content
        assert not any("Related headline" in text or text == "Home" for text in kept), kept
        # the headline on the page, not the <title> ("Frigates go ahead")
        assert record["title"] == "Frigate programme to go ahead despite costs", main_content


def test_main_content_falls_back_to_the_rules_when_the_extractor_fails(monkeypatch, caplog) -> None:
    import trafilatura

    def broken(*args: object, **kwargs: object) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(trafilatura, "extract", broken)
    html = news_page()
    blocks, _ = segment_html(html)
    mark_main_content(html, blocks, "page")
    assert {b.in_main for b in blocks} == {None}
    assert "page: trafilatura failed (maximum recursion depth exceeded)" in caplog.text


def test_a_repeated_block_is_main_content_only_as_often_as_the_extraction_holds_it(
    monkeypatch,
) -> None:
    """The story's headline also heads a teaser list, and one caption sits under every photo:
    the copies beyond what the extraction holds are out, and the copy kept is the one among
    the story's blocks."""
    import trafilatura

    headline = "Frigate programme to go ahead despite costs"
    caption = "The frigate at sea during trials last year"
    html = (
        f"<html><body><ul><li>{headline}</li><li>Other news of the day</li></ul>"
        f"<p>{STORY[0]}</p><p>{headline}</p><p>{STORY[1]}</p><p>{caption}</p>"
        f"<p>{STORY[2]}</p><p>{caption}</p></body></html>"
    )
    main = "\n".join([STORY[0], headline, STORY[1], caption, STORY[2], caption])
    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: main)
    blocks, _ = segment_html(html)
    mark_main_content(html, blocks, "page")
    marks = [(b.text, b.in_main) for b in blocks]
    assert marks[0] == (headline, False) and marks[3] == (headline, True)
    assert [m for text, m in marks if text == caption] == [True, True]  # held twice


def test_marks_that_miss_the_story_are_dropped_for_the_rules(monkeypatch) -> None:
    """Precision mode settles on a box of teaser snippets on a table-layout page and leaves
    the story out: the story's prose outside the marks is over ten times the prose inside,
    so the page is judged by the rules alone. A story the extraction holds keeps its marks
    even when a longer comment thread runs outside it."""
    import trafilatura

    teasers = [
        "Struggling Derby County are poised to sign a former French international. Full Story",
        "Newcastle United have been held to a draw by Stoke City in the cup. Full Story",
    ]
    html = "<html><body><table><tr><td>" + "".join(f"<p>{p}</p>" for p in STORY * 2)
    html += "</td><td>" + "".join(f"<p>{t}</p>" for t in teasers) + "</td></tr></table>"
    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: "\n".join(teasers))
    blocks, _ = segment_html(html + "</body></html>")
    mark_main_content(html, blocks, "page")
    assert {b.in_main for b in blocks} == {None}

    comments = [
        f"Reader {n} writes that the navy would do better to spend the money on its sailors "
        f"and the ships it already has, and asks why the costs rose {n} times."
        for n in range(12)
    ]
    html = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in STORY) + "</article>"
    html += "<section>" + "".join(f"<p>{c}</p>" for c in comments) + "</section></body></html>"
    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: "\n".join(STORY))
    blocks, _ = segment_html(html)
    mark_main_content(html, blocks, "page")
    assert [b.in_main for b in blocks] == [True] * len(STORY) + [False] * len(comments)


def test_marks_that_hold_the_pages_menus_are_dropped_for_the_rules(monkeypatch) -> None:
    """The extraction took the whole layout table: four of the page's five menu links are
    main content, so the marks tell nothing; with one of five they stand."""
    import trafilatura

    menu = ["Home", "News", "Sport", "Weather", "Contact"]
    html = "<html><body><table><tr><td>" + "".join(f'<p><a href="/">{m}</a></p>' for m in menu)
    html += "</td><td>" + "".join(f"<p>{p}</p>" for p in STORY) + "</td></tr></table></body>"
    for held, marked in ((menu[:4], {None}), (menu[:1], {True, False})):
        main = "\n".join([*held, *STORY])
        monkeypatch.setattr(trafilatura, "extract", lambda *args, main=main, **kwargs: main)
        blocks, _ = segment_html(html + "</html>")
        mark_main_content(html, blocks, "page")
        assert {b.in_main for b in blocks} == marked


def test_a_title_given_with_the_input_wins_over_the_pages_own(pipeline) -> None:
    html = news_page()
    given, found = pipeline([html, html], ["a", "b"], ["Frigates: the given title", None])
    assert given.title == "Frigates: the given title"
    assert found.title == "Frigate programme to go ahead despite costs"


def test_overlap_asked_for_the_whole_block_needs_every_3_gram() -> None:
    """Half the 3-grams is enough to find a re-flowed block; a teaser whose words a
    sentence shares is not kept whole."""
    index = TextIndex("She spoke of Mount Everest conqueror Edmund Hillary.")
    teaser = tokens("Everest conqueror Edmund Hillary dies")
    assert index.contains(teaser)
    assert not index.contains(teaser, share=1.0)
    assert index.contains(tokens("Mount Everest conqueror Edmund Hillary"), share=1.0)


def test_a_headline_is_main_content_only_when_the_extraction_holds_all_of_it(monkeypatch) -> None:
    """A related story's headline shares half its word 3-grams with a sentence of the story
    ("to sell DRM-free songs"): that is the story retelling its news, not the headline
    itself. A paragraph the extraction re-flowed still matches at half its 3-grams."""
    import trafilatura

    related = "Sony to Sell DRM-Free Songs on Amazon"
    headline = "Pepsi to Push Amazon's MP3 Store"
    retold = (
        "When Sony BMG signed on to sell DRM-free songs, they chose to do so on Amazon. " + STORY[0]
    )
    html = "<html><body>" + "".join(f"<p>{p}</p>" for p in [headline, STORY[0], related, STORY[1]])
    main = "\n".join([headline, retold, STORY[1][:90]])
    monkeypatch.setattr(trafilatura, "extract", lambda *args, **kwargs: main)
    blocks, _ = segment_html(html + "</body></html>")
    mark_main_content(html, blocks, "page")
    assert [b.in_main for b in blocks] == [True, True, False, True]

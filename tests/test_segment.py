"""Plain text and HTML into blocks."""

from __future__ import annotations

import textwrap

from summarizer.segment import looks_like_html, segment_html, segment_text


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


def test_html_detected_by_content_not_extension() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p></body></html>")
    assert looks_like_html("  <div class='a'>text</div>")
    assert not looks_like_html("Prices rose 3% <as expected> on Monday.")


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
        "Home", "World", "Big news today", "First paragraph with a link inside it.",
        "Loose text", "Inner paragraph.", "tail text", "Copyright 2024",
    ]
    home = blocks[0]
    assert home.in_chrome and home.link_density == 1.0
    assert not blocks[3].in_chrome and 0 < blocks[3].link_density < 0.5
    assert blocks[-1].in_chrome


def test_html_without_text_gives_no_blocks() -> None:
    blocks, _ = segment_html("<html><body><script>1</script><img src=x></body></html>")
    assert blocks == []

"""Pages into blocks (`Segment`s): plain text into lines or paragraphs, rejoining
hard-wrapped lines (`text.py`), and HTML into block-level elements with structural hints and
the main content marked by trafilatura (`html.py`). It may import `text` and the bottom
layer (`errors`, `types`, `config`, `timing`).
"""

from __future__ import annotations

from summarizer.segment.html import looks_like_html, mark_main_content, segment_html
from summarizer.segment.text import Segment, segment_text

__all__ = ["Segment", "looks_like_html", "mark_main_content", "segment_html", "segment_text"]

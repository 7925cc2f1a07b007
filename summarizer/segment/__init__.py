"""Pages into blocks: plain text into paragraphs (rejoining hard-wrapped lines) and HTML
into block-level elements, with the main content marked by trafilatura (`html.py`).

It may import `text` and the bottom layer (`errors`, `types`, `config`, `timing`).
"""

from __future__ import annotations

from summarizer.segment.html import (
    Segment,
    looks_like_html,
    mark_main_content,
    segment_html,
    segment_text,
)

__all__ = ["Segment", "looks_like_html", "mark_main_content", "segment_html", "segment_text"]

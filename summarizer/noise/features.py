"""What the learned block decision (`learned.py`) reads about each block of a page.

The rules (`detector.py`) each look at one kind of evidence and the first one that fires
decides; that ranking was tuned on a few sites and does not carry to others. These features
hand a small model the same evidence, not only the verdict: which rule decided and how sure
it was, the block's shape, its neighbours, where it sits around the story's core, whether it
belongs to a run of like-shaped items (a list of other stories repeats a shape: a dateline
prefix, a leading number, a headline without a full stop), and how close its embedding is to
the story. Every feature is a number computed from the page alone, on plain text and HTML.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

import numpy as np

from summarizer.noise import structure
from summarizer.noise.detector import STRUCTURE_RULES
from summarizer.segment import Segment
from summarizer.text.furniture import is_dated_item, is_link_label, is_read_also
from summarizer.text.lines import is_closed, is_headline, is_prose, word_count
from summarizer.types import ARTICLE, NOISE_KINDS, Block

# The rules whose verdicts are features (one indicator each), as `detector.py` names them:
# its structure rules, then the story, place and title rules. The model reads its columns by
# name (`BlockModel.article_probability`), so the order here is free; a rule added here
# needs the shipped model refitted (`bench/l3s_learn.py --save-model`).
RULES = (
    *STRUCTURE_RULES,
    "inline_link",
    "core",
    "header",
    "main_content",
    "linked_after",
    "list_end",
    "among_teasers",
    "linked_card",
    "tail",
    "on_topic",
    "off_topic",
    "on_topic_run",
    "sandwiched",
    "list_item",
    "no_story",
    "boilerplate_example",
    "h1_title",
)
# A capitalised lead-in then a dash or colon: a dateline ("City, Jan 15 (Agency) -",
# "WASHINGTON (AP) --"), but also "Gallery:" or "He said:" (`structure.other_dateline_leads`
# reads the strict dateline); the shipped model was fitted on this wider shape.
_DATELINE_LEAD = re.compile(
    r"^[A-Z][A-Za-z.'\- ]{1,30}(?:,\s*[A-Z][A-Za-z.]*\.?\s*\d{1,2})?\s*(?:\([A-Za-z .]{1,20}\))?"
    r"\s*[-–—:]{1,2}\s"
)
_LEADING_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]+")
_CONTEXT = 2  # neighbours on each side whose shape and verdict are features


def _shape(text: str) -> dict[str, float]:
    """The block's own shape: length, case, closing punctuation, digits, how it opens."""
    words = _WORD.findall(text)
    capitalised = sum(w[0].isupper() for w in words)
    return {
        "log_words": math.log1p(word_count(text)),
        "log_chars": math.log1p(len(text)),
        "prose": float(is_prose(text)),
        "headline": float(is_headline(text)),
        "closed": float(is_closed(text)),
        "title_case": capitalised / len(words) if words else 0.0,
        "upper": sum(c.isupper() for c in text) / max(1, sum(c.isalpha() for c in text)),
        "digits": len(_DIGIT.findall(text)) / max(1, len(text)),
        "leading_number": float(bool(_LEADING_NUMBER.match(text))),
        "dateline_lead": float(bool(_DATELINE_LEAD.match(text))),
        "dated_item": float(is_dated_item(text)),
        "link_label": float(is_link_label(text) or is_read_also(text)),
        "pipe": float("|" in text),
    }


def _signature(text: str) -> tuple[object, ...]:
    """A coarse shape: blocks of one list share it (numbered, dated, closed, length band)."""
    return (
        bool(_LEADING_NUMBER.match(text)),
        bool(_DATELINE_LEAD.match(text)),
        is_closed(text),
        min(3, word_count(text) // 8),
    )


def _run_lengths(keys: list[object]) -> list[int]:
    """For each position, the length of the run of equal adjacent keys it belongs to."""
    lengths = [1] * len(keys)
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            lengths[start:i] = [i - start] * (i - start)
            start = i
    return lengths


def _prefix(text: str) -> str:
    """The first two words, lowercased: a dateline or a section label items repeat."""
    return " ".join(text.lower().split()[:2])


def _runs(blocks: list[Block]) -> dict[str, list[float]]:
    """Repeated structure around each block: runs of one signature, a shared opening, a
    numbered or dated run (`structure.numbered_runs`, `structure.item_runs`)."""
    texts = [b.text for b in blocks]
    prefixes = Counter(_prefix(t) for t in texts if word_count(t) >= 4)
    numbered = structure.numbered_runs(blocks)
    dated = structure.item_runs(blocks, is_dated_item)
    same = _run_lengths([_signature(t) for t in texts])
    repeated = Counter(texts)
    return {
        "log_shape_run": [math.log(n) for n in same],
        "shared_prefix": [float(word_count(t) >= 4 and prefixes[_prefix(t)] > 1) for t in texts],
        "numbered_run": [float(i in numbered) for i in range(len(blocks))],
        "dated_run": [float(i in dated) for i in range(len(blocks))],
        "repeated_text": [float(repeated[t] > 1) for t in texts],
    }


def _story_position(blocks: list[Block]) -> dict[str, list[float]]:
    """Where each block sits relative to the rules' core (blocks of rule "core"): before,
    inside or after it, how far from its edge, and where on the page."""
    core = [i for i, b in enumerate(blocks) if b.rule == "core"]
    n = len(blocks)
    first, last = (core[0], core[-1]) if core else (n, n)
    before = [float(i < first) for i in range(n)]
    after = [float(i > last) for i in range(n)]
    distance = [math.log1p(max(first - i, i - last, 0)) for i in range(n)]
    return {
        "before_core": before,
        "after_core": after,
        "log_core_distance": distance,
        "page_position": [i / max(1, n - 1) for i in range(n)],
        "has_core": [float(bool(core))] * n,
    }


def _similarity(blocks: list[Block], vectors: np.ndarray) -> dict[str, list[float]]:
    """Cosine to the centroid of the core's blocks. A block a structure rule flagged is not
    embedded by the pipeline (`NoiseDetector.needs_vectors`) and reads 0, with `embedded`
    saying so, whatever vector a caller passes for it (a bench embeds every block)."""
    n = len(blocks)
    embedded = [
        float(b.rule not in STRUCTURE_RULES and np.any(vectors[i])) for i, b in enumerate(blocks)
    ]
    core = [i for i, b in enumerate(blocks) if b.rule == "core" and embedded[i]]
    if not core:
        return {"similarity": [0.0] * n, "embedded": embedded}
    centre = vectors[core].mean(axis=0)
    centre = centre / (np.linalg.norm(centre) or 1.0)
    similarity = vectors @ centre
    return {
        "similarity": [float(s) * e for s, e in zip(similarity, embedded)],
        "embedded": embedded,
    }


def _html(segments: list[Segment]) -> dict[str, list[float]]:
    """The markup's hints (neutral on plain text, where `html` is 0)."""
    return {
        "html": [float(s.tag != "line") for s in segments],
        "link_density": [s.link_density for s in segments],
        "in_chrome": [float(s.in_chrome) for s in segments],
        "in_main": [float(s.in_main is True) for s in segments],
        "heading_tag": [float(s.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}) for s in segments],
        "list_tag": [float(s.tag == "li") for s in segments],
    }


def _neighbours(columns: dict[str, list[float]], names: tuple[str, ...]) -> dict[str, list[float]]:
    """The named columns of the blocks `_CONTEXT` before and after (0 past the page's ends)."""
    out: dict[str, list[float]] = {}
    for name in names:
        values = columns[name]
        n = len(values)
        for offset in (*range(-_CONTEXT, 0), *range(1, _CONTEXT + 1)):
            side = "prev" if offset < 0 else "next"
            out[f"{side}{abs(offset)}_{name}"] = [
                values[i + offset] if 0 <= i + offset < n else 0.0 for i in range(n)
            ]
    return out


_NEIGHBOUR_COLUMNS = ("rule_noise", "prose", "headline", "closed", "dateline_lead")


def page_features(
    segments: list[Segment], blocks: list[Block], vectors: np.ndarray
) -> tuple[list[str], np.ndarray]:
    """The feature names and one row per block of a page the rules have labelled
    (`NoiseDetector`), from its segments and its block vectors (zeros where not embedded)."""
    shapes = [_shape(b.text) for b in blocks]
    columns: dict[str, list[float]] = {
        name: [shape[name] for shape in shapes] for name in _shape("")
    }
    columns["rule_noise"] = [float(b.kind in NOISE_KINDS) for b in blocks]
    columns["rule_score"] = [b.score if b.kind == ARTICLE else -b.score for b in blocks]
    for rule in RULES:
        columns[f"rule_{rule}"] = [float(b.rule == rule) for b in blocks]
    parts: list[Callable[[], dict[str, list[float]]]] = [
        lambda: _runs(blocks),
        lambda: _story_position(blocks),
        lambda: _similarity(blocks, vectors),
        lambda: _html(segments),
    ]
    for part in parts:
        columns.update(part())
    columns.update(_neighbours(columns, _NEIGHBOUR_COLUMNS))
    names = sorted(columns)
    matrix = np.array([columns[name] for name in names], dtype=np.float64).T
    return names, matrix.reshape(len(blocks), len(names))

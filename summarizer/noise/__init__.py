"""The noise stage: which blocks of a page are the article and which are teasers, bylines or
boilerplate. `detector.py` holds `NoiseDetector`, which ranks the rules (the precedence
written as data); `structure.py` the model-free evidence (cut snippets, cards, runs of
items), `span.py` the story's extent (core, header, walls), `keep.py` the rules that keep
dropped blocks after all, and `model.py` the fine-tuned block classifier that has the last
word when `noise.model` is set. It may import `segment`, `text`, `models` and the bottom
layer, and the other stages of its layer (`summary`, `topic`) for shared model wrappers;
nothing above.
"""

from summarizer.noise.detector import NoiseDetector

__all__ = ["NoiseDetector"]

"""The noise stage: which blocks of a page are the article and which are teasers, bylines or
boilerplate. `detector.py` holds the rule-based detector (model-free evidence plus the
shared embedder), `model.py` the fine-tuned block classifier that has the last word when
`noise.model` is set. It may import `segment`, `text`, `models` and the bottom layer, and
the other stages of its layer (`summary`, `topic`) for shared model wrappers; nothing above.
"""

"""Evaluation against labelled data: the topic, noise and summary tasks (`tasks.py`), their
metrics (`metrics.py`: precision/recall/F1, classification, ROUGE) and the terminal and HTML
reports (`report.py`). Above the pipeline: it may import `pipeline`, `io`, `batch` (the
chunked run loop, so `eval` runs the pipeline as `batch` does) and everything below; never
`cli`.
"""

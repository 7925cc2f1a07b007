"""Input and output: one page from a file, stdin or URL (`sources.py`), batch inputs
(`readers.py`: JSONL, CSV, Parquet, datasets, folders), batch outputs (`writers.py`), one
record rendered for people (`render.py`) and labelled evaluation/training data
(`labeled.py`, read through the same readers). Above the pipeline: it may import `pipeline`
and everything below it, and the other packages of its layer (`batch`, `evaluate`,
`train`); never `cli`.
"""

"""Batch runs: streaming records from a reader through the pipeline to a writer in chunks,
resumably (`job.py`); adapting the topic prototypes to a sample of the input first
(`adapt.py`, also behind `summarizer adapt topic`); progress lines and the closing summary
(`progress.py`); the same job on Ray Data actors (`ray_engine.py`, which alone imports
Ray) with its finished shards kept for `--resume` (`shards.py`). Above the pipeline: it
may import `pipeline`, `io` and everything below; never `cli`.
"""

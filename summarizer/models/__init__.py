"""Models: resolving a configured name (embedded package, local folder, hub id), picking
the device and dtype, loading checkpoints once with one-line errors, and cutting model
calls into batches that survive a GPU out-of-memory error.

Beside `text`, just above the bottom layer: it may import `errors`, `types`, `config`
and `timing`. torch, transformers and sentence-transformers are imported inside
functions, never at module level, so importing this package stays cheap.
"""

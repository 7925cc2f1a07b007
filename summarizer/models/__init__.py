"""Models: resolving a configured name to the embedded package, a local folder or a hub id
(`resolve.py`), the device and dtype resolved once per pipeline (`device.py`), the one
loader with one-line errors that every checkpoint goes through (`load.py`), the one batcher
every forward pass goes through, halving on a GPU out-of-memory error (`batching.py`), the
shared sentence embedder (`embedder.py`), its ONNX Runtime forward pass with the export
cache (`onnx.py`) and what `summarizer models` reports (`status.py`).
Beside `text`, just above the bottom layer: it may import `errors`, `types`, `config` and
`timing`; torch, transformers, sentence-transformers and onnxruntime are imported inside
functions, so importing this package stays cheap.
"""

"""Text on its own, without models: what one line says by its shape (`lines.py`) and by its
wording (`furniture.py`), sentence splitting (`sentences.py`) and word overlap between texts
(`overlap.py`). Beside `models`, just above the bottom layer: it may import `errors`,
`types`, `config` and `timing`, and nothing else of the package.
"""

"""summarizer: scraped news pages -> article, summary and topic records.

The public API is `Pipeline` (see `summarizer.pipeline`); it is imported lazily so that
`import summarizer` (and the CLI's `--help`) never pays for torch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Pipeline", "__version__"]

if TYPE_CHECKING:
    from summarizer.pipeline import Pipeline


def __getattr__(name: str) -> Any:
    if name == "Pipeline":
        from summarizer.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)

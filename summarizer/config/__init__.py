"""The config: the typed schema whose defaults are the default config (`schema.py`), and
reading it (`load.py`) from YAML, `--set` overrides or a dict, with one-line errors. The
bottom layer, beside `errors`, `types` and `timing`: it imports only pydantic, PyYAML and
`summarizer.errors`, so validating a config never loads torch.
"""

from __future__ import annotations

from summarizer.config.load import config_from, dump_config, load_config, parse_override
from summarizer.config.schema import (
    BOILERPLATE_EXAMPLES,
    DEFAULT_CHAT_PROMPT,
    DEFAULT_LABELS,
    DEFAULT_TEMPLATES,
    BatchConfig,
    Config,
    EmbeddingConfig,
    GenerationSettings,
    InputConfig,
    NoiseConfig,
    Section,
    SummaryConfig,
    TopicConfig,
)

__all__ = [
    "BOILERPLATE_EXAMPLES",
    "DEFAULT_CHAT_PROMPT",
    "DEFAULT_LABELS",
    "DEFAULT_TEMPLATES",
    "BatchConfig",
    "Config",
    "EmbeddingConfig",
    "GenerationSettings",
    "InputConfig",
    "NoiseConfig",
    "Section",
    "SummaryConfig",
    "TopicConfig",
    "config_from",
    "dump_config",
    "load_config",
    "parse_override",
]

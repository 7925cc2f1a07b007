"""The seq2seq summary backend (`summary.backend: seq2seq`): BART, T5 or Pegasus through
`AutoModelForSeq2SeqLM.generate`, long articles handled by `AbstractiveSummarizer`.
"""

from __future__ import annotations

from summarizer.config import Config
from summarizer.models.batching import Batcher, BatchLimits
from summarizer.models.device import Placement
from summarizer.models.load import load_seq2seq
from summarizer.summary.abstractive import (
    AbstractiveSummarizer,
    check_room,
    context_limit,
    count_tokens,
    generate_kwargs,
)


class Seq2SeqEngine:
    """BART, T5 or Pegasus through `AutoModelForSeq2SeqLM.generate`.

    Generation settings layer the checkpoint's `generation_config`, its summarization
    `task_specific_params` (T5 keeps its beams, lengths and "summarize: " prefix there) and
    the config's `summary.generation`, later ones winning.
    """

    def __init__(self, config: Config, placement: Placement | None = None) -> None:
        summary = config.summary
        name = str(summary.model)
        self.tokenizer, self.model = load_seq2seq("summary.model", name, config, placement)
        task = (getattr(self.model.config, "task_specific_params", None) or {}).get(
            "summarization", {}
        )
        self.prefix = summary.prefix if summary.prefix is not None else task.get("prefix", "")
        self.generation = generate_kwargs(summary.generation, task)
        self.max_length = context_limit(
            self.tokenizer, self.model.config, summary.max_input_tokens, name
        )
        overhead = self.tokenizer.num_special_tokens_to_add(pair=False)
        overhead += sum(count_tokens(self.tokenizer, [self.prefix] if self.prefix else []))
        self.limit = check_room(
            self.max_length - overhead,
            name,
            "raise summary.max_input_tokens or shorten summary.prefix",
        )
        self.batches = Batcher(BatchLimits(summary.batch_size or config.batch_size))

    def generate(self, texts: list[str]) -> list[str]:
        return self.batches(self._batch, texts)

    def _batch(self, texts: list[str]) -> list[str]:
        import torch

        encoded = self.tokenizer(
            [self.prefix + text for text in texts],
            truncation=True,  # a safety net: chunks are sized to fit already
            max_length=self.max_length,
            padding=True,
            return_tensors="pt",
        ).to(self.model.device)
        with torch.inference_mode():
            output = self.model.generate(**encoded, **self.generation)
        return [t.strip() for t in self.tokenizer.batch_decode(output, skip_special_tokens=True)]


def seq2seq_summarizer(config: Config, placement: Placement | None = None) -> AbstractiveSummarizer:
    return AbstractiveSummarizer(Seq2SeqEngine(config, placement), config.summary.long_input)

"""The chat summary backend (`summary.backend: chat`): an instruction-tuned causal LM through
the `text-generation` pipeline, long articles handled by `AbstractiveSummarizer`.
"""

from __future__ import annotations

from summarizer.config import Config
from summarizer.errors import UserError
from summarizer.models.batching import Batcher, BatchLimits
from summarizer.models.device import Placement
from summarizer.models.load import load_pipeline
from summarizer.summary.abstractive import (
    AbstractiveSummarizer,
    check_room,
    context_limit,
    count_tokens,
    generate_kwargs,
)

# transformers' own default for the text-generation pipeline, used when neither the config
# nor the checkpoint bounds a chat answer.
DEFAULT_CHAT_NEW_TOKENS = 256


class ChatEngine:
    """An instruction-tuned causal LM through the `text-generation` pipeline.

    The article goes into `summary.prompt` as one user turn rendered with the model's chat
    template; decoding is greedy unless `summary.generation.do_sample` is set, and only the
    new answer comes back. The prompt and the answer share the model's context, so both
    are taken off the article's token budget.
    """

    def __init__(self, config: Config, placement: Placement | None = None) -> None:
        summary = config.summary
        name = str(summary.model)
        self.pipe = load_pipeline("text-generation", "summary.model", name, config, placement)
        self.tokenizer = self.pipe.tokenizer
        if not getattr(self.tokenizer, "chat_template", None):
            raise UserError(
                f"summary.model: {name} has no chat template; use an instruction-tuned (chat) "
                "model, or summary.backend: seq2seq for a BART/T5-style summarizer"
            )
        if self.tokenizer.pad_token is None:  # batched generation pads; many LMs lack one
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.prompt = summary.prompt
        self.generation = generate_kwargs(summary.generation, {})
        own_budget = self.pipe.model.generation_config.max_new_tokens
        self.generation.setdefault("max_new_tokens", own_budget or DEFAULT_CHAT_NEW_TOKENS)
        context = context_limit(
            self.tokenizer, self.pipe.model.config, summary.max_input_tokens, name
        )
        template = self.tokenizer.apply_chat_template(
            self.messages(""), tokenize=False, add_generation_prompt=True
        )
        overhead = count_tokens(self.tokenizer, [template])[0]
        self.limit = check_room(
            context - overhead - self.generation["max_new_tokens"],
            name,
            "shorten summary.prompt or lower summary.generation.max_new_tokens",
        )
        self.batches = Batcher(BatchLimits(summary.batch_size or config.batch_size))

    def messages(self, text: str) -> list[dict[str, str]]:
        return [{"role": "user", "content": self.prompt.replace("{article}", text)}]

    def generate(self, texts: list[str]) -> list[str]:
        return self.batches(self._batch, texts)

    def _batch(self, texts: list[str]) -> list[str]:
        outputs = self.pipe(
            [self.messages(text) for text in texts],
            batch_size=len(texts),
            return_full_text=False,
            **self.generation,
        )
        return [output[0]["generated_text"].strip() for output in outputs]


def chat_summarizer(config: Config, placement: Placement | None = None) -> AbstractiveSummarizer:
    return AbstractiveSummarizer(ChatEngine(config, placement), config.summary.long_input)

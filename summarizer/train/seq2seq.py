"""Fine-tune a seq2seq summarizer (BART, T5, Pegasus) on text/summary pairs.

Early stopping watches the eval loss: generating summaries every epoch to score ROUGE
would cost more CPU than the training itself. `summarizer eval summary` scores the
saved model with ROUGE afterwards, on exactly the path users run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.errors import UserError
from summarizer.models.load import Source, WrongModelKind, from_pretrained
from summarizer.train.classifier import model_max_length
from summarizer.train.common import TrainOptions, base_model, train_and_save


@dataclass
class Pairs:
    texts: list[str]
    summaries: list[str]


def _load_seq2seq(base: Source) -> Any:
    from transformers import AutoModelForSeq2SeqLM

    try:
        return from_pretrained(AutoModelForSeq2SeqLM, base)
    except WrongModelKind:  # the Auto class names the config type it cannot map
        raise UserError(
            f"{base.name} is not a sequence-to-sequence model; pass a BART, T5 or Pegasus "
            "checkpoint with --base"
        ) from None


def train_seq2seq(
    train: Pairs,
    evaluation: Pairs,
    options: TrainOptions,
    max_target_length: int,
    snippet: dict[str, Any],
) -> str:
    """Fine-tune `options.base` to write `summaries` from `texts`; save the run."""
    from transformers import (
        AutoTokenizer,
        DataCollatorForSeq2Seq,
        Seq2SeqTrainer,
        Seq2SeqTrainingArguments,
        set_seed,
    )

    set_seed(options.seed)
    base = base_model(options)
    tokenizer = from_pretrained(AutoTokenizer, base)
    model = _load_seq2seq(base)
    source_length = model_max_length(tokenizer, model, options.max_length)
    target_length = model_max_length(tokenizer, model, max_target_length)

    def dataset(part: Pairs) -> list[dict[str, Any]]:
        inputs = tokenizer(part.texts, truncation=True, max_length=source_length)
        targets = tokenizer(text_target=part.summaries, truncation=True, max_length=target_length)
        return [
            {**{key: inputs[key][i] for key in inputs}, "labels": targets["input_ids"][i]}
            for i in range(len(part.texts))
        ]

    return train_and_save(
        Seq2SeqTrainer,
        Seq2SeqTrainingArguments,
        options,
        (dataset(train), dataset(evaluation)),
        ("loss",),
        snippet,
        {},
        model=model,
        processing_class=tokenizer,
        data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),
    )

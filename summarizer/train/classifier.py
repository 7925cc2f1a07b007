"""Fine-tune a sequence classifier (topic or block noise) with the Hugging Face Trainer.

The result is an ordinary `AutoModelForSequenceClassification` folder whose `id2label`
holds the label names, so the `text-classification` pipeline (and with it the
`classifier` topic backend and `noise.model`) reports names, not `LABEL_0`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from summarizer.evaluate.metrics import Classification
from summarizer.models.load import from_pretrained, token_limit
from summarizer.train.common import TrainOptions, base_model, train_and_save


@dataclass
class LabeledTexts:
    texts: list[str]
    labels: list[str]


def encode(tokenizer: Any, texts: list[str], max_length: int) -> list[dict[str, list[int]]]:
    """Token ids per text, unpadded: the collator pads each batch to its longest text."""
    encoded = tokenizer(texts, truncation=True, max_length=max_length)
    return [{key: encoded[key][i] for key in encoded} for i in range(len(texts))]


def model_max_length(tokenizer: Any, model: Any, wanted: int) -> int:
    """`wanted`, capped at what the tokenizer and the model's position embeddings allow."""
    limit = token_limit(tokenizer, model.config)
    return min(wanted, limit) if limit else wanted


def _metrics(labels: list[str]) -> Any:
    """`compute_metrics` for the Trainer: accuracy and macro-F1 from the logits."""

    def compute(prediction: Any) -> dict[str, float]:
        report = Classification(labels)
        predicted = prediction.predictions.argmax(axis=-1)
        report.add([labels[i] for i in predicted], [labels[i] for i in prediction.label_ids])
        return {"accuracy": report.accuracy, "macro_f1": report.macro_f1}

    return compute


def train_classifier(
    train: LabeledTexts,
    evaluation: LabeledTexts,
    labels: list[str],
    options: TrainOptions,
    snippet: dict[str, Any],
) -> str:
    """Fine-tune `options.base` on `train`, early-stopping on `evaluation`; save the run.

    The seed is set before the model is built, so the new classification head starts
    from the same weights every run and a fixed seed gives the same model.
    """
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        DataCollatorWithPadding,
        Trainer,
        TrainingArguments,
        set_seed,
    )

    set_seed(options.seed)
    base = base_model(options)
    tokenizer = from_pretrained(AutoTokenizer, base)
    model = from_pretrained(
        AutoModelForSequenceClassification,
        base,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
        ignore_mismatched_sizes=True,  # a fine-tuned base gets a fresh head for new labels
    )
    max_length = model_max_length(tokenizer, model, options.max_length)
    # One truncation rule for training and use: saved with the tokenizer, it is the limit
    # the classifier backends read (`models.load.token_limit`) and truncate at.
    tokenizer.model_max_length = max_length
    index = {label: i for i, label in enumerate(labels)}

    def dataset(part: LabeledTexts) -> list[dict[str, Any]]:
        rows = encode(tokenizer, part.texts, max_length)
        return [{**row, "labels": index[label]} for row, label in zip(rows, part.labels)]

    return train_and_save(
        Trainer,
        TrainingArguments,
        options,
        (dataset(train), dataset(evaluation)),
        ("accuracy", "macro_f1"),
        snippet,
        {"labels": labels},
        model=model,
        processing_class=tokenizer,
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=_metrics(labels),
    )

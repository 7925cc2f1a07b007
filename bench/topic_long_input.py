"""Long articles through a fine-tuned topic classifier: cut at the limit, or averaged over
windows?

The `nli` and `classifier` topic backends read at most the model's token limit. This
script measures the two ways to handle a longer article on labeled data: `truncate` (the
first window of `--max-tokens`, what the backends do) and `windows` (the class
probabilities averaged over consecutive windows of the whole article). It prints
accuracy and macro-F1 on all records and on those longer than the limit.

    summarizer split ../shared/data/bbc_dev.jsonl --out-dir /tmp/tl/bbc --per-class 16
    summarizer train topic --train /tmp/tl/bbc/train.jsonl --eval /tmp/tl/bbc/eval.jsonl \\
        --out /tmp/tl/bbc16 --max-length 128 --epochs 10
    python bench/topic_long_input.py --model /tmp/tl/bbc16 --data /tmp/tl/bbc/eval.jsonl
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from summarizer.evaluate.metrics import Classification
from summarizer.summary.abstractive import token_windows


def probabilities(model, tokenizer, pieces: list[str], size: int) -> torch.Tensor:
    """Class probabilities of each window of text (each at most `size` tokens)."""
    batch = tokenizer(pieces, truncation=True, max_length=size, padding=True, return_tensors="pt")
    with torch.inference_mode():
        return model(**batch).logits.softmax(-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_pretrained(args.model).eval()
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    room = args.max_tokens - tokenizer.num_special_tokens_to_add(False)
    records = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    scores = {
        f"{how} {part}": Classification(labels)
        for how in ("truncate", "windows")
        for part in ("all", "long")
    }
    for record in records:
        text = f"{record['title']}\n{record['text']}" if record.get("title") else record["text"]
        parts = token_windows(tokenizer, text, room)
        probs = probabilities(model, tokenizer, parts, args.max_tokens)
        guesses = {
            "truncate": labels[int(probs[0].argmax())],
            "windows": labels[int(probs.mean(0).argmax())],
        }
        for how, guess in guesses.items():
            scores[f"{how} all"].add([guess], [record["label"]])
            if len(parts) > 1:
                scores[f"{how} long"].add([guess], [record["label"]])
    print(f"{args.data} ({len(records)} records), {args.model}, {args.max_tokens} tokens a window")
    print(f"{'strategy':<18}{'records':>8}{'accuracy':>10}{'macro-F1':>10}")
    for name, score in scores.items():
        print(f"{name:<18}{score.total:>8}{score.accuracy:>10.4f}{score.macro_f1:>10.4f}")


if __name__ == "__main__":
    main()

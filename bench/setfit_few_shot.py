"""SetFit on a few-shot topic file, scored like `summarizer eval topic` rows next to it.

    pip install setfit   # not a project dependency: this script exists to make the choice
    python bench/setfit_few_shot.py --train /tmp/bench-train/agnews-16/train.jsonl \\
        --eval /tmp/bench-train/agnews/eval.jsonl --iterations 20

SetFit fine-tunes the embedded all-MiniLM-L6-v2 on contrastive pairs, then fits a logistic
head on its embeddings. It reads the same "title\\ntext" the `train topic --title-field
title` runs read, so the accuracy compares with theirs (bench/training.sh).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from summarizer.io.labeled import label_column, read_records, text_column


def read(path: Path) -> tuple[list[str], list[str]]:
    records = read_records(path)
    return text_column(records, "text", path, "title"), label_column(records, "label", path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, required=True)
    parser.add_argument("--eval", type=Path, required=True)
    parser.add_argument("--iterations", type=int, default=20, help="Pairs drawn per example.")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from datasets import Dataset
    from setfit import SetFitModel, Trainer, TrainingArguments

    from summarizer.models.load import locate, quiet_libraries

    quiet_libraries()
    texts, labels = read(args.train)
    model = SetFitModel.from_pretrained(locate("base", "all-MiniLM-L6-v2").location)
    options = TrainingArguments(
        batch_size=16, num_epochs=1, num_iterations=args.iterations, seed=args.seed
    )
    data = Dataset.from_dict({"text": texts, "label": labels})
    started = time.perf_counter()
    Trainer(model=model, args=options, train_dataset=data).train()
    seconds = time.perf_counter() - started
    eval_texts, eval_labels = read(args.eval)
    predicted = [str(p) for p in model.predict(eval_texts)]
    accuracy = sum(p == g for p, g in zip(predicted, eval_labels)) / len(eval_labels)
    print(
        f"setfit {args.train} ({len(texts)} examples, {args.iterations} iterations): "
        f"accuracy {accuracy:.4f}, train {seconds:.0f} s"
    )


if __name__ == "__main__":
    main()

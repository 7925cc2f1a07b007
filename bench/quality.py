"""Quality of each stage on the evaluation data in ../shared/data, with baselines.

    python bench/quality.py [--data ../shared/data] [--limit N]

Prints one table per stage. Data is read from the shared folder, never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from summarizer import Pipeline
from summarizer.metrics import PRF
from summarizer.models import quiet_libraries

NOISE_LABELS = {"byline", "teaser_headline", "teaser_snippet"}


def one_line_rule(line: str) -> bool:
    """The baseline: keep lines of 10+ words that end in sentence punctuation."""
    return len(line.split()) >= 10 and bool(re.search(r"[.!?][\"'”’)]*\s*$", line))


def noise_on_composed_pages(pipeline: Pipeline, path: Path, limit: int | None) -> Table:
    """Line-level noise P/R/F1 and exactly-right pages on pages_bbc_dev.jsonl."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")][:limit]
    started = time.perf_counter()
    results = pipeline([r["text"] for r in rows], [r["id"] for r in rows])
    seconds = time.perf_counter() - started
    tool, rule = PRF(), PRF()
    tool_exact = rule_exact = 0
    for row, result in zip(rows, results):
        gold = [label in NOISE_LABELS for label in row["line_labels"]]
        predicted = [block.noise for block in result.blocks]
        baseline = [not one_line_rule(line) for line in row["text"].split("\n")]
        tool.add(predicted, gold)
        rule.add(baseline, gold)
        tool_exact += predicted == gold
        rule_exact += baseline == gold
    table = Table(title=f"Noise lines, composed pages ({len(rows)} pages, {seconds:.0f} s)")
    for column in ("method", "precision", "recall", "F1", "pages exactly right"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for name, prf, exact in (("summarizer", tool, tool_exact), ("one-line rule", rule, rule_exact)):
        table.add_row(
            name,
            f"{prf.precision:.4f}",
            f"{prf.recall:.4f}",
            f"{prf.f1:.4f}",
            f"{exact}/{len(rows)} ({exact / len(rows):.1%})",
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[1] / "../shared/data")
    parser.add_argument("--limit", type=int, default=None, help="Documents per data set.")
    args = parser.parse_args()
    quiet_libraries()
    pipeline = Pipeline.from_config(None)
    console = Console()
    console.print(noise_on_composed_pages(pipeline, args.data / "pages_bbc_dev.jsonl", args.limit))


if __name__ == "__main__":
    main()

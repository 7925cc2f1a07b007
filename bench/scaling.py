"""Cost per record as a page grows: time per record and per MB, by page shape and size.

    python bench/scaling.py [--sizes 10k,100k,1m,5m] [--shapes prose,one-line,...]
                            [--repeat 3] [--config FILE] [--cli]

Shapes (the text comes from ../shared/data/bbc_dev.jsonl, read at run time):
- prose: BBC stories' paragraphs, one per line, as many as the size holds
- one-line: the same text run into one line: a single paragraph of the whole size
- similar-lines: "The minister said on Monday that talks would continue" on every line
  (the 95,000-line page of issue 25 at 5 MB)
- noscript: a paragraph, then `<noscript>x` repeated, never closed
- unclosed-div: `<div class="a"><span>x` repeated, never closed (deeper than libxml2's
  256 levels: the parser stops there)
- html-prose: the prose as the `<p>` paragraphs of one `<article>`

Each page goes through the pipeline the CLI builds (`Pipeline.from_config`), in process,
after a warm-up page; a size up to 100 KB runs `--repeat` times and reports the median.
`--cli` times `summarizer run PAGE` in a fresh process instead (model loading included),
once per page. Prints a markdown table: seconds per record and per MB, the slowest stage
and the record's outcome. Time per MB must not grow with the size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # measure this checkout, not an installed copy
DATA = REPO.parent / "shared" / "data" / "bbc_dev.jsonl"
UNITS = {"k": 1_000, "m": 1_000_000}
REPEAT_UP_TO = 100_000
SENTENCE = "The minister said on Monday that talks would continue"


def paragraphs() -> list[str]:
    with DATA.open(encoding="utf-8") as handle:
        return [p.strip() for line in handle for p in json.loads(line)["text"].splitlines() if p]


def fill(size: int, pieces: list[str], separator: str) -> str:
    """`pieces` joined by `separator`, cycled until the text is `size` characters."""
    parts, length = [], 0
    while length < size:
        for piece in pieces:
            parts.append(piece)
            length += len(piece) + len(separator)
            if length >= size:
                break
    return separator.join(parts)[:size]


def shapes(prose: list[str]) -> dict[str, Callable[[int], str]]:
    html = ["<p>" + p + "</p>" for p in prose]
    return {
        "prose": lambda size: fill(size, prose, "\n"),
        "one-line": lambda size: fill(size, prose, " "),
        "similar-lines": lambda size: fill(size, [SENTENCE], "\n"),
        "noscript": lambda size: (
            "<html><body><p>A first paragraph.</p>" + fill(size, ["<noscript>x"], "")
        ),
        "unclosed-div": lambda size: "<html><body>" + fill(size, ['<div class="a"><span>x'], ""),
        "html-prose": lambda size: (
            "<html><head><title>Stories</title></head><body><article>"
            + fill(size, html, "\n")
            + "</article></body></html>"
        ),
    }


def parse_size(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * UNITS[text[-1]]) if text[-1] in UNITS else int(text)


def label(size: int) -> str:
    return f"{size / 1e6:g} MB" if size >= 1_000_000 else f"{size / 1e3:g} KB"


def outcome(error: str | None, blocks: list, summary: str) -> str:
    if error:
        return f"error: {error[:60]}"
    return f"{len(blocks)} blocks, {len(summary)}-char summary"


def in_process(config: str | None) -> Callable[[str], tuple[float, str, str]]:
    """Run a page through one pipeline; returns (seconds, slowest stage, outcome)."""
    from summarizer import Pipeline
    from summarizer.models.load import quiet_libraries

    quiet_libraries()
    pipeline = Pipeline.from_config(config or {"device": "cpu"})
    warm_up = fill(5_000, paragraphs(), "\n")
    pipeline([warm_up, f"<html><body><p>{warm_up}</p></body></html>"], ["text", "html"])

    def run(text: str) -> tuple[float, str, str]:
        before = dict(pipeline.times)
        started = time.perf_counter()
        result = pipeline([text], ["page"])[0]
        seconds = time.perf_counter() - started
        stages = pipeline.times.since(before)
        stage = max(stages, key=stages.get)
        found = outcome(result.error, result.blocks, result.summary)
        return seconds, f"{stage} {stages[stage] / seconds:.0%}", found

    return run


def by_cli(config: str | None) -> Callable[[str], tuple[float, str, str]]:
    """Time `summarizer run PAGE` in a fresh process (model loading included)."""

    def run(text: str) -> tuple[float, str, str]:
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "page.txt"
            page.write_text(text, encoding="utf-8")
            command = [sys.executable, "-m", "summarizer", "run", str(page), "--device", "cpu"]
            command += ["--config", config] if config else []
            env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO)}
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            seconds = time.perf_counter() - started
        if done.returncode == 0:
            record = json.loads(done.stdout)
            found = outcome(record["error"], record["blocks"], record["summary"])
            return seconds, "(whole run)", found
        return seconds, "(whole run)", f"exit {done.returncode}: {done.stderr.strip()[:60]}"

    return run


def rows(
    run: Callable[[str], tuple[float, str, str]],
    makers: dict[str, Callable[[int], str]],
    sizes: list[int],
    repeat: int,
) -> Iterator[str]:
    for name, make in makers.items():
        for size in sizes:
            text = make(size)
            rounds = [run(text) for _ in range(repeat if size <= REPEAT_UP_TO else 1)]
            seconds = statistics.median(r[0] for r in rounds)
            _, stage, result = rounds[-1]
            per_mb = seconds / (len(text.encode("utf-8")) / 1e6)
            yield (
                f"| {name} | {label(size)} | {seconds:.2f} | {per_mb:.2f} | {stage} | {result} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1m,5m", help="page sizes, e.g. 10k,1m")
    parser.add_argument("--shapes", default=None, help="comma-separated; default: all")
    parser.add_argument("--repeat", type=int, default=3, help="runs of pages up to 100 KB")
    parser.add_argument("--config", default=None, help="a config file (default: defaults, CPU)")
    parser.add_argument("--cli", action="store_true", help="time `summarizer run` processes")
    args = parser.parse_args()
    makers = shapes(paragraphs())
    if args.shapes:
        makers = {name: makers[name] for name in args.shapes.split(",")}
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    run = by_cli(args.config) if args.cli else in_process(args.config)
    command = " ".join(["python", "bench/scaling.py", *sys.argv[1:]])
    where = "one `summarizer run` process per page" if args.cli else "in process"
    print(f"`{command}` on {platform.node()} ({os.cpu_count()} CPUs), {where}\n")
    print("| shape | size | s / record | s / MB | slowest stage | record |")
    print("|---|---|---|---|---|---|")
    started = time.perf_counter()
    for row in rows(run, makers, sizes, 1 if args.cli else args.repeat):
        print(row, flush=True)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()

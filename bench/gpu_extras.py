"""Helpers for bench/gpu_check.sh: compare two runs' records, build tiny generators.

    python bench/gpu_extras.py agree A.jsonl B.jsonl
    python bench/gpu_extras.py tiny DIR [--device cuda] [--dtype bfloat16]
    python bench/gpu_extras.py capped FRACTION -- SUMMARIZER-ARGS...

`agree` prints how many pages have the same top topic and summary in both files and how
many blocks the same noise flag. `tiny` writes the tests' tiny random seq2seq (BART) and
chat (Qwen2) models under DIR, with one config each for the given device and dtype
(`DIR/seq2seq.yaml`, `DIR/chat.yaml`): the summary backends' code paths, without the
hub's checkpoints. `capped` runs the summarizer CLI with torch allowed only FRACTION of the
GPU's memory, so that batch sizes far beyond it hit a real CUDA out-of-memory error
without filling a 141 GB card first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def agree(first: Path, second: Path) -> None:
    a, b = read(first), read(second)
    if [r["id"] for r in a] != [r["id"] for r in b]:
        sys.exit("error: the two files hold different pages")
    topics = sum(
        (x.get("topic") or {}).get("label") == (y.get("topic") or {}).get("label")
        for x, y in zip(a, b)
    )
    summaries = sum(x.get("summary") == y.get("summary") for x, y in zip(a, b))
    flags = [
        p["noise"] == q["noise"] for x, y in zip(a, b) for p, q in zip(x["blocks"], y["blocks"])
    ]
    print("| pages | same top topic | same summary | blocks | same noise flag |")
    print("|---:|---:|---:|---:|---:|")
    print(
        f"| {len(a)} | {topics} ({topics / len(a):.1%}) | {summaries} ({summaries / len(a):.1%})"
        f" | {len(flags)} | {sum(flags)} ({sum(flags) / max(1, len(flags)):.2%}) |"
    )


def tiny(folder: Path, device: str, dtype: str) -> None:
    sys.path.insert(0, str(REPO / "tests"))
    import yaml
    from tiny_models import build_tiny_bart, build_tiny_causal_lm

    folder.mkdir(parents=True, exist_ok=True)
    for backend, build in (("seq2seq", build_tiny_bart), ("chat", build_tiny_causal_lm)):
        model = build(folder / f"{backend}-model")
        config = {
            "device": device,
            "dtype": dtype,
            "summary": {"backend": backend, "model": str(model)},
        }
        (folder / f"{backend}.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        print(folder / f"{backend}.yaml")


def capped(fraction: float, arguments: list[str]) -> None:
    import torch

    torch.cuda.set_per_process_memory_fraction(fraction)
    total = torch.cuda.get_device_properties(0).total_memory / 2**30
    print(f"torch may allocate {fraction:.1%} of {total:.0f} GiB", file=sys.stderr)
    from summarizer.cli import app

    app(arguments, prog_name="summarizer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser("agree", help="agreement of two record files")
    compare.add_argument("first", type=Path)
    compare.add_argument("second", type=Path)
    build = commands.add_parser("tiny", help="tiny seq2seq and chat models with configs")
    build.add_argument("folder", type=Path)
    build.add_argument("--device", default="cuda")
    build.add_argument("--dtype", default="bfloat16")
    cap = commands.add_parser("capped", help="the CLI with a fraction of the GPU's memory")
    cap.add_argument("fraction", type=float)
    cap.add_argument("arguments", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.command == "agree":
        agree(args.first, args.second)
    elif args.command == "tiny":
        tiny(args.folder, args.device, args.dtype)
    else:
        rest = args.arguments
        capped(args.fraction, rest[1:] if rest[:1] == ["--"] else rest)


if __name__ == "__main__":
    main()

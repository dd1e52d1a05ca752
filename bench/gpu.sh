#!/usr/bin/env bash
# Everything the two-tower network needs checked and measured on a GPU machine, in one go, from the
# self-contained worker that `make publish-gpu` packs as out/gpu.tar.xz (a GPU machine needs no .NET SDK):
#   0. the test suite's GPU tests (tests/HmRec.Training.Gpu.DeviceTests, packed as out/gpu-tests.tar.xz: a test
#      program that runs its own xUnit tests), when that file is here; with only it here, nothing else runs;
#   1. check-devices: one training step on the CPU and on CUDA, tensor by tensor (512 and 4,096 rows);
#   2. training throughput at batch 4096, fp32: ours on CUDA, PyTorch eager and torch.compile on the same
#      GPU (bench/two_tower_torch.py), medians of `runs` runs of `steps` timed steps; and both on the CPU;
#   3. a full training run on CUDA on a generated features folder (sample-features, 20,000 users a week);
#   4. with FEATURES=a run's features folder and LABELS=its recall/week=0/global/labels.parquet, the pipeline's
#      training on those features on CUDA and on the CPU, and how far apart their scores are.
# Every step runs (each within STEP_TIMEOUT seconds, 180 by default) even when an earlier one failed; with
# BUDGET=seconds the whole script ends within about that time: a step gets at most what is left, and the
# steps after it are skipped (and said so). The steps run in order of what they tell: the CUDA checks and
# throughput, PyTorch eager, the training run, then torch.compile, the CPU figures, and a CPU training run.
# cuBLAS and NVRTC (CUDA 13) come from HMREC_CUDA_LIB_DIR, the CUDA install, or else the Python packages'.
# Usage: bench/gpu.sh [runs] [steps] [users]
# Output: 8 files in ${OUT:-bench/work/gpu}/ (the device tool brings back at most 8): summary.txt (each
# step's exit code and time, the medians), two-tower.csv (rows for results/two-tower.csv), machine.txt,
# check-devices.log, train-cuda.log, training_log.csv, train-summary.json, and logs.tar.gz (every log).
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
steps=${2:-300}
users=${3:-20000}
out=${OUT:-bench/work/gpu}
limit=${STEP_TIMEOUT:-180}
budget=${BUDGET:-0}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
logs="$work/logs"
mkdir -p "$logs"
[ -f out/gpu.tar.xz ] || [ -f out/gpu-tests.tar.xz ] || { echo "no out/gpu.tar.xz: run 'make publish-gpu' first" >&2; exit 2; }
if [ -z "${HMREC_CUDA_LIB_DIR:-}" ] && ! ls /usr/local/cuda*/targets/x86_64-linux/lib/libcublas.so.13 >/dev/null 2>&1; then
  cublas=$(find /usr/local /opt /usr/lib -name libcublas.so.13 2>/dev/null | head -1)
  [ -n "$cublas" ] && export HMREC_CUDA_LIB_DIR=$(dirname "$cublas")
fi
export LD_LIBRARY_PATH="$work/gpu:$work/gpu-tests:${HMREC_CUDA_LIB_DIR:+$HMREC_CUDA_LIB_DIR:}/usr/local/cuda-13.0/targets/x86_64-linux/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
worker="$work/gpu/hmrec-train-gpu"
python=${PYTHON:-python3}
summary="$out/summary.txt"
csv="$out/two-tower.csv"
machine="$(nproc) cores / $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1)
: > "$summary"
echo "date,machine,implementation,device,batch,steps,samples_per_second_median,runs" > "$csv"

step() { # name command...: runs it, keeps its output in $logs/name.log and its exit code in the summary
  local name=$1; shift
  local start=$SECONDS cut=$limit
  if ((budget > 0)); then
    cut=$((budget - SECONDS < limit ? budget - SECONDS : limit))
    if ((cut < 5)); then echo "$name: skipped, BUDGET=$budget s spent" >> "$summary"; return 124; fi
  fi
  timeout "$cut" "$@" > "$logs/$name.log" 2>&1
  local code=$?
  echo "$name: exit $code, $((SECONDS - start)) s" >> "$summary"
  return $code
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure() { # name device steps command...: median samples/s of $runs runs into the csv
  local name=$1 device=$2 timed=$3; shift 3
  local values=()
  for run in $(seq 1 "$runs"); do
    if step "$name-$device-$run" "$@"; then
      values+=("$(sed -n 's/.*samples_per_second=\([0-9]*\).*/\1/p' "$logs/$name-$device-$run.log")")
    fi
  done
  if ((${#values[@]})); then
    local m; m=$(printf '%s\n' "${values[@]}" | median)
    echo "$(date -u +%F),$machine${gpu:+ / $gpu},$name,$device,4096,$timed,$m,${#values[@]}" | tee -a "$csv" >> "$summary"
  fi
}

{ echo "machine: $machine; GPU: ${gpu:-none}; HMREC_CUDA_LIB_DIR=${HMREC_CUDA_LIB_DIR:-}"; nvidia-smi 2>&1 | head -15
  ls -d /usr/local/cuda*/targets/x86_64-linux/lib 2>&1; "$python" -c 'import torch; print("torch", torch.__version__)' 2>&1; } > "$out/machine.txt"
if [ -f out/gpu-tests.tar.xz ]; then
  tar -xJf out/gpu-tests.tar.xz -C "$work"
  step device-tests "$work/gpu-tests/HmRec.Training.Gpu.DeviceTests" -noColor
  sed -n 's/^ *\(HmRec.Training.Gpu.DeviceTests *Total:.*\)/\1/p' "$logs/device-tests.log" >> "$summary"
  cp "$logs/device-tests.log" "$out/"
fi
if [ ! -f out/gpu.tar.xz ]; then
  echo "no out/gpu.tar.xz: the GPU tests only" >> "$summary"
  cat "$summary"
  exit 0
fi
tar -xJf out/gpu.tar.xz -C "$work"
step check-devices "$worker" check-devices
step check-devices-4096 "$worker" check-devices --rows 4096
grep -h "^worst" "$logs"/check-devices*.log >> "$summary"

measure hmrec cuda "$steps" "$worker" throughput --device cuda --batches "$steps"
measure pytorch-eager cuda "$steps" "$python" bench/two_tower_torch.py --device cuda --batches "$steps"

step sample-features "$worker" sample-features --out "$work/features" --users "$users"
step train-cuda "$worker" --features "$work/features" --out "$work/train-cuda" --device cuda
tail -3 "$logs/train-cuda.log" >> "$summary"

if [ -n "${FEATURES:-}" ]; then # the pipeline's settings (Pipeline.TwoTower's defaults) on a run's features
  for device in cuda cpu; do
    step "pipeline-$device" "$worker" --features "$FEATURES" ${LABELS:+--labels "$LABELS"} --out "$work/pipeline-$device" \
      --device "$device" --seed 42 --max-epochs 30 --patience 5 --batch-size 4096 --learning-rate 0.0003 --weight-decay 0.0002 --dropout 0.3
    tail -1 "$logs/pipeline-$device.log" >> "$summary"
  done
  "$python" - "$work" >> "$summary" 2>&1 <<'PY'
import sys, numpy as np, pyarrow.parquet as pq
for part in ["validation", "test"]:
    a, b = (pq.read_table(f"{sys.argv[1]}/pipeline-{d}/{part}.parquet").column("score").to_numpy() for d in ["cuda", "cpu"])
    print(f"pipeline {part}: {len(a)} scores, CUDA against CPU: largest difference {np.max(np.abs(a - b)):.4f}, correlation {np.corrcoef(a, b)[0, 1]:.5f}")
PY
fi

measure pytorch-compile cuda "$steps" "$python" bench/two_tower_torch.py --device cuda --compile --batches "$steps"
measure hmrec cpu 30 "$worker" throughput --device cpu --batches 30
measure pytorch-eager cpu 30 "$python" bench/two_tower_torch.py --device cpu --batches 30
step train-cpu "$worker" --features "$work/features" --out "$work/train-cpu" --device cpu
tail -1 "$logs/train-cpu.log" >> "$summary"

cp "$logs/check-devices.log" "$logs/train-cuda.log" "$out/"
cp "$work/train-cuda/training_log.csv" "$out/" 2>/dev/null
cp "$work/train-cuda/summary.json" "$out/train-summary.json" 2>/dev/null
tar -czf "$out/logs.tar.gz" -C "$work" logs
echo "wrote $out" >&2
cat "$summary"

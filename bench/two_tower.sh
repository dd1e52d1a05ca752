#!/usr/bin/env bash
# Two-tower training throughput (samples/s, batch 4096, fp32, generated inputs of one shape: 20 user,
# 24 item, 46 pair features): ours (hmrec-train-gpu throughput) against PyTorch (bench/two_tower_torch.py,
# Debian's python3-torch, installed here if missing) on the same machine. Median of `runs` runs each.
# Usage: bench/two_tower.sh [runs] [devices...]   (devices: cpu cuda; cuda also times torch.compile)
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-3}; shift || true
devices=${*:-cpu}
worker=(dotnet "Training.Gpu/bin/$config/net10.0/hmrec-train-gpu.dll")
python=/usr/bin/python3
if ! $python -c "import torch" 2>/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq python3-torch >/dev/null
fi
out=bench/results/two-tower.csv
[ -f "$out" ] || echo "date,machine,implementation,device,batch,steps,samples_per_second_median,runs" > "$out"
threads=$(nproc)
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
measure() { # name device command...
  local name=$1 dev=$2; shift 2
  local values=()
  for _ in $(seq 1 "$runs"); do
    values+=("$("$@" | sed -n 's/.*samples_per_second=\([0-9]*\).*/\1/p')")
  done
  local m; m=$(printf '%s\n' "${values[@]}" | median)
  echo "$(date -u +%F),$machine,$name,$dev,4096,30,$m,$runs" | tee -a "$out"
}
for dev in $devices; do
  measure hmrec "$dev" "${worker[@]}" throughput --device "$dev" --threads "$threads" --batches 30
  measure pytorch-eager "$dev" $python bench/two_tower_torch.py --device "$dev" --threads "$threads" --batches 30
  if [ "$dev" = cuda ]; then
    measure pytorch-compile "$dev" $python bench/two_tower_torch.py --device cuda --compile --batches 30
  fi
done
echo "wrote $out"

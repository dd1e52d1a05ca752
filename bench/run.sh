#!/usr/bin/env bash
# Generation and ingest benchmarks: wall seconds and peak RSS of whole `hmrec` processes, at
# 1M transactions and at full scale (31.8M). Writes bench/results/generate-ingest.csv.
# Usage: bench/run.sh [runs-per-size]   (run from the repository root after `make build`)
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-1}
out=bench/results/generate-ingest.csv
echo "date,machine,step,scale,transactions,run,seconds,peak_rss_mib" > "$out"

measure() { # step scale transactions run command...
  local step=$1 scale=$2 rows=$3 run=$4; shift 4
  /usr/bin/time -f "%e %M" -o bench/work/time.txt "$@" > bench/work/last.log 2>&1
  read -r seconds kib < bench/work/time.txt
  echo "$(date -u +%F),$machine,$step,$scale,$rows,$run,$seconds,$((kib / 1024))" | tee -a "$out"
}

for run in $(seq 1 "$runs"); do
  measure generate 1M 1000000 "$run" "${hmrec[@]}" generate --customers 43160 --articles 10000 --transactions 1000000 --profile classic --out bench/work/1m
  measure ingest 1M 1000000 "$run" "${hmrec[@]}" ingest --data bench/work/1m --out bench/work/1m-ingest
  measure generate full 31788324 "$run" "${hmrec[@]}" generate --scale full --profile classic --out bench/work/full
  measure ingest full 31788324 "$run" "${hmrec[@]}" ingest --data bench/work/full --out bench/work/full-ingest
done
echo "wrote $out"

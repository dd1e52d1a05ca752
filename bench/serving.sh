#!/usr/bin/env bash
# Serving the champion: whole `hmrec bench serving` processes. A champion whose submission names every customer of
# the full dataset (1,371,980, each with 12 articles of its own) is installed in a fresh store; the index load is
# timed, then an in-process host on a free loopback port answers 10,000 GET /api/recommendations/{customerId} one at
# a time (1 in 10 unknown) and 100 POST batches of 100 ids. Writes bench/results/serving.csv.
# Usage: bench/serving.sh [runs] [customers]
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-3}
customers=${2:-1371980}
out=bench/results/serving.csv
[ -f "$out" ] || echo "date,machine,run,customers,load_seconds,index_mb,first_ms,get_p50_ms,get_p95_ms,get_p99_ms,get_max_ms,batch_p50_ms,batch_p99_ms,wrong,wall_seconds,peak_rss_mib" > "$out"
for run in $(seq 1 "$runs"); do
  timed serving "=$run customers load_seconds index_mb first_ms get_p50_ms get_p95_ms get_p99_ms get_max_ms batch_p50_ms batch_p99_ms wrong" \
    bench serving --customers "$customers" --requests 10000 --work bench/work | tee -a "$out"
done
echo "wrote $out"

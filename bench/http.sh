#!/usr/bin/env bash
# HTTP API load test: whole `hmrec bench http` processes (an in-process host on a free loopback port, a
# fresh store): 50 concurrent POST /api/pipelines, then 2,000 status requests 32 at a time while those
# pipelines run, then every instance listed page by page and terminated. Writes bench/results/http.csv.
# Usage: bench/http.sh [runs]
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-3}
out=bench/results/http.csv
[ -f "$out" ] || echo "date,machine,run,starts,accepted,start_seconds,status_requests,status_seconds,status_per_second,p50_ms,p95_ms,p99_ms,errors,lost,wall_seconds,peak_rss_mib" > "$out"
for run in $(seq 1 "$runs"); do
  timed http "=$run starts accepted start_seconds status_requests status_seconds status_per_second p50_ms p95_ms p99_ms errors lost" \
    bench http --starts 50 --status 2000 --work bench/work | tee -a "$out"
done
echo "wrote $out"

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
  /usr/bin/time -f "%e %M" -o bench/work/time.txt "${hmrec[@]}" bench http --starts 50 --status 2000 --work bench/work > bench/work/http.log
  read -r wall kib < bench/work/time.txt
  line=$(tail -1 bench/work/http.log)
  get() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<< "$line"; }
  echo "$(date -u +%F),$machine,$run,$(get starts),$(get accepted),$(get start_seconds),$(get status_requests),$(get status_seconds),$(get status_per_second),$(get p50_ms),$(get p95_ms),$(get p99_ms),$(get errors),$(get lost),$wall,$((kib / 1024))" | tee -a "$out"
done
echo "wrote $out"

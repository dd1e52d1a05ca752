#!/usr/bin/env bash
# Recovery after kill -9: a pipeline run (3,000 customers, no network) is SIGKILLed one second into its recall stage;
# `hmrec worker` is then started on the same store (it finds the embedded Azurite, which survived the kill) and the
# seconds from its start to its first finished activity are measured; it is stopped, and the same `hmrec run`
# completes the run (the killed process's own activities run again once the 30 s visibility timeout has passed).
# Writes bench/results/restart.csv.  Usage: bench/restart.sh [runs]
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-3}
out=bench/results/restart.csv
echo "date,machine,run,seconds_to_first_activity,seconds_to_complete_after_restart" > "$out"
data=bench/work/restart-data
[ -f "$data/transactions_train.csv" ] || "${hmrec[@]}" generate --customers 3000 --articles 1000 --out "$data" > /dev/null
for run in $(seq 1 "$runs"); do
  store=bench/work/restart-$run
  rm -rf "$store"
  args=(run --data "$data" --store "$store" --no-two-tower --max-rounds 30)
  "${hmrec[@]}" "${args[@]}" > bench/work/restart-run.log 2>&1 &
  pid=$!
  until grep -q "  recall  " bench/work/restart-run.log 2>/dev/null; do sleep 0.1; done
  sleep 1
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  start=$(date +%s.%N)
  "${hmrec[@]}" worker --store "$store" > bench/work/restart-worker.log 2>&1 &
  worker=$!
  until grep -q "^activity " bench/work/restart-worker.log 2>/dev/null; do sleep 0.05; done
  first=$(echo "$(date +%s.%N) - $start" | bc)
  kill "$worker"; wait "$worker" 2>/dev/null || true
  /usr/bin/time -f "%e" -o bench/work/time.txt "${hmrec[@]}" "${args[@]}" > bench/work/restart-finish.log 2>&1
  echo "$(date -u +%F),$machine,$run,$(printf %.2f "$first"),$(cat bench/work/time.txt)" | tee -a "$out"
done
echo "wrote $out"

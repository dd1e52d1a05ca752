#!/usr/bin/env bash
# Durable benchmarks: whole `hmrec bench durable` processes, each on a fresh task hub on its own embedded
# Azurite (DTFx's Azure Storage backend), with no-op activities and host.json's settings (2 activities at once).
# Writes bench/results/durable.csv.  Usage: bench/durable.sh [runs-per-scenario]
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-3}
out=bench/results/durable.csv
echo "date,machine,scenario,orchestrations,activities,run,seconds_in_process,activities_per_second,wall_seconds,peak_rss_mib" > "$out"
scenarios=("fanout --n 1000" "chain --n 100" "concurrent --m 10 --n 20")
for run in $(seq 1 "$runs"); do
  for s in "${scenarios[@]}"; do
    # shellcheck disable=SC2086 # a scenario is its name and its arguments
    timed durable "scenario orchestrations activities =$run seconds activities_per_second" bench durable --scenario $s --work bench/work | tee -a "$out"
  done
done
echo "wrote $out"

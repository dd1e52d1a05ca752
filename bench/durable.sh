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
    /usr/bin/time -f "%e %M" -o bench/work/time.txt "${hmrec[@]}" bench durable --scenario $s --work bench/work > bench/work/durable.log
    read -r wall kib < bench/work/time.txt
    line=$(tail -1 bench/work/durable.log)
    get() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<< "$line"; }
    echo "$(date -u +%F),$machine,$(get scenario),$(get orchestrations),$(get activities),$run,$(get seconds),$(get activities_per_second),$wall,$((kib / 1024))" | tee -a "$out"
  done
done
echo "wrote $out"

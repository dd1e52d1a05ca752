#!/usr/bin/env bash
# Recall and features end to end (ingest included): whole `hmrec run` processes at 1M transactions
# and at full scale with half the users sampled or with every user. Wall seconds and peak RSS per run go to
# bench/results/pipeline.csv, seconds per stage to bench/results/pipeline-stages.csv.
# Usage: bench/pipeline.sh [runs] [scales...]   (scales: 1M full-0.5 full; run after `make build`)
# The data are the classic profile (the one the earlier figures were measured on).
# NO_NETWORK=1 adds --no-two-tower (the four rankers only) and labels the rows `<scale>-no-network`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
runs=${1:-1}; shift || true
scales=${*:-1M full-0.5}
out=bench/results/pipeline.csv
stages=bench/results/pipeline-stages.csv
[ -f "$out" ] || echo "date,machine,scale,run,seconds,peak_rss_mib" > "$out"
[ -f "$stages" ] || echo "date,machine,scale,run,stage,activities,rows,activity_seconds,wall_seconds" > "$stages"

for scale in $scales; do
  case $scale in
    1M) data=bench/work/1m; args=()
        [ -f $data/transactions_train.csv ] || "${hmrec[@]}" generate --customers 43160 --articles 10000 --transactions 1000000 --profile classic --out $data >/dev/null ;;
    full-0.5) data=bench/work/full; args=(--sample-fraction 0.5)
        [ -f $data/transactions_train.csv ] || "${hmrec[@]}" generate --scale full --profile classic --out $data >/dev/null ;;
    full) data=bench/work/full; args=()
        [ -f $data/transactions_train.csv ] || "${hmrec[@]}" generate --scale full --profile classic --out $data >/dev/null ;;
    *) echo "unknown scale $scale" >&2; exit 2 ;;
  esac
  if [ "${NO_NETWORK:-0}" = 1 ]; then args+=(--no-two-tower); scale=$scale-no-network; fi
  for run in $(seq 1 "$runs"); do
    store=bench/work/pipeline-$scale
    rm -rf "$store"
    /usr/bin/time -f "%e %M" -o bench/work/time.txt "${hmrec[@]}" run --data $data --store "$store" "${args[@]}" > bench/work/pipeline-$scale.log 2>&1
    read -r seconds kib < bench/work/time.txt
    echo "$(date -u +%F),$machine,$scale,$run,$seconds,$((kib / 1024))" | tee -a "$out"
    python3 - "$store" "$(date -u +%F)" "$machine" "$scale" "$run" >> "$stages" <<'PY'
import glob, json, sys
store, date, machine, scale, run = sys.argv[1:]
result = json.load(open(glob.glob(f"{store}/runs/*/result.json")[0]))
print(f"{date},{machine},{scale},{run},ingest,1,{result['Ingest']['RowsKept']},{result['Ingest']['Seconds']:.1f},{result['Ingest']['Seconds']:.1f}")
for s in result["Stages"]:
    print(f"{date},{machine},{scale},{run},{s['Stage']},{s['Activities']},{s['Rows']},{s['ActivitySeconds']:.1f},{s['WallSeconds']:.1f}")
PY
  done
done
echo "wrote $out and $stages"

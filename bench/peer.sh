#!/usr/bin/env bash
# Stages 1-2 against the seeds' way: ../shared/peer/peer_pandas.py (pandas, Debian's python3-pandas) and HmRec on
# the same files, one after the other on the same machine. Like for like:
#   load + split   the peer reads the three CSV files and cuts history and the validation week; HmRec's ingest
#                  validates, types and splits the same files into parquet (the whole file both ways);
#   recall         the peer's five strategies and their merge, for the validation week's buyers (one user-week each);
#                  HmRec's text vectors, global tables, eight strategies and merge for every label week's targets and
#                  the week after the data's active users: compared per 1,000 user-weeks (wall seconds).
# Memory: the peer's peak RSS against HmRec's peak RSS during those stages (runs/<id>/memory.csv).
# The peer looks back --history-weeks 24 (HmRec's 20 history weeks and 4 training weeks).
# Usage: bench/peer.sh [datasets...]   (default: 1M; also realistic-1M, realistic-5M; run after `make build`)
# Output: bench/results/peer.csv
set -euo pipefail
source "$(dirname "$0")/common.sh"
datasets=${*:-1M}
out=bench/results/peer.csv
peer=../shared/peer/peer_pandas.py
[ -f "$peer" ] || { echo "no $peer: the shared folder must sit beside the checkout" >&2; exit 2; }
if ! /usr/bin/python3 -c "import pandas" 2>/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq --no-install-recommends python3-pandas >/dev/null
fi
[ -f "$out" ] || echo "date,machine,dataset,stage,peer_seconds,hmrec_seconds,peer_user_weeks,hmrec_user_weeks,peer_s_per_1k_user_weeks,hmrec_s_per_1k_user_weeks,speedup,peer_peak_gib,hmrec_peak_gib" > "$out"

for dataset in $datasets; do
  data=bench/work/data-$dataset
  case $dataset in
    1M) gen=(--customers 43160 --articles 10000 --transactions 1000000 --profile classic) ;;
    realistic-1M) gen=(--customers 43160 --articles 10000 --transactions 1000000 --profile realistic) ;;
    realistic-5M) gen=(--customers 330000 --articles 60000 --transactions 5050000 --profile realistic --popularity-concentration 0.7) ;;
    *) echo "unknown dataset $dataset" >&2; exit 2 ;;
  esac
  [ -f $data/transactions_train.csv ] || "${hmrec[@]}" generate "${gen[@]}" --out $data > /dev/null
  /usr/bin/python3 "$peer" "$data" --history-weeks 24 > bench/work/peer-$dataset.json
  store=bench/work/peer-hmrec-$dataset
  rm -rf "$store"
  "${hmrec[@]}" run --data $data --store "$store" --no-two-tower > bench/work/peer-hmrec-$dataset.log 2>&1
  python3 - "$store" bench/work/peer-$dataset.json "$(date -u +%F)" "$machine" "$dataset" >> "$out" <<'PY'
import csv, glob, json, sys
store, peer_file, date, machine, dataset = sys.argv[1:]
peer = json.load(open(peer_file))
run = glob.glob(f"{store}/runs/*/")[0]
result = json.load(open(run + "result.json"))
memory = {r["stage"]: int(r["peak_rss_mib"]) for r in csv.DictReader(open(run + "memory.csv"))}
stages = {s["Stage"]: s for s in result["Stages"]}
ps = peer["seconds"]
peer_load = ps["load"] + ps["split"]
peer_recall = sum(v for k, v in ps.items() if k.startswith("recall_")) + ps["merge"]
peer_users = peer["validation_buyers"]
hm_load = result["Ingest"]["Seconds"]
hm_recall = sum(stages[s]["WallSeconds"] for s in ("text vectors", "recall global", "recall", "merge") if s in stages)
hm_users = sum(w["Targets"] for w in result["Recall"]["Weeks"]) + result["Submission"]["RankedByModels"]
hm_peak = max(memory.get(s, 0) for s in ("ingest", "text vectors", "recall global", "recall", "merge")) / 1024
peer_peak = peer["peak_rss_gib"]
def row(stage, p, h, pu, hu):
    pk = p / pu * 1000 if pu else p
    hk = h / hu * 1000 if hu else h
    print(f"{date},{machine},{dataset},{stage},{p:.2f},{h:.2f},{pu},{hu},{pk:.4f},{hk:.4f},{pk / hk:.1f},{peer_peak:.2f},{hm_peak:.2f}")
row("load+split", peer_load, hm_load, 0, 0)
row("recall", peer_recall, hm_recall, peer_users, hm_users)
PY
  tail -2 "$out"
done
echo "wrote $out"

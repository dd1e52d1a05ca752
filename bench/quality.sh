#!/usr/bin/env bash
# Recommendation quality against the peer's rule, on generated datasets of different shapes: whole
# `hmrec run --no-two-tower` processes, and ../shared/peer/peer_pandas.py's repurchase_then_popular (each buyer's
# past articles over the whole history, latest first, then last week's 12 best sellers) on the same files.
# Per dataset: every model's and baseline's MAP@12, rounds and seconds (bench/results/quality.csv), each recall
# strategy's recall@N curve and the merged candidates' recall (bench/results/recall.csv), and the best model's
# ratio to the peer's rule and to our own rule (bench/results/peer-ratios.csv).
# Usage: bench/quality.sh [datasets...]   (default: hm-1M long-cycle-1M realistic-1M; run after `make build`)
#   DATA=folder bench/quality.sh name      runs on an H&M-format folder HmRec did not generate instead
#   default       the default dataset of `make run` (20,000 customers, 6,000 articles, profile hm)
#   hm-1M         1,000,000 rows, 43,160 customers, 10,000 articles, --profile hm (the default profile: about 1 % of rows on
#                 the 12 best sellers, repurchases from weeks to over a year apart, a peak the same week a year later)
#   long-cycle-1M the same sizes, --profile long-cycle (most repurchases more than 24 weeks apart)
#   hm-5M, long-cycle-5M  5,050,000 rows, 330,000 customers, 60,000 articles, the same profiles with a popularity
#                 concentration of 0.7: at 60k articles the profiles' 0.2 puts only 0.2 % of rows on the 12 best
#                 sellers; 0.7 about 1 %, as on the real data
#   classic-1M    the 1M sizes, --profile classic (the original generator: big hits, short repurchase gaps)
#   realistic-1M  the same sizes, --profile realistic (sales spread like the real data, repurchases about two months apart)
#   weak-taste-1M the 1M sizes, realistic, with weak personal taste (--section-loyalty 0.3) and long,
#                 frequent repurchases (--repurchase-horizon-days 240 --repurchase-propensity 3): the data where
#                 re-offering past purchases, the simple rule, is most of what can be learnt
#   realistic-5M  5,050,000 rows, 330,000 customers, 60,000 articles, --profile realistic with a popularity
#                 concentration of 0.7: at 60k articles the profile's 0.35 spreads sales thinner than the real
#                 data; 0.7 puts about 1 % of rows on the 12 best sellers, as there (--stats prints it)
set -euo pipefail
source "$(dirname "$0")/common.sh"
datasets=${*:-hm-1M long-cycle-1M realistic-1M}
quality=bench/results/quality.csv
recall=bench/results/recall.csv
[ -f "$quality" ] || echo "date,machine,dataset,model,kind,map12,map12_candidate_users,best_round,rounds,seconds,vs_rule" > "$quality"
[ -f "$recall" ] || echo "date,machine,dataset,strategy,candidates_per_user,recall,recall_at" > "$recall"
ratios=bench/results/peer-ratios.csv
[ -f "$ratios" ] || echo "date,machine,dataset,rows,peer_rule,our_rule,our_rule_vs_peer,best_model,best_map12,best_vs_peer,best_vs_our_rule,seconds,peak_rss_mib" > "$ratios"
if ! /usr/bin/python3 -c "import pandas" 2>/dev/null; then bash tools/setup.sh; fi

for dataset in $datasets; do
  data=bench/work/data-$dataset
  case $dataset in
    default) gen=() ;;
    hm-1M) gen=(--customers 43160 --articles 10000 --transactions 1000000 --profile hm) ;;
    long-cycle-1M) gen=(--customers 43160 --articles 10000 --transactions 1000000 --profile long-cycle) ;;
    hm-5M) gen=(--customers 330000 --articles 60000 --transactions 5050000 --profile hm --popularity-concentration 0.7) ;;
    long-cycle-5M) gen=(--customers 330000 --articles 60000 --transactions 5050000 --profile long-cycle --popularity-concentration 0.7) ;;
    classic-1M|1M) gen=(--customers 43160 --articles 10000 --transactions 1000000 --profile classic) ;;
    realistic-1M) gen=(--customers 43160 --articles 10000 --transactions 1000000 --profile realistic) ;;
    weak-taste-1M) gen=(--customers 43160 --articles 10000 --transactions 1000000 --profile realistic --section-loyalty 0.3 --repurchase-horizon-days 240 --repurchase-propensity 3) ;;
    realistic-5M) gen=(--customers 330000 --articles 60000 --transactions 5050000 --profile realistic --popularity-concentration 0.7) ;;
    *) [ -n "${DATA:-}" ] || { echo "unknown dataset $dataset" >&2; exit 2; } ;;
  esac
  if [ -n "${DATA:-}" ]; then data=$DATA; fi
  [ -f $data/transactions_train.csv ] || "${hmrec[@]}" generate "${gen[@]}" --out $data --stats > bench/work/generate-$dataset.log
  [ -f bench/work/peer-$dataset.json ] || /usr/bin/python3 ../shared/peer/peer_pandas.py $data > bench/work/peer-$dataset.json
  store=bench/work/quality-$dataset
  rm -rf "$store"
  /usr/bin/time -f "%e %M" -o bench/work/time.txt "${hmrec[@]}" run --data $data --store "$store" --no-two-tower > bench/work/quality-$dataset.log 2>&1
  read -r seconds kib < bench/work/time.txt
  echo "$dataset: ${seconds} s, peak RSS $((kib / 1024)) MiB"
  python3 - "$store" "$(date -u +%F)" "$machine" "$dataset" "$quality" "$recall" "$ratios" "bench/work/peer-$dataset.json" "$seconds" "$((kib / 1024))" <<'PY'
import glob, json, sys
store, date, machine, dataset, quality, recall, ratios, peer_file, seconds, rss = sys.argv[1:]
run = glob.glob(f"{store}/runs/*/")[0]
metrics = json.load(open(f"{run}/eval/metrics.json"))
result = json.load(open(f"{run}/result.json"))
summaries = {m["Model"]: m for m in result.get("Models") or []}
models = metrics["Models"]
rule = next(m for m in models if m["Model"] == "baseline_recent_then_top12")["AllBuyers"]["Map12"]
with open(quality, "a") as q:
    for m in models:
        s = summaries.get(m["Model"], {})
        ratio = m["AllBuyers"]["Map12"] / rule if rule else 0
        q.write(f"{date},{machine},{dataset},{m['Model']},{m['Kind']},{m['AllBuyers']['Map12']:.5f},{m['CandidateUsers']['Map12']:.5f},"
                f"{s.get('BestRound', '')},{s.get('Rounds', '')},{s.get('Seconds', 0):.1f},{ratio:.3f}\n")
        print(f"  {m['Model']:34} {m['AllBuyers']['Map12']:.5f}  {ratio:.2f}x the rule")
peer = json.load(open(peer_file))
peer_rule = peer["baseline_map12"]["repurchase_then_popular"]
best = next(m for m in models if m["Kind"] != "baseline")
with open(ratios, "a") as r:
    r.write(f"{date},{machine},{dataset},{peer['rows']},{peer_rule:.5f},{rule:.5f},{rule / peer_rule:.3f},{best['Model']},"
            f"{best['AllBuyers']['Map12']:.5f},{best['AllBuyers']['Map12'] / peer_rule:.3f},{best['AllBuyers']['Map12'] / rule:.3f},{seconds},{rss}\n")
print(f"  peer's rule {peer_rule:.5f}; our rule {rule / peer_rule:.3f}x it; best model {best['Model']} {best['AllBuyers']['Map12'] / peer_rule:.2f}x it")
report = json.load(open(f"{run}/recall/report.json"))
week = next(w for w in report["Weeks"] if w["Week"] == 0)
with open(recall, "a") as r:
    for row in week["Rows"]:
        curve = " ".join(f"{k}:{v:.4f}" for k, v in (row.get("RecallAt") or {}).items())
        r.write(f"{date},{machine},{dataset},{row['Strategy']},{row['CandidatesPerUser']:.1f},{row['Recall']:.4f},{curve}\n")
        print(f"  recall {row['Strategy']:12} {row['CandidatesPerUser']:6.1f}/user {row['Recall']:.4f}  {curve}")
PY
done
echo "wrote $quality, $recall and $ratios"

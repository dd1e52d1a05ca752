#!/usr/bin/env bash
# Screenshots of the last run in a store (what `make run` just ran): its report, and the monitor page of an `hmrec serve`
# started here on the same store, with the run in the list and the run's own view. Headless Chromium (Debian's,
# installed by `make setup`) driven by bench/screenshots.cs. The pictures go to the run's own folder
# (<store>/runs/<id>/screenshots/) unless another folder is given: `make screenshots` gives bench/screenshots/, the
# README's pictures, so those tracked files change only on purpose.
# Usage: bench/screenshots.sh [store] [folder]   (default .hmrec; after `make build` and a run)
set -euo pipefail
cd "$(dirname "$0")/.."
store="${1:-.hmrec}"
HMREC=(dotnet "Cli/bin/${CONFIG:-Release}/net10.0/hmrec.dll")
report=$(ls -t "$store"/runs/*/eval/report.html 2>/dev/null | head -1 || true)
if [[ -z "$report" ]]; then
  echo "screenshots: no run with a report in $store/runs" >&2
  exit 1
fi
run_id=$(basename "$(dirname "$(dirname "$report")")")
out="${2:-$store/runs/$run_id/screenshots}"
# Node is there on every machine HmRec sets up (it runs Azurite): a free loopback port and a random key.
port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
key=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64url"))')
log=$(mktemp)
export HMREC_SYSTEM_KEY="$key"
"${HMREC[@]}" serve --store "$store" --port "$port" >"$log" 2>&1 &
serve=$!
trap 'kill "$serve" 2>/dev/null; wait "$serve" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$port/api/health"; then break; fi
  if ! kill -0 "$serve" 2>/dev/null; then cat "$log" >&2; echo "screenshots: hmrec serve did not start" >&2; exit 1; fi
  sleep 0.5
done
dotnet run --file bench/screenshots.cs -- "$report" "http://127.0.0.1:$port" "$run_id" "$out"

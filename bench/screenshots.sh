#!/usr/bin/env bash
# Screenshots of the run report and the monitor for the README: the browser tests (headless Chromium against a
# real `hmrec serve` that has run a small pipeline) save each page they check into bench/screenshots/.
# Usage: bench/screenshots.sh   (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/screenshots
HMREC_SCREENSHOTS="$PWD/bench/screenshots" dotnet test tests/HmRec.Cli.Tests -c "${CONFIG:-Release}" --no-build --nologo \
  --filter "FullyQualifiedName~HmRec.Cli.Tests.Browser" | tail -3
ls -la bench/screenshots

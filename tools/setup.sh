#!/usr/bin/env bash
# Installs what HmRec needs on a Debian machine with the .NET SDK, Node and npm. Idempotent: each step
# checks first and does nothing when its part is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

# 1. From Debian: OpenBLAS, g++ (the test suite builds its CUDA emulator with it), Chromium (the browser tests open the
# run report and the monitor in it, headless) and pandas (the test suite and bench/ run ../shared/peer/peer_pandas.py, the
# rule HmRec is measured against). LightGBM and DuckDB come from NuGet.
packages=(libopenblas0-pthread g++ chromium xz-utils python3-pandas)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 2. npm-delivered tools pinned in tools/package-lock.json: Azurite.
lock_hash=$(sha256sum tools/package-lock.json | cut -c1-64)
stamp=tools/node_modules/.hmrec-lock-hash
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ] \
   || [ ! -f tools/node_modules/azurite/package.json ]; then
  echo "setup: npm ci in tools/"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$stamp"
fi

# 3. NuGet packages.
dotnet restore HmRec.Functions.sln --nologo -v quiet

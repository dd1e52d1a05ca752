# Sourced by the bench scripts: the CLI to time, GNU time for peak RSS, output folders, the machine.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
config=${CONFIG:-Release}
# HMREC_APP: a copy of the build to time instead (so that a long benchmark and a new build do not share files).
hmrec=(dotnet "${HMREC_APP:-Cli/bin/$config/net10.0}/hmrec.dll")
if [ ! -x /usr/bin/time ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq time >/dev/null
fi
mkdir -p bench/work bench/results
machine="$(nproc) cores / $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"

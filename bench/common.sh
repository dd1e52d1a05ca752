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

# timed NAME FIELDS ARGS...: times one whole `hmrec ARGS...` process (GNU time) and prints a CSV row: the date, the
# machine, FIELDS (each a key of the key=value pairs on the command's last output line, or =VALUE for a value
# given here), the wall seconds and the peak RSS in MiB. The command's output is kept in bench/work/NAME.log.
timed() {
  local name=$1 fields=$2 wall kib line field row=""
  shift 2
  /usr/bin/time -f "%e %M" -o bench/work/time.txt "${hmrec[@]}" "$@" > "bench/work/$name.log"
  read -r wall kib < bench/work/time.txt
  line=$(tail -1 "bench/work/$name.log")
  for field in $fields; do
    if [[ $field == =* ]]; then row+=",${field#=}"; else row+=",$(sed -n "s/.*\b$field=\([^ ]*\).*/\1/p" <<< "$line")"; fi
  done
  echo "$(date -u +%F),$machine$row,$wall,$((kib / 1024))"
}

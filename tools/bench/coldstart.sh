#!/usr/bin/env bash
# Cold start and idle memory of a published `appliance` binary on the sim board: seconds from exec to /health
# answering, then VmRSS after 10 s idle. Run by hand after `make publish` (figures depend on the machine and its load).
#   tools/bench/coldstart.sh [BINARY] [RUNS]
set -uo pipefail
bin=${1:-out/linux-x64/appliance}
runs=${2:-3}
[ -x "$bin" ] || { echo "coldstart: $bin is not there (make publish)" >&2; exit 1; }
bin=$(readlink -f "$bin")
echo "binary: $(du -b "$bin" | cut -f1) bytes; with its native libraries: $(du -cb "$bin" "$(dirname "$bin")"/*.so | tail -n1 | cut -f1) bytes"
for i in $(seq 1 "$runs"); do
  state=$(mktemp -d)
  t0=$(date +%s.%N)
  # From "/", as systemd starts it (no WorkingDirectory=): what start-up does with its working directory shows.
  (cd / && exec "$bin" --board sim --state-dir "$state" --config none --discovery:enabled=false --bind 127.0.0.1 \
    --uos-port 42349 --camera-port 48088 --admin-port 48090) >"$state/log" 2>&1 &
  pid=$!
  until curl -sf http://127.0.0.1:48090/health >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "coldstart: the binary exited:"; cat "$state/log"; exit 1; }
    sleep 0.01
  done
  t1=$(date +%s.%N)
  sleep 10
  rss=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  echo "run $i: /health after $(awk "BEGIN{printf \"%.2f\", $t1 - $t0}") s; idle RSS $rss kB"
  kill "$pid"; wait "$pid" 2>/dev/null; rm -rf "$state"
done

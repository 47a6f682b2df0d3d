#!/usr/bin/env bash
# Memory of a running terminal under camera grabs and big bodies, read from /proc/PID/status (VmRSS, VmHWM).
# A by-hand measurement for docs/BUDGETS.md; the hostile load tool (tools/load) is the full version.
#   tools/bench/memory-grab.sh BINARY [GRABS...]     e.g. tools/bench/memory-grab.sh out/linux-x64/appliance 300 900
# Env: QUIET (seconds of quiet before the last reading, 60), CONC (concurrent grabs, 4), BODIES (concurrent 60 MB
# bodies, 0 = skip), PORT_BASE (43000: uos, +1 camera, +2 admin).
set -euo pipefail
bin=$1; shift
grabs=("${@:-300}")
quiet=${QUIET:-60}; conc=${CONC:-4}; bodies=${BODIES:-0}; base=${PORT_BASE:-43000}
cam=$((base + 1)); admin=$((base + 2))
state=$(mktemp -d /tmp/appliance-mem.XXXXXX)
"$bin" --board sim --state-dir "$state" --config none --discovery:enabled=false --tls:mode=http \
  --ports:uos=$base --ports:cameraService=$cam --ports:admin=$admin --access:requirePairing=false >"$state.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$state" "$state.log" /tmp/appliance-mem-body.$$' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$admin/health" >/dev/null && break; sleep 0.1; done
mb() { awk -v k="$1" '$1==k":" {printf "%.1f", $2/1024}' /proc/$pid/status; }
report() { echo "$1: rss $(mb VmRSS) MB, peak $(mb VmHWM) MB"; }
sleep 3; report idle
grab() { curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$cam/video=grabimage" -d '{"camidx":"0","filepath":"base64"}'; }
export -f grab; export cam
done_=0
for n in "${grabs[@]}"; do
  seq $((n - done_)) | xargs -P "$conc" -I{} bash -c grab | sort | uniq -c | tr '\n' ' '; echo
  done_=$n; report "after $n grabs"
done
if [ "$bodies" -gt 0 ]; then
  head -c $((60 * 1024 * 1024)) /dev/zero | tr '\0' A | { printf '{"type":"set_cache_data","key":"big","value":"'; cat; printf '"}'; } >/tmp/appliance-mem-body.$$
  seq "$bodies" | xargs -P "$bodies" -I{} curl -s -o /dev/null -w '%{http_code} ' -X POST --data-binary @/tmp/appliance-mem-body.$$ "http://127.0.0.1:$cam/param=set"; echo
  report "after $bodies x 60 MB bodies"
fi
sleep "$quiet"; report "after ${quiet}s quiet"
curl -s "http://127.0.0.1:$admin/health" | grep -o '"memory":{[^}]*}' || true

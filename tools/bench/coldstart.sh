#!/usr/bin/env bash
# Cold start and idle memory of a published `appliance` binary on the sim board, next to issue 13's anchor: a minimal
# Kestrel NativeAOT app (tools/bench/KestrelAnchor, published here) timed the same way in the same run.
#   exec → first answer to GET /health, the terminal first with a fresh state directory (first boot: it makes its TLS
#   key), then reusing one (every later boot), each run once per round; then VmRSS after 10 s idle.
# Run by hand after `make publish` (figures depend on the machine and its load):
#   tools/bench/coldstart.sh [BINARY] [ROUNDS]
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-out/linux-x64/appliance}
rounds=${2:-3}
[ -x "$bin" ] || { echo "coldstart: $bin is not there (make publish)" >&2; exit 1; }
bin=$(readlink -f "$bin")
anchor_dir=out/bench/kestrel-anchor
if [ ! -x "$anchor_dir/kestrel-anchor" ] || [ -n "$(find tools/bench/KestrelAnchor -newer "$anchor_dir/kestrel-anchor" -name '*.cs*' 2>/dev/null)" ]; then
  dotnet publish tools/bench/KestrelAnchor/KestrelAnchor.csproj -c Release -r linux-x64 -o "$anchor_dir" -v:quiet -nologo >/dev/null \
    || { echo "coldstart: could not publish the anchor" >&2; exit 1; }
fi
anchor=$(readlink -f "$anchor_dir/kestrel-anchor")
echo "binary: $(du -b "$bin" | cut -f1) bytes; with its native libraries: $(du -cb "$bin" "$(dirname "$bin")"/*.so | tail -n1 | cut -f1) bytes; anchor: $(du -b "$anchor" | cut -f1) bytes"

# Seconds from exec to the first 200 from URL into $elapsed; the process keeps running (its pid in $started).
# Called directly, never in $(...): a subshell would lose both.
time_to_health() { # directory to start in, url, command...
  local dir=$1 url=$2; shift 2
  local t0 t1
  t0=$(date +%s.%N)
  (cd "$dir" && exec "$@") >"$log" 2>&1 &
  started=$!
  until curl -sf "$url" >/dev/null; do
    kill -0 "$started" 2>/dev/null || { echo "coldstart: $1 exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.002
  done
  t1=$(date +%s.%N)
  elapsed=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}")
}

warm=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$warm" "$log"' EXIT
terminal() { # state dir
  # From "/", as systemd starts it (no WorkingDirectory=): what start-up does with its working directory shows.
  time_to_health / http://127.0.0.1:48090/health "$bin" --board sim --state-dir "$1" --config none --discovery:enabled=false \
    --bind 127.0.0.1 --uos-port 42349 --camera-port 48088 --admin-port 48090
}
stop() { kill "$started"; wait "$started" 2>/dev/null; }

# The warm state directory's TLS key and journal exist before the first measured run.
terminal "$warm"; stop
declare -a anchors firsts laters
for i in $(seq 1 "$rounds"); do
  # From its own folder: the template's defaults (a config watcher on the content root, the working directory) make
  # it walk the whole tree when started from "/" (1.9 s here); the terminal sets its content root (issue 13 notes).
  time_to_health "$(dirname "$anchor")" http://127.0.0.1:48190/health "$anchor" 48190; anchors+=("$elapsed"); stop
  fresh=$(mktemp -d)
  terminal "$fresh"; firsts+=("$elapsed"); stop; rm -rf "$fresh"
  terminal "$warm"; laters+=("$elapsed")
  if [ "$i" = "$rounds" ]; then sleep 10; rss=$(awk '/VmRSS/{print $2}' "/proc/$started/status"); fi
  stop
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
a=$(median "${anchors[@]}"); f=$(median "${firsts[@]}"); l=$(median "${laters[@]}")
ratio() { awk "BEGIN{printf \"%.1f\", $1 / $2}"; }
echo "cold start, exec → /health (median of $rounds; each: ${laters[*]} s)"
echo "  anchor (minimal Kestrel NativeAOT):  $a s"
echo "  terminal, state directory exists:    $l s   = $(ratio "$l" "$a") × anchor (goal ≤ 1.2 ×)"
echo "  terminal, first boot (makes its key): $f s   = $(ratio "$f" "$a") × anchor"
echo "idle RSS after 10 s (state directory exists): $rss kB (goal < 40960 kB)"

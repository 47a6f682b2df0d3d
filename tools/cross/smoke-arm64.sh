#!/usr/bin/env bash
# Smoke-test an arm64 appliance binary on an x64 host under qemu-aarch64-static:
# start it with the sim board on three free loopback ports, poll /health on the admin port.
#
#   tools/cross/smoke-arm64.sh BINARY
#
# Env: SMOKE_TIMEOUT (seconds, default 120), QEMU (default qemu-aarch64-static),
#      BOARD (default sim). Extra args after BINARY are passed to the binary.
# Runs against the host's arm64 multiarch libs (libc6:arm64, libssl3:arm64 ... installed by
# make-sysroot.sh), so no -L sysroot is given to qemu.
set -euo pipefail

die() { printf '[smoke-arm64] ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '[smoke-arm64] %s\n' "$*" >&2; }

[ $# -ge 1 ] || die "usage: $0 BINARY [extra args...]"
BIN="$1"; shift
[ -x "$BIN" ] || die "not an executable: $BIN"
QEMU="${QEMU:-qemu-aarch64-static}"
TIMEOUT="${SMOKE_TIMEOUT:-120}"
BOARD="${BOARD:-sim}"
command -v "$QEMU" >/dev/null || die "$QEMU not found (run tools/cross/make-sysroot.sh)"
command -v curl >/dev/null || die "curl not found"
[ -e /lib/ld-linux-aarch64.so.1 ] || die "arm64 loader missing: install libc6:arm64 (tools/cross/make-sysroot.sh)"
file -b "$BIN" | grep -q 'ARM aarch64' || die "$BIN is not an aarch64 ELF: $(file -b "$BIN")"

# Three distinct free TCP ports on 127.0.0.1 (kernel-assigned, then released).
free_ports() {
  if command -v python3 >/dev/null; then
    python3 - <<'PY'
import socket
socks = []
for _ in range(3):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()
PY
  else
    local used ports=() p
    used="$(ss -Htln 2>/dev/null | awk '{print $4}' | sed 's/.*://')"
    while [ "${#ports[@]}" -lt 3 ]; do
      p=$(( 20000 + RANDOM % 30000 ))
      grep -qx "$p" <<<"$used" || [[ " ${ports[*]} " == *" $p "* ]] || ports+=("$p")
    done
    echo "${ports[*]}"
  fi
}
read -r P1 P2 P3 < <(free_ports)

STATE="$(mktemp -d)"
LOGF="$(mktemp)"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$STATE"
}
trap cleanup EXIT

log "starting $BIN under $QEMU (uos=$P1 camera=$P2 admin=$P3, state=$STATE)"
start_ns=$(date +%s%N)
"$QEMU" "$BIN" --board "$BOARD" --state-dir "$STATE" \
  --uos-port "$P1" --camera-port "$P2" --admin-port "$P3" "$@" >"$LOGF" 2>&1 &
pid=$!

deadline=$(( $(date +%s) + TIMEOUT ))
body=""
while :; do
  if body="$(curl -fsS --max-time 5 "http://127.0.0.1:$P3/health" 2>/dev/null)"; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    wait "$pid"; rc=$?
    echo "----- process log ($LOGF) -----" >&2; cat "$LOGF" >&2
    die "process exited with code $rc before /health answered"
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "----- process log ($LOGF) -----" >&2; cat "$LOGF" >&2
    die "/health did not answer within ${TIMEOUT}s"
  fi
  sleep 0.25
done
secs="$(awk -v a="$start_ns" -v b="$(date +%s%N)" 'BEGIN{printf "%.2f", (b-a)/1e9}')"
echo "$body"
log "healthy after ${secs}s under qemu"
rm -f "$LOGF"

#!/usr/bin/env bash
# A smart card in the simulated terminal's PC/SC reader, for `make run`: pcscd with vsmartcard's virtual reader
# (vpcd) and one of the card emulators beside this script, so card=iccard / card=sociaseceritycard answer as with
# a card on a real reader.
#   tools/sim-cards/sim-card.sh start [emv|social|emv_contact_pse|unknown] [STATE_DIR]
#   tools/sim-cards/sim-card.sh stop [STATE_DIR]
# Needs root (pcscd owns /run/pcscd) and the packages tools/install-deps.sh installs; without them it says so and
# does nothing: the terminal then reports the smart-card reader absent, as a terminal without one would.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
action=${1:-start}
card=${2:-emv}
state=${3:-${STATE_DIR:-/tmp}}
[ "$action" = stop ] && state=${2:-${STATE_DIR:-/tmp}}
pids="$state/sim-card.pids"

stop() {
  [ -f "$pids" ] || return 0
  while read -r pid; do kill "$pid" 2>/dev/null; done < "$pids"
  rm -f "$pids"
}

if [ "$action" = stop ]; then stop; exit 0; fi
case "$card" in
  emv) script=emv_card.py ;; social) script=social_security_card.py ;;
  emv_contact_pse) script=emv_contact_pse_card.py ;; unknown) script=unknown_card.py ;;
  *) echo "sim-card: unknown card '$card' (emv, social, emv_contact_pse, unknown)" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/pcscd ] || [ ! -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ]; then
  echo "sim-card: no simulated smart card (needs root, pcscd and vsmartcard-vpcd: tools/install-deps.sh)" >&2
  exit 0
fi
mkdir -p "$state"; stop
if ! pgrep -x pcscd >/dev/null; then
  /usr/sbin/pcscd --foreground >/dev/null 2>&1 & echo $! >> "$pids"
fi
# vicc connects to vpcd once pcscd has loaded it; the emulator retries for 30 s on its own.
PYTHONPATH="/usr/lib/python3/site-packages/virtualsmartcard:$here" \
  /usr/bin/python3 "$here/$script" --port 35963 >"$state/sim-card.log" 2>&1 & echo $! >> "$pids"
echo "sim-card: $card card in the virtual reader (log: $state/sim-card.log)"

#!/usr/bin/env bash
# Host packages for `make vm-test` (kept out of tools/install-deps.sh so `make test` stays lean):
# the arm64 system emulator, a static arm64 C compiler for the in-VM helpers, cpio for the
# initramfs, and the arm64 foreign architecture for `apt-get download PKG:arm64`.
set -euo pipefail
log() { printf '[vm/install-deps] %s\n' "$*" >&2; }
PKGS=(qemu-system-arm qemu-utils gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio kmod xz-utils zstd
      python3 curl ca-certificates file)
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"

updated=0
update() { [ "$updated" = 1 ] || { log "apt-get update"; $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null; updated=1; }; }

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  log "dpkg --add-architecture arm64"
  $SUDO dpkg --add-architecture arm64
  update
fi
ls /var/lib/apt/lists/*_binary-arm64_Packages* >/dev/null 2>&1 || update

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  update
  log "apt-get install ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/tmp/vm-install-deps.log 2>&1 \
    || { tail -n 30 /tmp/vm-install-deps.log >&2; exit 1; }
fi
for t in qemu-system-aarch64 aarch64-linux-gnu-gcc cpio depmod python3 curl; do
  command -v "$t" >/dev/null || { log "missing $t after install"; exit 1; }
done

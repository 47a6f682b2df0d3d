#!/usr/bin/env bash
# Assemble an arm64 (aarch64-linux-gnu) sysroot for cross NativeAOT linking, and install
# the host tools + arm64 multiarch runtime libs needed to link and to run the result
# under qemu-aarch64-static.
#
#   SYSROOT=/opt/appliance-sysroot-arm64 tools/cross/make-sysroot.sh
#
# Idempotent: host packages are only installed when missing; the sysroot is rebuilt only
# when its stamp file is missing or the package list below changed. FORCE=1 rebuilds.
# Needs root (apt-get, dpkg --add-architecture).
set -euo pipefail

SYSROOT="${SYSROOT:-/opt/appliance-sysroot-arm64}"
DEB_CACHE="${DEB_CACHE:-/var/cache/appliance-sysroot-debs}"
FORCE="${FORCE:-0}"

# Host tools: clang drives the link (ILCompiler passes --target=aarch64-linux-gnu),
# binutils-aarch64-linux-gnu gives ld.bfd (-fuse-ld=bfd -> aarch64-linux-gnu-ld) and
# aarch64-linux-gnu-objcopy/strip; lld is an alternative linker.
HOST_PKGS=(clang lld binutils-aarch64-linux-gnu qemu-user-static file curl ca-certificates)
# arm64 multiarch runtime libs so qemu-aarch64-static can run the binary against the host's
# /lib/ld-linux-aarch64.so.1 (libssl3 is dlopen'ed by System.Security.Cryptography.Native,
# needed for the WebSocket handshake SHA1 and TLS).
RUNTIME_PKGS=(libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64 libssl3:arm64 zlib1g:arm64)
# Link-time contents of the sysroot (crt*.o, libc/libm/libdl/librt/libpthread .so + linker
# scripts, kernel headers, libgcc + crtbegin/crtend, libstdc++ for LinkStandardCPlusPlusLibrary,
# zlib for UseSystemZlib).
SYSROOT_PKGS=(libc6 libc6-dev linux-libc-dev libcrypt1 libcrypt-dev libgcc-s1 libgcc-12-dev
              libstdc++6 libstdc++-12-dev zlib1g zlib1g-dev libssl3 libssl-dev)
STAMP="$SYSROOT/.appliance-sysroot.stamp"
STAMP_CONTENT="v1 ${SYSROOT_PKGS[*]}"

log()  { printf '[make-sysroot] %s\n' "$*" >&2; }
die()  { printf '[make-sysroot] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'die "failed at line $LINENO (exit $?): ${BASH_COMMAND}"' ERR

[ "$(id -u)" = 0 ] || die "must run as root (apt-get / dpkg --add-architecture)"
{ command -v dpkg >/dev/null && command -v apt-get >/dev/null; } || die "needs a Debian/Ubuntu host with dpkg + apt-get"
export DEBIAN_FRONTEND=noninteractive

apt_updated=0
apt_update() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
}

# 1. arm64 as a foreign architecture.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  log "dpkg --add-architecture arm64"
  dpkg --add-architecture arm64
  apt_update
fi
if ! ls /var/lib/apt/lists/*_binary-arm64_Packages* >/dev/null 2>&1; then
  apt_update
fi

# 2. Host tools and arm64 runtime libs (only what is missing).
missing=()
for p in "${HOST_PKGS[@]}" "${RUNTIME_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt_update
  log "apt-get install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/tmp/make-sysroot-apt.log 2>&1 \
    || { tail -n 30 /tmp/make-sysroot-apt.log >&2; die "apt-get install failed (log: /tmp/make-sysroot-apt.log)"; }
fi
for t in clang aarch64-linux-gnu-ld aarch64-linux-gnu-objcopy aarch64-linux-gnu-strip qemu-aarch64-static; do
  command -v "$t" >/dev/null || die "host tool '$t' still missing after install"
done
[ -e /lib/ld-linux-aarch64.so.1 ] || die "arm64 dynamic loader /lib/ld-linux-aarch64.so.1 missing (libc6:arm64)"

# 3. The sysroot.
if [ "$FORCE" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$STAMP_CONTENT" ]; then
  log "sysroot $SYSROOT up to date (stamp); FORCE=1 to rebuild"
  exit 0
fi

log "building sysroot $SYSROOT from ${#SYSROOT_PKGS[@]} Debian arm64 packages"
mkdir -p "$DEB_CACHE"
rm -rf "$SYSROOT.tmp"
mkdir -p "$SYSROOT.tmp"
(
  cd "$DEB_CACHE"
  rm -f ./*.deb
  pkgs=()
  for p in "${SYSROOT_PKGS[@]}"; do pkgs+=("$p:arm64"); done
  apt-get download -qq "${pkgs[@]}" >/tmp/make-sysroot-download.log 2>&1 || {
    apt_update
    apt-get download -qq "${pkgs[@]}" >/tmp/make-sysroot-download.log 2>&1
  } || { cat /tmp/make-sysroot-download.log >&2; die "apt-get download failed"; }
)
for deb in "$DEB_CACHE"/*_arm64.deb "$DEB_CACHE"/*_all.deb; do
  [ -e "$deb" ] || continue
  dpkg-deb -x "$deb" "$SYSROOT.tmp"
done

# Turn absolute symlinks into relative ones so they resolve inside the sysroot.
while IFS= read -r -d '' link; do
  target="$(readlink "$link")"
  case "$target" in
    /*)
      rel="$(realpath -m --relative-to="$(dirname "$link")" "$SYSROOT.tmp$target")"
      ln -sfn "$rel" "$link"
      ;;
  esac
done < <(find "$SYSROOT.tmp" -type l -print0)

# Sanity: the files clang/ld need to link a PIE against glibc.
for f in usr/lib/aarch64-linux-gnu/crt1.o usr/lib/aarch64-linux-gnu/Scrt1.o usr/lib/aarch64-linux-gnu/crti.o \
         usr/lib/aarch64-linux-gnu/libc.so usr/lib/aarch64-linux-gnu/libm.so usr/include/stdio.h \
         usr/lib/gcc/aarch64-linux-gnu/12/crtbeginS.o usr/lib/gcc/aarch64-linux-gnu/12/libgcc.a \
         usr/lib/aarch64-linux-gnu/libz.so; do
  [ -e "$SYSROOT.tmp/$f" ] || die "sysroot incomplete: $f missing"
done
broken="$(find "$SYSROOT.tmp" -xtype l -path '*/lib/*' \( -name 'libc.so*' -o -name 'libm.so*' -o -name 'libz.so*' -o -name 'libgcc_s.so*' -o -name 'libdl.so*' -o -name 'librt.so*' \) || true)"
[ -z "$broken" ] || die "broken symlinks in sysroot: $broken"

# Smoke: cross-compile and run a tiny C program (C++ too) with the same driver flags
# ILCompiler uses.
tmpc="$(mktemp -d)"
printf '#include <stdio.h>\n#include <math.h>\nint main(void){printf("sysroot ok %%g\\n", sqrt(16.0));return 0;}\n' >"$tmpc/t.c"
clang --target=aarch64-linux-gnu --sysroot="$SYSROOT.tmp" -fuse-ld=bfd -pie -fPIE -O2 \
      -o "$tmpc/t" "$tmpc/t.c" -lm -ldl -lrt -pthread 2>"$tmpc/err" \
  || { cat "$tmpc/err" >&2; die "test link against sysroot failed"; }
out="$(qemu-aarch64-static "$tmpc/t" 2>&1)" || die "test binary failed under qemu: $out"
[ "$out" = "sysroot ok 4" ] || die "unexpected test output: $out"
rm -rf "$tmpc"

rm -rf "$SYSROOT"
mv "$SYSROOT.tmp" "$SYSROOT"
echo "$STAMP_CONTENT" >"$STAMP"
log "sysroot ready: $SYSROOT ($(du -sh "$SYSROOT" | cut -f1))"

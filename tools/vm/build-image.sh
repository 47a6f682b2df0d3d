#!/usr/bin/env bash
# Assemble the emulated arm64 terminal from Debian packages only: the arm64 kernel and the modules
# the terminal needs, busybox-static, the libraries and font the firmware loads, the firmware
# itself, its board profile and the in-VM helpers - all packed into one initramfs.
#
#   tools/vm/build-image.sh FIRMWARE_DIR OUT_DIR
#
# FIRMWARE_DIR: an arm64 publish of src/Appliance.Host (tools/cross/publish-arm64.sh).
# OUT_DIR gets vmlinuz, initramfs.cpio and image.txt (contents and sizes).
# Env: VM_CACHE (default /var/cache/appliance-vm) holds the downloaded .debs and the unpacked
# kernel, so a second build downloads nothing.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

die() { printf '[vm/build-image] ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '[vm/build-image] %s\n' "$*" >&2; }

[ $# -eq 2 ] || die "usage: $0 FIRMWARE_DIR OUT_DIR"
FW="$(cd "$1" && pwd)"; OUT="$2"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${VM_CACHE:-/var/cache/appliance-vm}"
BOARD=qemu-virt-arm64
[ -x "$FW/appliance" ] || die "no appliance binary in $FW (run tools/cross/publish-arm64.sh first)"
file -b "$FW/appliance" | grep -q 'ARM aarch64' || die "$FW/appliance is not an arm64 binary"

# Modules the terminal needs; their dependencies are added from modules.dep.
MODULES=(virtio_pci virtio_net virtio_gpu evdev uinput configfs dummy_hcd libcomposite usb_f_acm cdc_acm)
# arm64 userland: libraries the NativeAOT binary and its native libraries load (glibc, libstdc++ for
# libSkiaSharp, OpenSSL for the WebSocket handshake's SHA-1, zlib), the CJK font, busybox.
PACKAGES=(busybox-static libc6 libgcc-s1 libstdc++6 libssl3 zlib1g fonts-wqy-microhei)

mkdir -p "$CACHE/debs" "$OUT"
OUT="$(cd "$OUT" && pwd)"

# Downloads PKG:arm64 (candidate version) into the cache unless it is there; prints its path.
fetch() {
  local pkg="$1" spec file
  # Architecture-independent packages (the font) have no :arm64 flavour.
  for spec in "$pkg:arm64" "$pkg"; do
    file="$(apt-cache show --no-all-versions "$spec" 2>/dev/null | sed -n 's/^Filename: //p' | head -n1)"
    case "$file" in *_arm64.deb|*_all.deb) break ;; *) file="" ;; esac
  done
  [ -n "$file" ] || die "no arm64 package '$pkg' in the apt lists (run tools/vm/install-deps.sh)"
  file="$(basename "$file")"
  # apt-get download names files with the epoch's colon escaped as %3a.
  local cached; cached="$(ls "$CACHE/debs/"*"${file#*_}" 2>/dev/null | grep "/${pkg}_" | head -n1 || true)"
  if [ -z "$cached" ]; then
    log "apt-get download $pkg:arm64"
    (cd "$CACHE/debs" && apt-get download -qq "$spec" 2>&1 | grep -v 'unsandboxed' >&2 || true)
    cached="$(ls "$CACHE/debs/"*"${file#*_}" 2>/dev/null | grep "/${pkg}_" | head -n1 || true)"
    [ -n "$cached" ] || die "apt-get download $pkg:arm64 did not produce $file"
  fi
  echo "$cached"
}

# 1. Kernel: linux-image-arm64 names the current versioned image package.
KPKG="$(apt-cache depends linux-image-arm64:arm64 | sed -n 's/ *Depends: \(linux-image-[0-9].*\):arm64/\1/p' | head -n1)"
[ -n "$KPKG" ] || die "cannot resolve linux-image-arm64:arm64 to a kernel package"
KDEB="$(fetch "$KPKG")" || exit 1
KVER="${KPKG#linux-image-}"
KDIR="$CACHE/kernel/$(basename "$KDEB" .deb)"
if [ ! -f "$KDIR/.unpacked" ]; then
  log "unpacking $(basename "$KDEB") and running depmod"
  rm -rf "$KDIR"; mkdir -p "$KDIR"
  dpkg-deb -x "$KDEB" "$KDIR"
  depmod -b "$KDIR" "$KVER"
  touch "$KDIR/.unpacked"
fi
cp "$KDIR/boot/vmlinuz-$KVER" "$OUT/vmlinuz"

# 2. Root file system.
ROOT="$OUT/root"
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,run,tmp,etc,var/log,var/lib/appliance,lib/modules,opt/appliance}
for p in "${PACKAGES[@]}"; do
  deb="$(fetch "$p")" || exit 1
  dpkg-deb -x "$deb" "$ROOT"
done
rm -rf "$ROOT"/usr/share/{doc,man,lintian,bug,locale,info} "$ROOT"/usr/lib/aarch64-linux-gnu/{gconv,engines-3,ossl-modules} \
       "$ROOT"/etc/ssl "$ROOT"/usr/share/initramfs-tools
[ -x "$ROOT/bin/busybox" ] || die "busybox-static did not provide /bin/busybox"

# Modules in load order, flat under /lib/modules, with the order file the init script reads.
: > "$ROOT/lib/modules/load-order"
for m in "${MODULES[@]}"; do
  modprobe -d "$KDIR" -S "$KVER" --show-depends "$m" | while read -r verb path _; do
    [ "$verb" = insmod ] || continue
    ko="$(basename "$path")"
    grep -qx "$ko" "$ROOT/lib/modules/load-order" && continue
    cp "$path" "$ROOT/lib/modules/$ko"
    echo "$ko" >> "$ROOT/lib/modules/load-order"
  done
done
[ "$(wc -l < "$ROOT/lib/modules/load-order")" -ge "${#MODULES[@]}" ] || die "module closure is incomplete"

# The in-VM pen: static arm64 C.
aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o "$ROOT/usr/bin/vm-pen" "$HERE/guest/vm-pen.c" -lm
aarch64-linux-gnu-strip "$ROOT/usr/bin/vm-pen"

# The firmware as the .deb lays it out, and the board profile where the loader looks.
cp -a "$FW"/appliance "$FW"/*.so "$ROOT/opt/appliance/"
mkdir -p "$ROOT/etc/appliance/board/$BOARD"
cp "$REPO/board/$BOARD/board.json" "$ROOT/etc/appliance/board/$BOARD/"
# The ID-card module simulator for the gadget end of the USB serial pair (tools/vm/VmIdCardModule,
# published for arm64); without it /dev/ttyACM0 exists but no module answers on it.
if [ -n "${VM_IDCARD_MODULE:-}" ]; then
  [ -x "$VM_IDCARD_MODULE" ] || die "VM_IDCARD_MODULE=$VM_IDCARD_MODULE is not an executable"
  cp "$VM_IDCARD_MODULE" "$ROOT/usr/bin/vm-idcard-module"
fi
install -m 0755 "$HERE/guest/init" "$ROOT/init"
printf 'appliance-vm\n' > "$ROOT/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'root:x:0:\n' > "$ROOT/etc/group"
# glibc without ld.so.cache: name the multiarch folders.
printf '/lib/aarch64-linux-gnu\n/usr/lib/aarch64-linux-gnu\n' > "$ROOT/etc/ld.so.conf"

# 3. Pack. Uncompressed: under TCG the kernel unpacks it faster than it inflates gzip.
(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet --owner 0:0) > "$OUT/initramfs.cpio"

{
  echo "kernel:    $KPKG ($(du -h "$OUT/vmlinuz" | cut -f1) vmlinuz)"
  echo "modules:   $(tr '\n' ' ' < "$ROOT/lib/modules/load-order")"
  echo "packages:  ${PACKAGES[*]}"
  echo "firmware:  $(du -sh "$ROOT/opt/appliance" | cut -f1) in /opt/appliance"
  echo "initramfs: $(du -h "$OUT/initramfs.cpio" | cut -f1) ($(stat -c %s "$OUT/initramfs.cpio") bytes)"
  echo "total:     $(du -ch "$OUT/vmlinuz" "$OUT/initramfs.cpio" | tail -n1 | cut -f1)"
} | tee "$OUT/image.txt" >&2

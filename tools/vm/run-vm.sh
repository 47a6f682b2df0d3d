#!/usr/bin/env bash
# Boot the emulated arm64 terminal built by tools/vm/build-image.sh.
#
#   tools/vm/run-vm.sh IMAGE_DIR RUN_DIR [UOS_PORT CAMERA_PORT ADMIN_PORT]
#
# The three firmware ports (12349, 38088, 38090 in the VM) are forwarded to 127.0.0.1 on the given
# host ports (defaults 22349 28088 28090). RUN_DIR gets console.sock (the VM's serial console: a
# shell once booted), console.log (everything the console printed), monitor.sock (the QEMU
# human monitor: `socat - UNIX:monitor.sock`, then e.g. `screendump s.png -f png`) and qmp.sock
# (the same for programs, see tools/vm/vmctl.py). Runs in the foreground until the VM powers off or is killed.
set -euo pipefail
[ $# -eq 2 ] || [ $# -eq 5 ] || { echo "usage: $0 IMAGE_DIR RUN_DIR [UOS_PORT CAMERA_PORT ADMIN_PORT]" >&2; exit 2; }
IMAGE="$1"; RUN="$2"
UOS="${3:-22349}"; CAMERA="${4:-28088}"; ADMIN="${5:-28090}"
mkdir -p "$RUN"
rm -f "$RUN/console.sock" "$RUN/monitor.sock" "$RUN/qmp.sock" "$RUN/console.log"

exec qemu-system-aarch64 \
  -M virt -cpu cortex-a72 -accel tcg -smp "${VM_CPUS:-2}" -m 1024 \
  -kernel "$IMAGE/vmlinuz" -initrd "$IMAGE/initramfs.cpio" \
  -append "console=ttyAMA0 rdinit=/init quiet loglevel=4 vt.global_cursor_default=0 consoleblank=0 panic=-1" \
  -device virtio-gpu-pci,xres=1280,yres=800 \
  -netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$UOS-:12349,hostfwd=tcp:127.0.0.1:$CAMERA-:38088,hostfwd=tcp:127.0.0.1:$ADMIN-:38090" \
  -device virtio-net-pci,netdev=net0,romfile= \
  -nographic -no-reboot \
  -chardev "socket,id=console,path=$RUN/console.sock,server=on,wait=off,logfile=$RUN/console.log" \
  -serial chardev:console \
  -monitor "unix:$RUN/monitor.sock,server=on,wait=off" \
  -qmp "unix:$RUN/qmp.sock,server=on,wait=off"

#!/usr/bin/env bash
# `make vm-test`: the arm64 firmware on an emulated arm64 terminal, end to end.
#   host packages -> arm64 sysroot -> cross NativeAOT publish -> image from Debian packages -> boot and test.
# Env: VM_TEST_ARGS (extra vm-test.py arguments, e.g. --strict), VM_CACHE (download cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
start=$(date +%s)
stage() { printf '[vm-test] %s (%ss)\n' "$*" "$(( $(date +%s) - start ))" >&2; }

stage "host packages"; tools/vm/install-deps.sh
stage "arm64 sysroot"; tools/cross/make-sysroot.sh
stage "arm64 NativeAOT publish"; tools/cross/publish-arm64.sh src/Appliance.Host/Appliance.Host.csproj out/linux-arm64 >/dev/null
stage "arm64 ID-card module simulator publish"
tools/cross/publish-arm64.sh tools/vm/VmIdCardModule/VmIdCardModule.csproj out/vm-idcard-module >/dev/null
stage "image"; VM_IDCARD_MODULE=out/vm-idcard-module/vm-idcard-module tools/vm/build-image.sh out/linux-arm64 out/vm
stage "boot and test"
rc=0
python3 tools/vm/vm-test.py --image out/vm --out out/vm-test ${VM_TEST_ARGS:-} || rc=$?
stage "make vm-test done, exit $rc: total $(( $(date +%s) - start ))s"
exit $rc

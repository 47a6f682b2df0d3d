#!/usr/bin/env bash
# NativeAOT publish of the `appliance` service for linux-x64 into OUTDIR, failing on any trim/AOT warning.
#   tools/publish.sh OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out/linux-x64}
log=$(mktemp /tmp/appliance-publish.XXXXXX.log)
command -v clang >/dev/null || command -v gcc >/dev/null || { echo "publish: a C toolchain (clang or gcc) is needed to link" >&2; exit 1; }
if ! dotnet publish src/Appliance.Host/Appliance.Host.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$out" -v:minimal -nologo >"$log" 2>&1; then
  cat "$log"; echo "publish: dotnet publish failed (log above)" >&2; exit 1
fi
if grep -E "warning (IL|CS|AOT|NETSDK)[0-9]+" "$log"; then
  echo "publish: the build has warnings (above); the published binary must have none" >&2; exit 1
fi
file "$out/appliance"
du -sh "$out"

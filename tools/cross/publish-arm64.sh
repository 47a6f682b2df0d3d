#!/usr/bin/env bash
# Cross-publish a NativeAOT project for linux-arm64 from an x64 Debian host.
#
#   tools/cross/publish-arm64.sh PROJECT.csproj OUTDIR [extra dotnet publish args...]
#
# Env: SYSROOT (default /opt/appliance-sysroot-arm64, built by make-sysroot.sh if missing),
#      CONFIGURATION (default Release).
# Fails if the result is not an aarch64 ELF, or if the build printed any warning.
set -euo pipefail

die() { printf '[publish-arm64] ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '[publish-arm64] %s\n' "$*" >&2; }

[ $# -ge 2 ] || die "usage: $0 PROJECT.csproj OUTDIR [extra dotnet publish args...]"
PROJECT="$1"; OUTDIR="${2%/}"; shift 2
[ -f "$PROJECT" ] || die "project not found: $PROJECT"
SYSROOT="${SYSROOT:-/opt/appliance-sysroot-arm64}"
CONFIGURATION="${CONFIGURATION:-Release}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ ! -f "$SYSROOT/.appliance-sysroot.stamp" ] || ! command -v aarch64-linux-gnu-objcopy >/dev/null \
   || ! command -v clang >/dev/null; then
  log "sysroot/toolchain missing, running make-sysroot.sh"
  SYSROOT="$SYSROOT" "$HERE/make-sysroot.sh"
fi

mkdir -p "$OUTDIR"
OUTDIR="$(cd "$OUTDIR" && pwd)"
LOG="$OUTDIR.publish-arm64.log"

# Cross-link properties:
#  SysRoot                      -> clang --sysroot=... (ILCompiler adds --target=aarch64-linux-gnu itself)
#  CppCompilerAndLinker=clang   -> gcc cannot take --target; clang is the cross driver
#  LinkerFlavor=bfd             -> clang -fuse-ld=bfd picks aarch64-linux-gnu-ld from binutils-aarch64-linux-gnu
#  ObjCopyName                  -> symbol stripping (StripSymbols) with the arm64-capable objcopy
#                                  (the default llvm-objcopy is not installed; host objcopy is x86-only)
PROPS=(
  -p:PublishAot=true
  -p:SysRoot="$SYSROOT"
  -p:CppCompilerAndLinker=clang
  -p:LinkerFlavor=bfd
  -p:ObjCopyName=aarch64-linux-gnu-objcopy
)

log "dotnet publish $PROJECT -c $CONFIGURATION -r linux-arm64 -> $OUTDIR (log: $LOG)"
start=$(date +%s)
set +e
dotnet publish "$PROJECT" -c "$CONFIGURATION" -r linux-arm64 -o "$OUTDIR" \
  "${PROPS[@]}" -nologo -clp:NoSummary "$@" >"$LOG" 2>&1
rc=$?
set -e
secs=$(( $(date +%s) - start ))
if [ $rc -ne 0 ]; then
  grep -E ': (error|warning) ' "$LOG" | sort -u | head -n 40 >&2 || tail -n 40 "$LOG" >&2
  die "dotnet publish failed (exit $rc) after ${secs}s; full log: $LOG"
fi

# Zero warnings (compiler, trim IL2xxx, AOT IL3xxx, NuGet NUxxxx, linker...).
if grep -Eiq '(: warning |warning IL[0-9]|warning NU[0-9]|warning MSB[0-9]|warning CS[0-9]|warning NETSDK[0-9])' "$LOG"; then
  grep -Ei 'warning' "$LOG" | sort -u | head -n 40 >&2
  die "publish produced warnings (see $LOG)"
fi

name="$(basename "$PROJECT" .csproj)"
asm="$(dotnet msbuild "$PROJECT" -getProperty:AssemblyName -p:RuntimeIdentifier=linux-arm64 2>/dev/null | tail -n1 || true)"
BIN="$OUTDIR/${asm:-$name}"
[ -f "$BIN" ] || BIN="$OUTDIR/$name"
[ -f "$BIN" ] || die "published binary not found in $OUTDIR (looked for ${asm:-$name})"
desc="$(file -b "$BIN")"
case "$desc" in
  *ELF\ 64-bit*ARM\ aarch64*) ;;
  *) die "$BIN is not an aarch64 ELF: $desc" ;;
esac
for so in "$OUTDIR"/*.so; do
  [ -e "$so" ] || continue
  case "$(file -b -L "$so")" in
    *ARM\ aarch64*) ;;
    *) die "native library $so is not aarch64: $(file -b -L "$so")" ;;
  esac
done
interp="$(aarch64-linux-gnu-readelf -l "$BIN" | sed -n 's/.*interpreter: \(.*\)]/\1/p')"
[ "$interp" = /lib/ld-linux-aarch64.so.1 ] || die "unexpected ELF interpreter '$interp'"

log "ok in ${secs}s: $BIN ($(du -h "$BIN" | cut -f1)) - $desc"
log "NEEDED: $(aarch64-linux-gnu-readelf -d "$BIN" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | tr '\n' ' ')"
echo "$BIN"

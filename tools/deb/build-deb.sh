#!/usr/bin/env bash
# Build the appliance Debian binary package from a NativeAOT publish directory, then lint it.
#
#   tools/deb/build-deb.sh ARCH(amd64|arm64) PUBLISHDIR VERSION OUTDIR
#
# Env: OVERLAY   (default <repo>/rootfs-overlay) tree copied as-is into the package
#      BOARD_DIR (default <repo>/board)           -> /usr/share/appliance/board/
#      DEB_MAINTAINER (default "Appliance Firmware Team <firmware@appliance.example.com>")
#      LINTIAN=0 to skip lintian (default: run it and fail on any E: tag)
# Output: OUTDIR/appliance_VERSION_ARCH.deb (path printed on stdout).
set -euo pipefail

die() { printf '[build-deb] ERROR: %s\n' "$*" >&2; exit 1; }
log() { printf '[build-deb] %s\n' "$*" >&2; }

[ $# -eq 4 ] || die "usage: $0 ARCH(amd64|arm64) PUBLISHDIR VERSION OUTDIR"
ARCH="$1"; PUBDIR="${2%/}"; VERSION="$3"; OUTDIR="${4%/}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OVERLAY="${OVERLAY:-$REPO/rootfs-overlay}"
BOARD_DIR="${BOARD_DIR:-$REPO/board}"
MAINT="${DEB_MAINTAINER:-Appliance Firmware Team <firmware@appliance.example.com>}"
PKG=appliance

case "$ARCH" in
  amd64) STRIP='strip'; ELFARCH='x86-64' ;;
  arm64) STRIP=aarch64-linux-gnu-strip; ELFARCH='ARM aarch64' ;;
  *) die "ARCH must be amd64 or arm64, got '$ARCH'" ;;
esac
[[ "$VERSION" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || die "invalid Debian version '$VERSION'"
[ -x "$PUBDIR/$PKG" ] || die "no executable $PUBDIR/$PKG"
file -b "$PUBDIR/$PKG" | grep -q "$ELFARCH" || die "$PUBDIR/$PKG is not $ARCH: $(file -b "$PUBDIR/$PKG")"
[ -d "$OVERLAY" ] || die "overlay dir not found: $OVERLAY (set OVERLAY=)"
[ -d "$BOARD_DIR" ] || die "board dir not found: $BOARD_DIR (set BOARD_DIR=)"
for f in usr/lib/systemd/system/appliance.service etc/appliance/appliance.json; do
  [ -f "$OVERLAY/$f" ] || die "overlay lacks $f"
done

need=()
command -v "$STRIP" >/dev/null || need+=("$([ "$ARCH" = arm64 ] && echo binutils-aarch64-linux-gnu || echo binutils)")
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
if [ "${LINTIAN:-1}" != 0 ] && ! command -v lintian >/dev/null; then need+=(lintian); fi
if [ "${#need[@]}" -gt 0 ]; then
  log "installing ${need[*]}"
  [ "$(id -u)" = 0 ] || die "need root to apt-get install ${need[*]}"
  { apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" || { apt-get -o DPkg::Lock::Timeout=600 update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}"; }; } \
    >/tmp/build-deb-apt.log 2>&1 || { tail -n 20 /tmp/build-deb-apt.log >&2; die "apt-get install failed"; }
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
umask 022
ROOT="$WORK/debian/$PKG"   # dpkg-shlibdeps expects binaries under debian/<pkg>/
mkdir -p "$ROOT/DEBIAN" "$ROOT/usr/lib/$PKG" "$ROOT/usr/bin" "$ROOT/usr/share/$PKG/board" \
         "$ROOT/usr/share/doc/$PKG" "$ROOT/usr/share/man/man1"

# Payload: binary + native libs (no .dbg, no managed leftovers).
install -m 0755 "$PUBDIR/$PKG" "$ROOT/usr/lib/$PKG/$PKG"
"$STRIP" --remove-section=.comment --remove-section=.note "$ROOT/usr/lib/$PKG/$PKG"
for so in "$PUBDIR"/*.so; do
  [ -e "$so" ] || continue
  install -m 0644 "$so" "$ROOT/usr/lib/$PKG/"
  "$STRIP" --remove-section=.comment --remove-section=.note --strip-unneeded "$ROOT/usr/lib/$PKG/$(basename "$so")"
done
ln -s ../lib/$PKG/$PKG "$ROOT/usr/bin/$PKG"
cp -R "$BOARD_DIR/." "$ROOT/usr/share/$PKG/board/"
cp -a "$OVERLAY/." "$ROOT/"
# Normalise ownership/permissions of copied trees (dpkg-deb --root-owner-group sets root:root).
find "$ROOT" -path "$ROOT/DEBIAN" -prune -o -type d -exec chmod 0755 {} +
find "$ROOT/usr/share/$PKG" "$ROOT/usr/lib/systemd" "$ROOT/etc" -type f -exec chmod 0644 {} +
[ -d "$ROOT/usr/lib/udev" ] && find "$ROOT/usr/lib/udev" -type f -exec chmod 0644 {} +
find "$ROOT" -name '.gitkeep' -delete

# Docs.
DATE_R="$(date -R -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")"
YEAR="$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y)"
cat >"$WORK/changelog" <<EOF
$PKG ($VERSION) stable; urgency=medium

  * Release $VERSION of the appliance signing terminal firmware.

 -- $MAINT  $DATE_R
EOF
# Policy 12.7: a version with a Debian revision (0.1.0-1) is non-native -> changelog.Debian.gz;
# a native version (0.1.0) must name it changelog.gz.
case "$VERSION" in
  *-*) CHANGELOG=changelog.Debian.gz ;;
  *)   CHANGELOG=changelog.gz ;;
esac
gzip -9n <"$WORK/changelog" >"$ROOT/usr/share/doc/$PKG/$CHANGELOG"
cat >"$ROOT/usr/share/doc/$PKG/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: appliance
Upstream-Contact: $MAINT

Files: *
Copyright: $YEAR Appliance
License: LicenseRef-Appliance-Proprietary

Files: usr/lib/$PKG/$PKG
Copyright: $YEAR Appliance
           .NET Foundation and Contributors
License: LicenseRef-Appliance-Proprietary and MIT
Comment: NativeAOT executable; statically contains the .NET runtime and
 ASP.NET Core (MIT) and the runtime's bundled zlib-ng (Zlib) and brotli (MIT).
EOF
# One stanza per bundled native library (prebuilt NuGet native assets).
unknown_so=0
for so in "$ROOT/usr/lib/$PKG/"*.so; do
  [ -e "$so" ] || continue
  b="$(basename "$so")"
  case "$b" in
    libSkiaSharp.so) c="Microsoft Corporation and contributors
           2005-2024 Google Inc."; l="MIT and BSD-3-Clause"
      m="SkiaSharp native assets (NoDependencies build); Skia is BSD-3-Clause." ;;
    libSystem.*.so) c=".NET Foundation and Contributors"; l="MIT"; m="" ;;
    *) c="upstream authors of the NuGet package that ships $b"; l="LicenseRef-Upstream"; m=""
       unknown_so=1; log "WARNING: no copyright stanza for $b; add one to tools/deb/build-deb.sh" ;;
  esac
  printf '\nFiles: usr/lib/%s/%s\nCopyright: %s\nLicense: %s\n' "$PKG" "$b" "$c" "$l" >>"$ROOT/usr/share/doc/$PKG/copyright"
  [ -z "$m" ] || printf 'Comment: %s\n' "$m" >>"$ROOT/usr/share/doc/$PKG/copyright"
done
if [ "$unknown_so" = 1 ]; then
  printf '\nLicense: LicenseRef-Upstream\n The license of the NuGet package that ships the file; see its .nuspec.\n' \
    >>"$ROOT/usr/share/doc/$PKG/copyright"
fi
cat >>"$ROOT/usr/share/doc/$PKG/copyright" <<EOF

License: LicenseRef-Appliance-Proprietary
 All rights reserved. This firmware is distributed only for use on Appliance
 signing terminals.

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy
 of this software and associated documentation files (the "Software"), to deal
 in the Software without restriction, including without limitation the rights
 to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is
 furnished to do so, subject to the following conditions:
 .
 The above copyright notice and this permission notice shall be included in
 all copies or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
 THE SOFTWARE.

License: BSD-3-Clause
 Redistribution and use in source and binary forms, with or without
 modification, are permitted provided that the following conditions are met:
 .
 1. Redistributions of source code must retain the above copyright notice,
    this list of conditions and the following disclaimer.
 2. Redistributions in binary form must reproduce the above copyright notice,
    this list of conditions and the following disclaimer in the documentation
    and/or other materials provided with the distribution.
 3. Neither the name of the copyright holder nor the names of its contributors
    may be used to endorse or promote products derived from this software
    without specific prior written permission.
 .
 THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
 AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE
 LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
 SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
 INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
 CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
 ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
 POSSIBILITY OF SUCH DAMAGE.

License: Apache-2.0
 Licensed under the Apache License, Version 2.0 (the "License"); you may not
 use this file except in compliance with the License.
 .
 Unless required by applicable law or agreed to in writing, software
 distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
 WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
 License for the specific language governing permissions and limitations
 under the License.
 .
 On Debian systems, the complete text of the Apache License, Version 2.0 can
 be found in "/usr/share/common-licenses/Apache-2.0".

License: public-domain
 The author disclaims copyright to this source code.
EOF
cat >"$WORK/appliance.1" <<EOF
.TH APPLIANCE 1 "$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%Y-%m-%d)" "appliance $VERSION" "Appliance"
.SH NAME
appliance \- signing terminal firmware
.SH SYNOPSIS
.B appliance
[\fB\-\-board\fR \fINAME\fR] [\fB\-\-state\-dir\fR \fIDIR\fR]
[\fB\-\-uos\-port\fR \fIPORT\fR] [\fB\-\-camera\-port\fR \fIPORT\fR] [\fB\-\-admin\-port\fR \fIPORT\fR]
.SH DESCRIPTION
.B appliance
drives the signing terminal's screen, pen, serial peripherals and cameras and
serves the UOS, camera and admin HTTP/WebSocket endpoints. It normally runs as
the systemd service \fBappliance.service\fR under the \fBappliance\fR user.
.SH FILES
.TP
.I /etc/appliance/appliance.json
Configuration.
.TP
.I /usr/share/appliance/board/
Board descriptions.
.TP
.I /var/lib/appliance/
State directory.
EOF
gzip -9n <"$WORK/appliance.1" >"$ROOT/usr/share/man/man1/appliance.1.gz"
chmod 0644 "$ROOT/usr/share/doc/$PKG/"* "$ROOT/usr/share/man/man1/"*

# Lintian overrides, each justified.
mkdir -p "$ROOT/usr/share/lintian/overrides"
cat >"$ROOT/usr/share/lintian/overrides/$PKG" <<EOF
# NativeAOT links the .NET runtime's own zlib-ng (System.IO.Compression.Native) statically
# into the executable; it is not a copy we could replace with zlib1g at build time.
$PKG: embedded-library zlib [usr/lib/$PKG/$PKG]
# SkiaSharp.NativeAssets.Linux.NoDependencies deliberately bundles Skia's freetype/libjpeg
# (so the terminal does not depend on fontconfig/freetype ABI); it is a prebuilt upstream blob.
$PKG: embedded-library freetype [usr/lib/$PKG/libSkiaSharp.so]
$PKG: embedded-library libjpeg [usr/lib/$PKG/libSkiaSharp.so]
EOF
case "$VERSION" in
  *-*) cat >>"$ROOT/usr/share/lintian/overrides/$PKG" <<EOF
# Firmware package built outside the Debian archive: there is no ITP bug to close.
$PKG: initial-upload-closes-no-bugs [usr/share/doc/$PKG/changelog.Debian.gz:1]
EOF
  ;;
esac
chmod 0644 "$ROOT/usr/share/lintian/overrides/$PKG"

# Dependencies: shlibs from the ELF files (like ${shlibs:Depends}) + what is dlopen'ed at run
# time (libssl3 by System.Security.Cryptography.Native; turbojpeg, pcsclite, libusb via
# P/Invoke; poppler-glib + cairo for the PDF window) + fonts + adduser for the postinst. Voice prompts (espeak-ng, alsa-lib) are recommended:
# a board without audio runs without them.
printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$PKG" "$PKG" >"$WORK/debian/control"
elfs=("debian/$PKG/usr/lib/$PKG/$PKG")
for so in "$ROOT/usr/lib/$PKG/"*.so; do [ -e "$so" ] && elfs+=("debian/$PKG/usr/lib/$PKG/$(basename "$so")"); done
shlibs="$(cd "$WORK" && dpkg-architecture -a"$ARCH" -c dpkg-shlibdeps -O "${elfs[@]/#/-e}" 2>"$WORK/shlibdeps.err" \
          | sed -n 's/^shlibs:Depends=//p')" || true
if [ -z "$shlibs" ]; then
  log "dpkg-shlibdeps failed ($(head -c 300 "$WORK/shlibdeps.err")); using fallback libc6/libstdc++6 versions"
  shlibs="libc6 (>= 2.34), libstdc++6 (>= 6)"
fi
DEPENDS="adduser, $shlibs, libssl3 (>= 3.0.0), zlib1g (>= 1:1.2.3.3), fonts-wqy-microhei, libturbojpeg0 (>= 1:2.1), libpcsclite1 (>= 1.9), libusb-1.0-0 (>= 2:1.0.16), libpoppler-glib8 (>= 22.02), libcairo2 (>= 1.16)"

INSTALLED_SIZE="$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)"
cat >"$ROOT/DEBIAN/control" <<EOF
Package: $PKG
Version: $VERSION
Architecture: $ARCH
Maintainer: $MAINT
Installed-Size: $INSTALLED_SIZE
Depends: $DEPENDS
Recommends: libespeak-ng1, libasound2
Section: misc
Priority: optional
Description: signing terminal firmware
 Appliance runs on ARM64 signing terminals (and on any Linux PC with the
 simulated board). It drives the screen, pen, serial peripherals, cameras and
 smart-card readers and serves the UOS, camera and admin HTTP/WebSocket
 endpoints. It is a single NativeAOT executable started by systemd as the
 appliance system user.
EOF

# Conffiles: everything shipped under /etc.
( cd "$ROOT" && find etc -type f | sort | sed 's|^|/|' ) >"$ROOT/DEBIAN/conffiles"
[ -s "$ROOT/DEBIAN/conffiles" ] || rm -f "$ROOT/DEBIAN/conffiles"

UNIT=appliance.service
cat >"$ROOT/DEBIAN/postinst" <<EOF
#!/bin/sh
set -e

if [ "\$1" = configure ]; then
	if ! getent group $PKG >/dev/null; then
		addgroup --quiet --system $PKG
	fi
	if ! getent passwd $PKG >/dev/null; then
		adduser --quiet --system --ingroup $PKG --home /var/lib/$PKG --no-create-home \\
			--shell /usr/sbin/nologin --gecos "Appliance firmware" $PKG
	fi
	for grp in input video dialout plugdev gpio; do
		if getent group "\$grp" >/dev/null; then
			adduser --quiet $PKG "\$grp" >/dev/null || true
		fi
	done
	if [ ! -d /var/lib/$PKG ]; then
		mkdir -p /var/lib/$PKG
		chown $PKG:$PKG /var/lib/$PKG
		chmod 0750 /var/lib/$PKG
	fi
	if [ -d /run/udev ] && command -v udevadm >/dev/null; then
		udevadm control --reload-rules >/dev/null 2>&1 || true
		udevadm trigger --action=change >/dev/null 2>&1 || true
	fi
fi

# systemd unit handling (same logic as dh_installsystemd generates)
if [ "\$1" = configure ] || [ "\$1" = abort-upgrade ] || [ "\$1" = abort-deconfigure ] || [ "\$1" = abort-remove ]; then
	deb-systemd-helper unmask '$UNIT' >/dev/null || true
	if deb-systemd-helper --quiet was-enabled '$UNIT'; then
		deb-systemd-helper enable '$UNIT' >/dev/null || true
	else
		deb-systemd-helper update-state '$UNIT' >/dev/null || true
	fi
	# enable on first install
	if [ -z "\$2" ]; then
		deb-systemd-helper enable '$UNIT' >/dev/null || true
	fi
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		if [ -n "\$2" ]; then
			_action=restart
		else
			_action=start
		fi
		deb-systemd-invoke \$_action '$UNIT' >/dev/null || true
	fi
fi

exit 0
EOF
cat >"$ROOT/DEBIAN/prerm" <<EOF
#!/bin/sh
set -e

if [ -d /run/systemd/system ] && [ "\$1" = remove ]; then
	deb-systemd-invoke stop '$UNIT' >/dev/null || true
fi

exit 0
EOF
cat >"$ROOT/DEBIAN/postrm" <<EOF
#!/bin/sh
set -e

if [ "\$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
if [ "\$1" = remove ] && command -v deb-systemd-helper >/dev/null; then
	deb-systemd-helper mask '$UNIT' >/dev/null || true
fi
if [ "\$1" = purge ]; then
	if command -v deb-systemd-helper >/dev/null; then
		deb-systemd-helper purge '$UNIT' >/dev/null || true
		deb-systemd-helper unmask '$UNIT' >/dev/null || true
	fi
	# The appliance user is left in place (Debian policy 9.2.2: do not remove system users).
	rm -rf /var/lib/$PKG
fi
if [ "\$1" = remove ] || [ "\$1" = purge ]; then
	if [ -d /run/udev ] && command -v udevadm >/dev/null; then
		udevadm control --reload-rules >/dev/null 2>&1 || true
	fi
fi

exit 0
EOF
chmod 0755 "$ROOT/DEBIAN/postinst" "$ROOT/DEBIAN/prerm" "$ROOT/DEBIAN/postrm"
for s in postinst prerm postrm; do sh -n "$ROOT/DEBIAN/$s" || die "syntax error in $s"; done

( cd "$ROOT" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum ) >"$ROOT/DEBIAN/md5sums"
chmod 0644 "$ROOT/DEBIAN/control" "$ROOT/DEBIAN/md5sums"
[ -f "$ROOT/DEBIAN/conffiles" ] && chmod 0644 "$ROOT/DEBIAN/conffiles"

mkdir -p "$OUTDIR"
DEB="$(cd "$OUTDIR" && pwd)/${PKG}_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB" >/dev/null || die "dpkg-deb --build failed"
log "built $DEB ($(du -h "$DEB" | cut -f1))"

if [ "${LINTIAN:-1}" != 0 ]; then
  lint="$(lintian --tag-display-limit 0 "$DEB" 2>&1 | grep -v '^running with root privileges' || true)"
  [ -z "$lint" ] || printf '%s\n' "$lint" >&2
  if grep -q '^E: ' <<<"$lint"; then die "lintian reported errors for $DEB"; fi
  log "lintian: $(grep -c '^E: ' <<<"$lint" || true) errors, $(grep -c '^W: ' <<<"$lint" || true) warnings"
fi
echo "$DEB"

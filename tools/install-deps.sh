#!/usr/bin/env bash
# Installs what building, running and testing the terminal needs on a Debian machine, and nothing
# when it is already there. Called by `make run` and `make test`; safe to run again.
#   tools/install-deps.sh            runtime + test packages
set -euo pipefail

# Debian packages: native libraries the firmware loads, fonts it draws with, tools the tests drive.
packages=(
  fonts-wqy-microhei      # CJK font for every screen
  libturbojpeg0           # JPEG encode/decode
  libpcsclite1 pcscd      # smart cards (PC/SC)
  vsmartcard-vpcd python3-virtualsmartcard python3-pycryptodome  # tests: virtual reader + scripted card emulators
  libusb-1.0-0            # USB sensors
  libespeak-ng1 espeak-ng-data libasound2   # voice prompts: speech synthesis, ALSA playback
  sox                     # tests: sox stats reads the prompts the sim board's speaker recorded
  socat                   # tests: ptys and sockets from the shell
  libpoppler-glib8 libcairo2   # PDF pages on the screen (show_sign_pdf)
  poppler-utils qpdf      # tests: pdftoppm / pdfinfo / pdfsig / qpdf --check read what the terminal writes
  openssl                 # tests: verifies the SM2 signature of a signed PDF with the standard user ID
  tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng   # tests: OCR reads the screen's labels as a person would
  chromium                # tests: a real browser signs on the simulated terminal's /sim/ page (CDP)
  clang                   # NativeAOT links with clang
  python3                 # tests: the card emulators
  file curl jq
  iproute2                # tests: network namespaces and veth pairs for discovery
  avahi-daemon avahi-utils dbus   # tests: a third-party mDNS stack (avahi-browse) on a private D-Bus
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # An old or empty package list cannot find anything: refresh it once, then install.
  $SUDO apt-get -o DPkg::Lock::Timeout=300 update -qq
  $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "install-deps: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }

#!/usr/bin/env bash
# Installs the Debian packages tsudoi needs to build (idempotent).
# Run as root, or as a user who may use sudo.
set -euo pipefail

packages=(
  build-essential   # cc for SQLite (bundled) and other C parts
  cmake             # nfc1-sys builds libnfc 1.8.0 from bundled source
  pkg-config
  libclang-dev      # bindgen for nfc1-sys
  libudev-dev
  libinput-dev
  libxkbcommon-dev
  libfontconfig1-dev
  python3           # tests: an independent CSV reader
  poppler-utils     # tests: pdftotext reads the report's PDF
  libnfc-bin        # tests: nfc-list, an independent libnfc client for the PN532 emulator
  sqlite3           # tests: the attacks and checks on the raw store file
  tzdata            # tests: Japan time under other TZ zones
  golang-go         # tests: Go checks the audit log's checkpoints and proofs (tlog/tests/go)
  golang-golang-x-mod-dev  # tests: golang.org/x/mod/sumdb/note and sumdb/tlog, built offline
  python3-cryptography openssl xxd  # tests: the ward manual's signature checks (tests/manuals.rs)
  b3sum             # tests: FORMAT.md's BLAKE3 vectors recomputed by an independent tool
  systemd           # tests: systemd-analyze verify/security on the device's units
  lintian           # scripts/test-deb.sh: Debian's package checker
  man-db            # scripts/test-deb.sh: renders the generated man pages
  bsdextrautils     # scripts/test-deb.sh: col
  gpg gpgv          # scripts/test-deb.sh: signs and checks an update for tsudoi-update
  strace            # tests: counts the fsyncs of one check-in (tests/fsync_per_check_in.rs)
  xvfb xdotool      # tests: `tsudoi training` and `demo` in a real window, clicked (tests/training_window.rs, resident_walk.rs)
  age               # tests: the ward opens the returned roster with its own key (tests/groups_return.rs)
  alsa-utils        # tests: aplay plays the voice into ALSA's null device (hw/tests/voice.rs) and into files (tests/resident_walk.rs)
  x11-apps          # tests: xwd captures the kiosk's window (tests/resident_walk.rs)
  kanjidic          # tests: the school grade of each kanji on the resident screens (tests/plain_words.rs)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all build packages are present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

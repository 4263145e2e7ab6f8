#!/usr/bin/env bash
# Builds the Debian arm64 appliance image (cached), boots it in
# qemu-system-aarch64 -M virt -cpu cortex-a72 (virtio-gpu, virtio keyboard
# and tablet, serial console, no network), and checks: the kiosk's waiting
# screen (QMP screendump), a card tap (the PN532 emulator on the host behind
# QEMU's usb-serial device) and its result screen, a power cut (SIGKILL)
# and the check-in surviving it with an intact store and audit chain, and the
# watchdog restarting a frozen UI. Prints boot-to-ready and other figures.
#
# With --power-cuts N, instead: the power-cut campaign of the whole device
# (image/power_cuts.py): N check-in storms on the emulated reader, each ended
# by a SIGKILL of QEMU at a random moment, each followed by a boot and the
# store's checks; --lanes L VMs side by side (default 2).
#
#   image/test-boot.sh            # about 10 minutes cold (cross build apart), 3 warm
#   image/test-boot.sh --power-cuts 50 [--lanes 2] [--seed S]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
campaign=()
while [ $# -gt 0 ]; do
  case $1 in
    --power-cuts|--lanes|--seed) campaign+=("$1" "${2:?$1 needs a number}"); shift 2 ;;
    *) break ;;
  esac
done
for p in netpbm python3 dosfstools b3sum; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$p"
done
out=$(image/debian/build.sh "$@" | tee -a /dev/stderr | tail -n1)
# The reference screenshots come from the arm64 development build of the
# same source (run-arm64.sh runs tsudoi-dev for `screenshot`, which the
# packaged binary does not have), under qemu-user (no host build needed);
# TSUDOI_HOST_BIN may name another development build of the same version.
host_bin=${TSUDOI_HOST_BIN:-$repo/scripts/run-arm64.sh}
# The card reader: the PN532 emulator on the host, on QEMU's usb-serial socket.
cargo build --quiet -p tsudoi-hw --features emulator --example pn532-socket
emulator=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/examples/pn532-socket
# (Kept per image: a new package may draw its screens differently.)
exec python3 image/test_boot.py "$out" "$repo/target/image/refs/$(cat "$out/.key")" "$host_bin" "$emulator" ${campaign[@]+"${campaign[@]}"}

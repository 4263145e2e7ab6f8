#!/usr/bin/env bash
# Builds the Debian arm64 appliance image (cached), boots it in
# qemu-system-aarch64 -M virt -cpu cortex-a72 (virtio-gpu, virtio keyboard
# and tablet, serial console, no network), and checks: the kiosk's waiting
# screen (QMP screendump), a tap and its result screen, a power cut (SIGKILL)
# and the check-in surviving it with an intact store and audit chain, and the
# watchdog restarting a frozen UI. Prints boot-to-ready and other figures.
#
#   image/test-boot.sh            # about 10 minutes cold (cross build apart), 3 warm
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
for p in netpbm python3 dosfstools; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "$p"
done
out=$(image/debian/build.sh "$@" | tail -n1)
host_bin=${TSUDOI_HOST_BIN:-$repo/target/debug/tsudoi}
[ -x "$host_bin" ] || cargo build --locked --quiet --bin tsudoi
exec python3 image/test_boot.py "$out" "$repo/target/image/refs" "$host_bin"

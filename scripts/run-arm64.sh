#!/usr/bin/env bash
# Runs the arm64 (Raspberry Pi) build of tsudoi on this amd64 machine under
# qemu-aarch64 (Debian's qemu-user, no binfmt needed), with the arm64 runtime
# libraries unpacked by scripts/build-arm64.sh as its root for libraries.
# Builds both first if missing.
#
#   scripts/run-arm64.sh check --birth 1950-01-01 --postal 160-0022 --json
#   scripts/run-arm64.sh screenshot --out /tmp/shots-arm64
#
# Arguments go to tsudoi unchanged; its exit code is this script's.
set -euo pipefail
. "$(dirname "$0")/arm64-env.sh"
if [ ! -x "$ARM64_BIN" ] || [ ! -d "$RUNROOT/lib/aarch64-linux-gnu" ] || ! command -v qemu-aarch64 >/dev/null; then
  "$repo/scripts/build-arm64.sh" >&2
fi
# -L: the ELF interpreter and the shared libraries come from the arm64 root;
# files the program opens itself (the store, fonts, /proc) are the host's.
exec qemu-aarch64 -L "$RUNROOT" "$ARM64_BIN" "$@"

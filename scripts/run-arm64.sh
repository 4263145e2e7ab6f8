#!/usr/bin/env bash
# Runs the arm64 (Raspberry Pi) build of tsudoi on this amd64 machine under
# qemu-aarch64 (Debian's qemu-user, no binfmt needed), with the arm64 runtime
# libraries unpacked by scripts/build-arm64.sh as its root for libraries.
# Builds both first if missing.
#
#   scripts/run-arm64.sh check --birth 1950-01-01 --postal 160-0022 --json
#   scripts/run-arm64.sh screenshot --out /tmp/shots-arm64
#
# Arguments go to tsudoi unchanged; its exit code is this script's. The
# device build runs (the binary the package holds), except for the
# development commands `screenshot` and `bench` as the first argument, which
# run the development build of the same source (build-arm64.sh --dev).
set -euo pipefail
. "$(dirname "$0")/arm64-env.sh"
bin=$ARM64_BIN
build_args=()
case ${1:-} in
  screenshot|bench) bin=$ARM64_DEV_BIN; build_args=(--dev) ;;
esac
# A development build older than the device build is of older source.
if [ ! -x "$bin" ] || [ "$ARM64_BIN" -nt "$bin" ] || [ ! -d "$RUNROOT/lib/aarch64-linux-gnu" ] || ! command -v qemu-aarch64 >/dev/null; then
  "$repo/scripts/build-arm64.sh" "${build_args[@]}" >&2
fi
# -L: the ELF interpreter and the shared libraries come from the arm64 root;
# files the program opens itself (the store, fonts, /proc) are the host's.
exec qemu-aarch64 -L "$RUNROOT" "$bin" "$@"

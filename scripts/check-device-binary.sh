#!/usr/bin/env bash
# Checks that a tsudoi binary is a device build: no development code (the
# `dev` feature: `tsudoi screenshot`, `tsudoi bench`, src/dev/). Run by
# scripts/test-deb.sh on the packaged binary; also by hand:
#
#   scripts/check-device-binary.sh BINARY [RUNNER...]
#
# RUNNER runs a binary of another architecture (qemu-aarch64 -L ROOT).
#  1. none of the strings in scripts/dev-only-strings.txt is in the file
#     (tests/dev_build.rs checks that the development build holds them all);
#  2. `tsudoi --help` lists neither `screenshot` nor `bench`;
#  3. `tsudoi screenshot --out DIR` exits 2 with the one sentence saying it
#     is a development command, and writes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?usage: $0 BINARY [RUNNER...]}
shift
fail() { echo "check-device-binary: FAILED: $*" >&2; exit 1; }

found=$(grep -v -e '^#' -e '^$' scripts/dev-only-strings.txt | while IFS= read -r s; do
  if grep -a -q -F -- "$s" "$bin"; then echo "$s"; fi
done)
[ -z "$found" ] || fail "$bin holds development code: $(echo "$found" | paste -sd, -)"

help=$("$@" "$bin" --help)
if grep -E -q '^\s+(screenshot|bench)\s' <<<"$help"; then fail "tsudoi --help lists a development command"; fi
grep -E -q '^\s+demo\s' <<<"$help" || fail "tsudoi --help lacks demo (training mode needs it)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
code=0
"$@" "$bin" screenshot --out "$tmp/shots" 2>"$tmp/err" >/dev/null || code=$?
[ "$code" = 2 ] || fail "tsudoi screenshot exited $code, expected 2: $(cat "$tmp/err")"
grep -q '開発用のコマンド' "$tmp/err" || fail "tsudoi screenshot does not say it is a development command: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" = 1 ] || fail "tsudoi screenshot: more than one line: $(cat "$tmp/err")"
[ ! -e "$tmp/shots" ] || fail "tsudoi screenshot wrote $tmp/shots"
echo "check-device-binary: ok: $bin: no development code ($(grep -vc -e '^#' -e '^$' scripts/dev-only-strings.txt) strings absent), --help without screenshot/bench, screenshot refused (exit 2)"

#!/usr/bin/env bash
# Checks the arm64 (Raspberry Pi) build of tsudoi under qemu-aarch64 against
# the amd64 build of the same source, on synthetic data only:
#
#  1. the binary is AArch64 code needing at most glibc 2.36 (Raspberry Pi OS
#     bookworm), `--version` matches amd64's, and it is a device build with
#     no development code (scripts/check-device-binary.sh);
#  2. `tsudoi check` (plain and --json, exit codes included) is byte-identical
#     to amd64 on a set of invented birth dates and postal codes;
#  3. `tsudoi demo --no-ui` makes the same synthetic year under qemu as on
#     amd64 (same counts), and each build opens the other's store:
#     `audit verify` intact both ways, sqlite3's `PRAGMA integrity_check` ok;
#  4. `tsudoi report` of the arm64-made store by both builds: the CSV tables
#     are byte-identical, `sha256sum -c` passes on the arm64 folder and amd64's
#     `report verify` accepts arm64's signature;
#  5. `tsudoi screenshot` (Slint's software renderer, headless) of the arm64
#     development build (build-arm64.sh --dev: the same source with
#     `--features dev`; built here if missing): every screen
#     renders on arm64, and each PNG is byte-identical to amd64's except a
#     screen whose content is random by design, which is allowed to differ
#     only if two amd64 runs differ on it too (that is measured here, not
#     listed by hand).
#
#   scripts/test-arm64.sh [AMD64_TSUDOI]   # default target/debug/tsudoi (the development build, built first)
#
# Without the arm64 binary (scripts/build-arm64.sh: about 11-30 min cold on 2
# shared cores) it prints SKIPPED and why, and exits 0: CI does not run the
# cross build (see docs/dev/appliance.md). Prints timings at the end.
set -euo pipefail
. "$(dirname "$0")/arm64-env.sh"
cd "$repo"

skip() { echo "test-arm64: SKIPPED: $*"; exit 0; }
fail() { echo "test-arm64: FAILED: $*" >&2; exit 1; }
ok() { echo "test-arm64: ok: $*"; }

[ -x "$ARM64_BIN" ] || skip "no arm64 binary at ${ARM64_BIN#"$repo"/} (run scripts/build-arm64.sh first)"
command -v qemu-aarch64 >/dev/null || skip "qemu-aarch64 is not installed (Debian qemu-user; scripts/build-arm64.sh installs it)"
[ -e "$RUNROOT/lib/ld-linux-aarch64.so.1" ] || skip "no arm64 runtime root at ${RUNROOT#"$repo"/} (run scripts/build-arm64.sh)"
command -v sqlite3 >/dev/null || fail "sqlite3 is needed (apt-get install sqlite3)"

amd=${1:-target/debug/tsudoi}
if [ $# -eq 0 ]; then
  # The development build (default features; quick when already built):
  # scripts/package-deb.sh --quick leaves a device build at this path.
  cargo build --locked --quiet --bin tsudoi
fi
arm() { scripts/run-arm64.sh "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

unset TSUDOI_CONFIG TSUDOI_STORE TSUDOI_STAFF
ms() { date +%s%N | cut -c1-13; }

# 1. The binary.
desc=$(file -b "$ARM64_BIN")
echo "$desc" | grep -q 'ARM aarch64' || fail "not an aarch64 executable: $desc"
glibc_max=$(aarch64-linux-gnu-objdump -T "$ARM64_BIN" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n1)
[ "$(printf '%s\n2.36\n' "$glibc_max" | sort -V | tail -n1)" = 2.36 ] ||
  fail "needs glibc $glibc_max; Raspberry Pi OS bookworm has 2.36"
[ "$(arm --version)" = "$("$amd" --version)" ] || fail "--version differs: $(arm --version)"
ok "$(arm --version): AArch64 ELF, needs glibc >= $glibc_max, $(du -b "$ARM64_BIN" | cut -f1) bytes"
scripts/check-device-binary.sh "$ARM64_BIN" qemu-aarch64 -L "$RUNROOT" >/dev/null || fail "the arm64 device build holds development code"
ok "device build: no screenshot/bench code (scripts/check-device-binary.sh under qemu)"

# 2. The eligibility check, byte for byte with exit codes. Invented inputs.
cases=(
  "--birth 1950-01-01 --postal 160-0022 --on 2026-01-01"
  "--birth 昭和41年4月1日 --postal 160-0022 --on 2026-03-31"
  "--birth S41.4.2 --postal 1600022 --on 2026-03-31"
  "--birth 平成元年1月8日 --postal 160-0022 --on 2026-06-01"
  "--birth 1944-02-29 --postal 169-0075 --on 2025-02-28"
  "--birth 1950-05-05 --postal 100-0001 --on 2026-01-01"
  "--birth 昭和64年1月8日 --postal 160-0022 --on 2026-01-01"
  "--birth 1950-13-01 --postal 160-0022"
  "--birth 1950-01-01 --postal 999"
)
n=0
seen=""
for c in "${cases[@]}"; do
  for j in "" --json; do
    # shellcheck disable=SC2086
    a_out=$(arm check $c $j 2>&1) && a_rc=0 || a_rc=$?
    # shellcheck disable=SC2086
    m_out=$("$amd" check $c $j 2>&1) && m_rc=0 || m_rc=$?
    [ "$a_out" = "$m_out" ] && [ $a_rc = $m_rc ] ||
      fail "check $c $j: arm64 (exit $a_rc) and amd64 (exit $m_rc) differ:
$a_out
---
$m_out"
    n=$((n + 1))
    seen="$seen $a_rc"
  done
done
for rc in 0 1 2; do echo "$seen" | grep -qw $rc || fail "no case of tsudoi check exited $rc"; done
ok "tsudoi check: $n runs byte-identical with the same exit codes (0, 1 and 2 each seen)"

# 3. The synthetic year, made under qemu; each build reads the other's store.
export TSUDOI_PASSWORD=test-arm64-Demo-2026!
t0=$(ms)
arm demo --no-ui --seed 11 --store "$tmp/arm.db" > "$tmp/arm-demo.txt"
t_demo_arm=$(( $(ms) - t0 ))
t0=$(ms)
"$amd" demo --no-ui --seed 11 --store "$tmp/amd.db" > "$tmp/amd-demo.txt"
t_demo_amd=$(( $(ms) - t0 ))
# The first line carries the time taken; the rest (counts, today's sessions) must match.
sed -i -e '1s/（[0-9.]*秒）//' -e "s#$tmp/[a-z]*\.db##" "$tmp/arm-demo.txt" "$tmp/amd-demo.txt"
diff "$tmp/arm-demo.txt" "$tmp/amd-demo.txt" >&2 || fail "the demo years differ between arm64 and amd64"
grep -q '架空の参加者 [0-9]*人' "$tmp/arm-demo.txt" || fail "demo summary: $(head -n2 "$tmp/arm-demo.txt")"
export TSUDOI_STAFF=demo-manager
for db in arm amd; do
  [ "$(sqlite3 "$tmp/$db.db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check of the $db store"
done
arm --store "$tmp/amd.db" audit verify > "$tmp/v1.txt" || fail "arm64 audit verify of the amd64 store: $(cat "$tmp/v1.txt")"
"$amd" --store "$tmp/arm.db" audit verify > "$tmp/v2.txt" || fail "amd64 audit verify of the arm64 store: $(cat "$tmp/v2.txt")"
ok "demo: $(sed -n 2p "$tmp/arm-demo.txt" | sed 's/^ *//') on both; each verifies the other's audit chain; integrity_check ok"

# 4. The monthly report of the arm64 store, by both builds.
month=$(python3 -c 'import datetime as d; t=d.datetime.now(d.timezone(d.timedelta(hours=9))).date().replace(day=1)-d.timedelta(days=1); print(t.strftime("%Y-%m"))')
arm --store "$tmp/arm.db" report --month "$month" --out "$tmp/rep-arm" > /dev/null
"$amd" --store "$tmp/arm.db" report --month "$month" --out "$tmp/rep-amd" > /dev/null
ncsv=0
for f in "$tmp"/rep-arm/*.csv; do
  [ -f "$f" ] || fail "no CSV tables in the arm64 report"
  cmp -s "$f" "$tmp/rep-amd/$(basename "$f")" || fail "report table $(basename "$f") differs between arm64 and amd64"
  ncsv=$((ncsv + 1))
done
[ $ncsv -ge 5 ] || fail "only $ncsv report tables"
(cd "$tmp/rep-arm" && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c of the arm64 report"
"$amd" report verify "$tmp/rep-arm" > /dev/null || fail "amd64 report verify of the arm64 report"
if command -v pdftotext >/dev/null; then
  pdf=$(basename "$(ls "$tmp"/rep-arm/*.pdf)")
  [ "$(pdftotext "$tmp/rep-arm/$pdf" -)" = "$(pdftotext "$tmp/rep-amd/$pdf" -)" ] ||
    fail "the summary PDF's text differs between arm64 and amd64"
fi
ok "report $month: $ncsv CSV tables byte-identical (and the PDF's text, where pdftotext is installed); sha256sum -c and amd64's report verify accept arm64's folder"

# 5. Every screen, software renderer, headless: the development build.
if [ ! -x "$ARM64_DEV_BIN" ] || [ "$ARM64_BIN" -nt "$ARM64_DEV_BIN" ]; then
  echo "test-arm64: building the arm64 development build of this source (scripts/build-arm64.sh --dev; the root crate only)"
  scripts/build-arm64.sh --dev >/dev/null
fi
t0=$(ms)
arm screenshot --out "$tmp/shots-arm" > /dev/null
t_shot_arm=$(( $(ms) - t0 ))
t0=$(ms)
"$amd" screenshot --out "$tmp/shots-amd" > /dev/null
t_shot_amd=$(( $(ms) - t0 ))
"$amd" screenshot --out "$tmp/shots-amd2" > /dev/null
n_arm=$(ls "$tmp/shots-arm" | wc -l)
[ "$(ls "$tmp/shots-arm")" = "$(ls "$tmp/shots-amd")" ] || fail "arm64 and amd64 rendered different sets of screens"
[ "$n_arm" -ge 60 ] || fail "only $n_arm screens"
same=0
random=()
for f in "$tmp"/shots-arm/*.png; do
  b=$(basename "$f")
  if cmp -s "$f" "$tmp/shots-amd/$b"; then
    same=$((same + 1))
  elif cmp -s "$tmp/shots-amd/$b" "$tmp/shots-amd2/$b"; then
    fail "screen $b differs between arm64 and amd64, and is stable on amd64"
  else
    random+=("$b")
  fi
done
[ ${#random[@]} -le 2 ] || fail "${#random[@]} screens vary between runs: ${random[*]}"
ok "screenshot: $n_arm screens; $same byte-identical to amd64; ${#random[@]} differ as two amd64 runs do (random content): ${random[*]:-none}"

echo "test-arm64: timings (ms, this machine, qemu-aarch64 TCG vs native amd64 $(basename "$(dirname "$amd")")):"
echo "  demo --no-ui (synthetic year): arm64 $t_demo_arm, amd64 $t_demo_amd"
echo "  screenshot ($n_arm screens):   arm64 $t_shot_arm, amd64 $t_shot_amd"
echo "test-arm64: passed"

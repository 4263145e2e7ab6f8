#!/usr/bin/env bash
# One AFL++ campaign on one fuzz target (README "Fuzzing"):
#   scripts/fuzz.sh TARGET [EXECUTIONS]     (default 10,000,000 executions)
# FUZZ_SECONDS=N stops the campaign after N seconds of fuzzing if the
# executions are not done by then. FUZZ_RESUME=1 continues the campaign left
# in fuzz/out/TARGET (stopped, or capped by time) instead of starting again:
# AFL++ reads its executions so far back from fuzzer_stats, so -E counts the
# whole campaign.
# Builds fuzz/ with afl.rs (`cargo afl`, stable toolchain) into fuzz/target,
# fuzzes from fuzz/corpus/TARGET into fuzz/out/TARGET in persistent mode,
# then prints executions, crashes and hangs, adds the new inputs (minimised
# with afl-cmin) to fuzz/corpus/TARGET and copies any crash or hang into
# fuzz/regressions/TARGET for triage. One fuzzer at a time, niced: the
# development machine has 2 shared cores.
# Needs: `cargo install cargo-afl` (builds AFL++ on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET [EXECUTIONS]}
execs=${2:-10000000}
[ -d "fuzz/corpus/$target" ] || { echo "no corpus fuzz/corpus/$target" >&2; exit 2; }
export CARGO_TARGET_DIR="$PWD/fuzz/target"
# BUILD_LOCK: a lock file that serialises builds on a shared machine.
build=(nice -n 10 cargo afl build --release --locked -q)
if [ -n "${BUILD_LOCK:-}" ]; then build=(flock "$BUILD_LOCK" "${build[@]}"); fi
# FUZZ_NO_BUILD=1: use the binary as built (a series of campaigns).
[ -n "${FUZZ_NO_BUILD:-}" ] || (cd fuzz && "${build[@]}")
# FUZZ_BIN: a binary built earlier (to continue its campaign after a rebuild).
bin=${FUZZ_BIN:-fuzz/target/release/tsudoi-fuzz}
out=fuzz/out/$target
input=(-i "fuzz/corpus/$target")
# FUZZ_MAX_LEN=N: inputs the fuzzer makes are at most N bytes, and a fresh
# campaign starts only from the corpus files of at most N bytes. Default for
# pn532: 8 KiB, as the emulator drops more than 4 KiB of unframed bytes, so
# longer inputs only repeat what shorter ones reach (its 180 KB queue entries
# slowed the fuzzer to 0.5k executions a second).
max_len=${FUZZ_MAX_LEN:-}
if [ -z "$max_len" ] && [ "$target" = pn532 ]; then max_len=8192; fi
seeds=
if [ -n "$max_len" ]; then
  seeds=$(mktemp -d)
  trap 'rm -rf "$seeds"' EXIT
  find "fuzz/corpus/$target" -type f -size -"$((max_len + 1))"c -exec cp -t "$seeds" {} +
  input=(-i "$seeds")
fi
if [ -n "${FUZZ_RESUME:-}" ] && [ -f "$out/default/fuzzer_stats" ]; then
  input=(-i -)
  echo "$target: resuming at $(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$out/default/fuzzer_stats") executions" >&2
else
  rm -rf "$out"
  mkdir -p "$out"
fi
# The report and merge targets write their folders to a scratch directory
# for every input: on tmpfs, not the disk (for the fuzzer only: afl-cmin
# finds no coverage with its trace files there).
scratch=${TMPDIR:-}
if [ -z "$scratch" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then scratch=/dev/shm; fi
# No CPU binding (the cores are shared); crashes go to AFL, not to a core
# dump handler; a stats line every few seconds instead of the screen.
export AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_NO_UI=1 AFL_SKIP_CRASHES=0
start=$(date +%s)
limit=()
if [ -n "${FUZZ_SECONDS:-}" ]; then limit=(-V "$FUZZ_SECONDS"); fi
if [ -n "$max_len" ]; then limit+=(-G "$max_len"); fi
TMPDIR=${scratch:-/tmp} nice -n 15 cargo afl fuzz "${input[@]}" -o "$out" -E "$execs" "${limit[@]}" -t 2000 -m none \
  -- "$bin" "$target" >> "$out/fuzz.log" 2>&1 || { tail -n 30 "$out/fuzz.log" >&2; exit 1; }
seconds=$(( $(date +%s) - start ))
stats=$out/default/fuzzer_stats
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$out/default/crashes" -name 'id:*' | wc -l)
hangs=$(find "$out/default/hangs" -name 'id:*' | wc -l)
echo "$target: $(get execs_done) executions in ${seconds} s ($(get execs_per_sec) exec/s at the end), $(get corpus_count) inputs in the queue, edges $(get edges_found)/$(get total_edges), crashes $crashes, hangs $hangs"
if [ $((crashes + hangs)) -gt 0 ]; then
  mkdir -p "fuzz/regressions/$target"
  for f in "$out"/default/crashes/id:* "$out"/default/hangs/id:*; do
    [ -e "$f" ] || continue
    cp "$f" "fuzz/regressions/$target/$(sha1sum "$f" | cut -c1-16)"
  done
  echo "crash and hang inputs copied to fuzz/regressions/$target (minimise with cargo afl tmin, fix, keep)"
fi
# Keep what the campaign learnt: the queue, minimised to the inputs that
# each add coverage, joins the corpus (file names are content hashes).
min=$(mktemp -d)
trap 'rm -rf "$min" ${seeds:+"$seeds"}' EXIT
if nice -n 15 cargo afl cmin -i "$out/default/queue" -o "$min" -T 1 -- "$bin" "$target" > "$out/cmin.log" 2>&1; then
  for f in "$min"/*; do
    [ -e "$f" ] || continue
    # afl-cmin links the files it keeps: one already in the corpus is the same file.
    dest=fuzz/corpus/$target/q-$(sha1sum "$f" | cut -c1-16)
    [ -e "$dest" ] || cp "$f" "$dest"
  done
fi
echo "corpus: $(find "fuzz/corpus/$target" -type f | wc -l) files in fuzz/corpus/$target"

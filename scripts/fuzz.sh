#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang-14 in build-fuzz (the
# clang ASan+UBSan build that scripts/sanitize.sh core shares, configured by
# scripts/clang-asan-build.sh; the targets need neither Qt nor Python) and runs each for SECONDS (default 60), after first
# replaying its regression corpus tests/data/fuzz/<target>/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# New corpus entries go to build-fuzz/corpus/<target>/ (not tracked); crashes
# to build-fuzz/artifacts/<target>/. A crash is fixed, and the input that
# caused it is copied into tests/data/fuzz/<target>/, where the plain CTest
# test fuzz_replay_<target> replays it in every build (docs/toolchain.md §10).
# Exits non-zero when a replay or a run finds a crash, a sanitizer report, a
# broken invariant, a leak, an input slower than 25 s, more than 2 GB RSS or a
# single allocation above 1 GB.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(record_reader event_decoder graphdef_binary graphdef_text metagraph scope_names onnx_model)

. "$root/scripts/clang-asan-build.sh"
build="$clang_asan_dir"
jobs="$(nproc 2>/dev/null || echo 2)"
start=$(date +%s)
clang_asan_configure
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"
echo "fuzz.sh: build $(( $(date +%s) - start )) s" >&2

# Seeds: the real files in tests/data for the formats each target reads.
seeds() {
  case "$1" in
    record_reader|event_decoder) ls -d "$root"/tests/data/events/*/ ;;
    graphdef_binary) echo "$root/tests/data/graphs" ;;
    graphdef_text) echo "$root/tests/data/graphs" ;;
    onnx_model) echo "$root/tests/data/onnx" ;;
    *) ;;
  esac
}

export ASAN_OPTIONS="halt_on_error=1:print_stacktrace=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
opts=(-rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=25 -max_len=262144 -print_final_stats=1)
status=0
summary=""
for t in "${targets[@]}"; do
  exe="$build/tests/fuzz/fuzz_$t"
  regress="$root/tests/data/fuzz/$t"
  corpus="$build/corpus/$t"
  artifacts="$build/artifacts/$t/"
  log="$build/fuzz-$t.log"
  mkdir -p "$corpus" "$artifacts"
  echo "== $t: replaying $regress" >&2
  if ! "$exe" "${opts[@]}" -runs=0 "$regress" >"$log.replay" 2>&1; then
    tail -n 40 "$log.replay" >&2
    echo "== $t: regression corpus FAILED" >&2
    status=1
    continue
  fi
  echo "== $t: fuzzing for $seconds s" >&2
  mapfile -t extra < <(seeds "$t")
  if ! "$exe" "${opts[@]}" -max_total_time="$seconds" -artifact_prefix="$artifacts" \
      "$corpus" "$regress" "${extra[@]}" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "== $t: FAILED; the input is in $artifacts" >&2
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  line="$t: ${execs:-?} execs, ${rate:-?} exec/s, cov ${cov:-?} edges, peak RSS ${rss:-?} MB"
  echo "== $line" >&2
  summary+="$line"$'\n'
done
printf 'fuzz.sh summary (%s s each, total %s s):\n%s' "$seconds" "$(( $(date +%s) - start ))" "$summary" >&2
exit $status

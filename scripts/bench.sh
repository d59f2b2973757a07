#!/usr/bin/env bash
# Builds and runs every benchmark (tests/bench); each prints "BENCH <name> <value> <unit>".
# Pass --quick to shrink the workloads.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
export SCOPEVIZ_BUILD_DIR="${SCOPEVIZ_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" -DSCOPEVIZ_BUILD_BENCH=ON
export QT_QPA_PLATFORM=offscreen
status=0
for b in "$SCOPEVIZ_BUILD_DIR"/tests/bench/*/scopeviz_bench_*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" "$@" || status=1
done
exit $status

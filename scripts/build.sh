#!/usr/bin/env bash
# Configures and builds scopeviz in ./build (Release, Ninja, ccache).
# Extra arguments are passed to CMake, e.g. -DSCOPEVIZ_BUILD_BENCH=ON.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SCOPEVIZ_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPython3_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
jobs="$(nproc 2>/dev/null || echo 2)"
cmake --build "$build" -j "$jobs"

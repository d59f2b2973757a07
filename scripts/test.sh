#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through CTest.
# Exits non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
export SCOPEVIZ_BUILD_DIR="${SCOPEVIZ_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" -DSCOPEVIZ_BUILD_TESTS=ON -DSCOPEVIZ_BUILD_BENCH=OFF
cd "$SCOPEVIZ_BUILD_DIR"
export QT_QPA_PLATFORM=offscreen
ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)"

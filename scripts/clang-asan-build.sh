# Sourced by scripts/sanitize.sh (mode core) and scripts/fuzz.sh: the one clang
# build both use, so that CI compiles scopeviz_core once for both stages
# (docs/toolchain.md §10).
#
# Every object is compiled with -fsanitize=address,undefined and libFuzzer's
# coverage instrumentation (fuzzer-no-link); only the fuzz targets link
# libFuzzer (-fsanitize=fuzzer, tests/fuzz/CMakeLists.txt). The Qt Test suites
# link the ASan and UBSan runtimes only, whose weak coverage callbacks the
# instrumented objects then call. -O1 and line tables: symbolized stacks at a
# fraction of the -O2 -g build time.
#
#   clang_asan_configure   configures $clang_asan_dir (SCOPEVIZ_FUZZ_DIR, default build-fuzz)
clang_asan_dir="${SCOPEVIZ_FUZZ_DIR:-$root/build-fuzz}"
clang_asan_configure() {
  "$root/scripts/install-deps.sh" --fuzz   # the normal packages plus clang-14, libclang-rt-14-dev
  local flags="-O1 -gline-tables-only -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
  local link="-fsanitize=address,undefined"
  # clang 14 with libstdc++ 12 has no std::source_location (docs/toolchain.md §10).
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$clang_asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags -include $root/tests/fuzz/source_location_clang14.h" \
    -DCMAKE_EXE_LINKER_FLAGS="$link" -DCMAKE_SHARED_LINKER_FLAGS="$link" -DCMAKE_MODULE_LINKER_FLAGS="$link" \
    -DSCOPEVIZ_BUILD_UI=ON -DSCOPEVIZ_BUILD_TESTS=ON -DSCOPEVIZ_BUILD_FUZZ=ON \
    -DSCOPEVIZ_BUILD_BENCH=OFF -DSCOPEVIZ_BUILD_PYTHON=OFF >/dev/null
}

#!/usr/bin/env bash
# Builds scopeviz with sanitizers in its own build folder and runs tests there.
#
#   scripts/sanitize.sh [all]   AddressSanitizer + UndefinedBehaviorSanitizer (build-asan),
#                               the whole CTest suite
#   scripts/sanitize.sh core    ASan+UBSan with clang 14 in build-fuzz, the build scripts/fuzz.sh
#                               shares (scripts/clang-asan-build.sh): only the core suites that
#                               parse untrusted input (CTest label `untrusted`, no
#                               ui/app/python/repo label) are built and run
#   scripts/sanitize.sh thread  ThreadSanitizer (build-tsan), the suites labelled `threaded`
#
# SCOPEVIZ_SANITIZE_TESTS=<regex> narrows a mode to the matching tests (and
# builds only their targets).
#
# Labels are set by scopeviz_add_test (tests/scopeviz_test.cmake). Suppressions
# live in tests/sanitize/, each entry with its reason; docs/toolchain.md §10.
# Exits non-zero on any failure or sanitizer report.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-all}"
case "$mode" in all|core|thread) ;; *) echo "usage: $0 [all|core|thread]" >&2; exit 2 ;; esac
jobs="${SCOPEVIZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"   # SCOPEVIZ_JOBS: fewer on a shared machine
supp="$root/tests/sanitize"

start=$(date +%s)
if [ "$mode" = core ]; then
  # One clang build serves this stage and the fuzz targets (CI runs both).
  . "$root/scripts/clang-asan-build.sh"
  build="$clang_asan_dir"
  clang_asan_configure
else
  "$root/scripts/install-deps.sh"
  if [ "$mode" = thread ]; then
    build="${SCOPEVIZ_TSAN_DIR:-$root/build-tsan}"
    flags="-O1 -g1 -fsanitize=thread -fno-omit-frame-pointer"
    # C++ only: protobuf's MapFieldBase must keep the layout of Debian's uninstrumented
    # libprotobuf (reason in the header; docs/toolchain.md §10).
    cxxflags="$flags -include $supp/protobuf_tsan_abi.h"
  else
    build="${SCOPEVIZ_ASAN_DIR:-$root/build-asan}"
    flags="-O1 -g1 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    cxxflags="$flags"
  fi
  # -O1 -g1 (line tables): symbolized stacks; -O2 -g took over 3 minutes for
  # some Eigen-heavy files on the 2-core machine (docs/toolchain.md §10).
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=None \
    -DPython3_EXECUTABLE=/usr/bin/python3 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$cxxflags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" -DCMAKE_MODULE_LINKER_FLAGS="$flags" \
    -DSCOPEVIZ_BUILD_TESTS=ON -DSCOPEVIZ_BUILD_BENCH=OFF >/dev/null
fi

cd "$build"
# The tests of a mode, by name (each test's executable target has its name);
# SCOPEVIZ_SANITIZE_TESTS (a regular expression) narrows them further.
select_tests() { ctest -N "$@" | sed -n 's/^ *Test *#[0-9]*: //p' | grep -E "${SCOPEVIZ_SANITIZE_TESTS:-.}" || true; }
if [ "$mode" = core ]; then
  mapfile -t tests < <(select_tests -L untrusted -LE '^(ui|app|python|repo)$')
elif [ "$mode" = thread ]; then
  mapfile -t tests < <(select_tests -L threaded)
else
  mapfile -t tests < <(select_tests)
fi
[ ${#tests[@]} -gt 0 ] || { echo "sanitize.sh: no tests selected" >&2; exit 2; }
if [ "$mode" = all ] && [ -z "${SCOPEVIZ_SANITIZE_TESTS:-}" ]; then
  cmake --build . -j "$jobs"
else
  targets=()
  for t in "${tests[@]}"; do [ "$t" != python_compat ] && targets+=("$t"); done
  cmake --build . -j "$jobs" --target "${targets[@]}"
fi
regex="^($(IFS='|'; echo "${tests[*]}"))\$"
built=$(date +%s)

export QT_QPA_PLATFORM=offscreen
common="halt_on_error=1:print_stacktrace=1"
export UBSAN_OPTIONS="$common:suppressions=$supp/ubsan.supp"
# Graphviz and Qt are built without frame pointers: with the fast unwinder a
# leak stack stops at their malloc wrapper and names no caller, so leak
# suppressions could not tell their leaks from ours. The slow unwinder costs
# about 5x in allocation-heavy tests (hierarchy_test: 3 s -> 17 s).
export ASAN_OPTIONS="$common:detect_leaks=1:fast_unwind_on_malloc=0"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="$common:second_deadlock_stack=1:suppressions=$supp/tsan.supp"

status=0
# CPython is not built with sanitizers: the tests that load the sanitized
# Python module into /usr/bin/python3 (python_compat, scripts_test, and cli_test, whose
# headless commands on a script run it) run with
# the runtimes preloaded and without leak checking (CPython keeps its heap at
# exit on purpose).
py='^(python_compat|scripts_test|cli_test)$'
ctest --output-on-failure -j "$jobs" -R "$regex" -E "$py" || status=$?
# Only the selected ones: in thread mode cli_test and python_compat are not
# built, and ran (and failed as "Not Run") before.
mapfile -t pytests < <(printf '%s\n' "${tests[@]}" | grep -E "$py" || true)
if [ ${#pytests[@]} -gt 0 ]; then
  tsan="$TSAN_OPTIONS"
  if [ "$mode" = thread ]; then
    pre="$(g++ -print-file-name=libtsan.so)"
    # Qt 6.4's QProcess starts the interpreter with clone(CLONE_VM|CLONE_VFORK): the child
    # shares the parent's memory until exec. GCC 12's TSan intercepts clone() as a fork and
    # marks, in that shared memory, "this is the child of a multi-threaded fork", so the
    # test process itself is killed at its next thread ("starting new threads after
    # multi-threaded fork is not supported"). No thread starts between the clone and the
    # exec, so the check is switched off here (docs/toolchain.md §10).
    tsan="$tsan:die_after_fork=0"
  else
    pre="$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)"
  fi
  ASAN_OPTIONS="$common:detect_leaks=0" TSAN_OPTIONS="$tsan" LD_PRELOAD="$pre" \
    ctest --output-on-failure -R "^($(IFS='|'; echo "${pytests[*]}"))\$" || status=$?
fi
end=$(date +%s)
echo "sanitize.sh $mode: build $((built - start)) s, tests $((end - built)) s, exit $status" >&2
exit $status

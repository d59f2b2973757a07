#!/usr/bin/env bash
# Builds scopeviz with sanitizers in its own build folder and runs tests there.
#
#   scripts/sanitize.sh [all]   AddressSanitizer + UndefinedBehaviorSanitizer (build-asan),
#                               the whole CTest suite
#   scripts/sanitize.sh core    the same build, but only the Qt-free core suites that parse
#                               untrusted input (CTest label `untrusted`, no ui/app/python/repo
#                               label) and only their targets are built
#   scripts/sanitize.sh thread  ThreadSanitizer (build-tsan), the suites labelled `threaded`
#
# Labels are set by scopeviz_add_test (tests/scopeviz_test.cmake). Suppressions
# live in tests/sanitize/, each entry with its reason; docs/toolchain.md §9.
# Exits non-zero on any failure or sanitizer report.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-all}"
case "$mode" in all|core|thread) ;; *) echo "usage: $0 [all|core|thread]" >&2; exit 2 ;; esac
"$root/scripts/install-deps.sh"
jobs="$(nproc 2>/dev/null || echo 2)"
supp="$root/tests/sanitize"

if [ "$mode" = thread ]; then
  build="${SCOPEVIZ_TSAN_DIR:-$root/build-tsan}"
  flags="-fsanitize=thread -fno-omit-frame-pointer -g"
  label='-L threaded'
else
  build="${SCOPEVIZ_ASAN_DIR:-$root/build-asan}"
  flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
  label=''
fi

start=$(date +%s)
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPython3_EXECUTABLE=/usr/bin/python3 \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="$flags" -DCMAKE_SHARED_LINKER_FLAGS="$flags" -DCMAKE_MODULE_LINKER_FLAGS="$flags" \
  -DSCOPEVIZ_BUILD_TESTS=ON -DSCOPEVIZ_BUILD_BENCH=OFF >/dev/null

cd "$build"
# The tests of a mode, by name (each test's executable target has its name).
select_tests() { ctest -N "$@" | sed -n 's/^ *Test *#[0-9]*: //p'; }
if [ "$mode" = core ]; then
  mapfile -t tests < <(select_tests -L untrusted -LE '^(ui|app|python|repo)$')
  cmake --build . -j "$jobs" --target "${tests[@]}"
  regex="^($(IFS='|'; echo "${tests[*]}"))\$"
elif [ "$mode" = thread ]; then
  cmake --build . -j "$jobs"
  regex='.'
else
  cmake --build . -j "$jobs"
  regex='.'
fi
built=$(date +%s)

export QT_QPA_PLATFORM=offscreen
common="halt_on_error=1:print_stacktrace=1"
export UBSAN_OPTIONS="$common:suppressions=$supp/ubsan.supp"
export ASAN_OPTIONS="$common:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export TSAN_OPTIONS="$common:second_deadlock_stack=1:suppressions=$supp/tsan.supp"

status=0
if [ "$mode" = thread ]; then
  ctest --output-on-failure -j "$jobs" $label -E '^python_compat$' || status=$?
else
  # CPython is not built with ASan: tests that load the ASan-built module into
  # /usr/bin/python3 preload the runtimes and do not check leaks (CPython keeps
  # its heap at exit on purpose).
  ctest --output-on-failure -j "$jobs" -R "$regex" -E '^(python_compat|scripts_test)$' || status=$?
  if [ "$mode" = all ]; then
    pre="$(g++ -print-file-name=libasan.so):$(g++ -print-file-name=libubsan.so)"
    ASAN_OPTIONS="$common:detect_leaks=0" LD_PRELOAD="$pre" \
      ctest --output-on-failure -R '^(python_compat|scripts_test)$' || status=$?
  fi
fi
end=$(date +%s)
echo "sanitize.sh $mode: build $((built - start)) s, tests $((end - built)) s, exit $status" >&2
exit $status

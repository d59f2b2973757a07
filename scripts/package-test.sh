#!/usr/bin/env bash
# Builds the Debian package, installs it, and checks the installed scopeviz:
# the executable (--version, --list-ops, --print-tree, an in-process dot
# layout), the Python module from a clean environment, the desktop entry, the
# icon and the MIME types with scopeviz as their handler.
#
#   scripts/package-test.sh [--keep]
#
# Installs what is missing (scripts/install-deps.sh, plus the packaging and
# checking tools dpkg-dev, file, desktop-file-utils, xdg-utils,
# shared-mime-info, libglib2.0-bin, which stay installed), builds in
# ./build-package (SCOPEVIZ_PACKAGE_BUILD_DIR) without tests or benchmarks,
# and leaves the .deb there. The package is removed again at the end so that
# the machine keeps no system-wide scopeviz; --keep leaves it installed.
# Prints a PASS/FAIL line per check and exits non-zero if any failed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SCOPEVIZ_PACKAGE_BUILD_DIR:-$root/build-package}"
keep=0
for a in "$@"; do
  case "$a" in
    --keep) keep=1 ;;
    *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
  esac
done

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
apt_install() { DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }

# --- tools ------------------------------------------------------------------
"$root/scripts/install-deps.sh"
tools=(dpkg-dev file desktop-file-utils xdg-utils shared-mime-info libglib2.0-bin)
missing=()
for p in "${tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "package-test: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  apt_install "${missing[@]}"
fi

# --- build and package --------------------------------------------------------
SCOPEVIZ_BUILD_DIR="$build" "$root/scripts/build.sh" \
  -DCMAKE_INSTALL_PREFIX=/usr -DSCOPEVIZ_BUILD_TESTS=OFF -DSCOPEVIZ_BUILD_BENCH=OFF -DSCOPEVIZ_BUILD_PYTHON=ON
version="$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")"
rm -f "$build"/scopeviz_*.deb
(cd "$build" && cpack -G DEB >/dev/null)
deb="$(ls "$build"/scopeviz_*.deb)"
echo "package-test: built $deb ($(du -h "$deb" | cut -f1))"

# --- install ------------------------------------------------------------------
# --reinstall: the same version may already be installed from an earlier run.
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --reinstall "$deb" >/dev/null
cleanup() {
  if [ "$keep" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get remove -y -qq scopeviz >/dev/null 2>&1 || true
    echo "package-test: removed the scopeviz package again (--keep leaves it installed)"
  else
    echo "package-test: scopeviz $version stays installed (apt-get remove scopeviz removes it)"
  fi
}
trap cleanup EXIT

# --- checks -------------------------------------------------------------------
results=()
failed=0
check() { # check NAME COMMAND...: runs COMMAND, records PASS or FAIL
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then
    results+=("PASS  $name")
  else
    results+=("FAIL  $name")
    failed=1
    printf '%s\n' "--- $name failed:" "$out" | head -n 40 >&2
  fi
}

# Everything runs from an empty folder outside the repository, without PYTHONPATH.
work="$(mktemp -d)"
trap 'rm -rf "$work"; cleanup' EXIT
cd "$work"
unset PYTHONPATH
export QT_QPA_PLATFORM=offscreen
graph="$root/tests/data/graphs/tf1-regression-checkpoint-109-nodes.pb"
events="$(ls "$root"/tests/data/events/tf1-keras-breakout-dqn-31k-scalars/events.out.tfevents.* | head -n 1)"
pydir=/usr/lib/python3/dist-packages/scopeviz

depends="$(dpkg-deb -f "$deb" Depends)"
check_depends() {
  for d in python3-numpy 'python3 (>= ' libqt6widgets6 libgvc6 libprotobuf32 libqcustomplot2.1-qt6 libpng16-16; do
    grep -qF "$d" <<<"$depends" || { echo "Depends lacks $d: $depends"; return 1; }
  done
}
check "deb Depends: shlibdeps libraries, python3, python3-numpy" check_depends

check_files() {
  for f in /usr/bin/scopeviz /usr/share/applications/io.github.scopeviz.desktop \
           /usr/share/icons/hicolor/scalable/apps/io.github.scopeviz.svg \
           /usr/share/mime/packages/io.github.scopeviz.xml \
           "$pydir/__init__.py" "$pydir/compat/v1/__init__.py" \
           /usr/share/doc/scopeviz/examples/shared_network.py; do
    [ -f "$f" ] || { echo "missing $f"; return 1; }
  done
  ls "$pydir"/_core.*.so >/dev/null
  [ "$(command -v scopeviz)" = /usr/bin/scopeviz ] || { echo "scopeviz on PATH is $(command -v scopeviz)"; return 1; }
}
check "installed files" check_files

check_libs() {
  for f in /usr/bin/scopeviz "$pydir"/_core.*.so; do
    if ldd "$f" | grep -q "not found"; then ldd "$f" | grep "not found"; return 1; fi
  done
}
check "shared libraries resolve (ldd)" check_libs

check_version() {
  local out; out="$(scopeviz --version)"; echo "$out"
  grep -qF "$version" <<<"$out"
}
check "scopeviz --version prints $version" check_version

check_list_ops() {
  local out; out="$(scopeviz --list-ops "$graph")"
  local n; n="$(grep -c . <<<"$out")"
  [ "$n" -eq 109 ] || { echo "expected 109 ops, got $n"; return 1; }
  for op in VariableV2 ApplyGradientDescent SaveV2; do
    grep -qP "\t$op\t" <<<"$out" || { echo "no $op op"; return 1; }
  done
  grep -qP '^w\tVariableV2\t' <<<"$out" || { echo "no variable w"; return 1; }
}
check "scopeviz --list-ops (109 ops: VariableV2 w, ApplyGradientDescent, SaveV2)" check_list_ops

check_print_tree() {
  local out; out="$(scopeviz --print-tree "$graph")"
  [ "$(grep -c . <<<"$out")" -ge 3 ] || { echo "tree too short: $out"; return 1; }
  grep -q "^graph: 109 ops" <<<"$out" || { echo "no 'graph: 109 ops' header in: $out"; return 1; }
  grep -q "^gradients/ " <<<"$out" || { echo "no gradients/ scope in: $out"; return 1; }
}
check "scopeviz --print-tree" check_print_tree

check_layout() { # the dot plugin is found through the installed RUNPATH or libgvc's config
  local out; out="$(scopeviz --layout-stats --expand all "$graph")"; echo "$out"
  grep -q " 0 by the fast fallback" <<<"$out" && ! grep -q "layout warning" <<<"$out"
}
check "in-process Graphviz dot layout" check_layout

check "scopeviz --dump-scalars on an event file" \
  bash -c "scopeviz --dump-scalars '$events' | head -n 3 | grep -q ','"

check_python() {
  env -u PYTHONPATH /usr/bin/python3 - <<'EOF'
import scopeviz.compat.v1 as tf
assert tf.__file__.startswith("/usr/lib/python3/dist-packages/"), tf.__file__
with tf.variable_scope("net"):
    w = tf.get_variable("w", [2, 3])
with tf.variable_scope("net", reuse=True):
    assert tf.get_variable("w", [2, 3]) is w
assert w.name == "net/w:0", w.name
print("ok", tf.__file__)
EOF
}
check "/usr/bin/python3: import scopeviz.compat.v1 (no PYTHONPATH)" check_python

check_desktop() {
  local out; out="$(desktop-file-validate /usr/share/applications/io.github.scopeviz.desktop 2>&1)" || { echo "$out"; return 1; }
  echo "$out"
  ! grep -Eq "error|warning" <<<"$out"   # hints (several main categories) are fine
}
check "desktop-file-validate" check_desktop

check_mime() { # shared-mime-info's database, as updated by its dpkg trigger
  local f want got
  cp "$graph" model.pb
  cp "$root/tests/data/graphs/tf1-xla-demo-118-nodes.pbtxt" model.pbtxt
  cp "$graph" model.meta       # (an empty file would be application/x-zerosize)
  cp "$events" events.out.tfevents.123.host
  cp "$events" renamed         # no glob: found by its "brain.Event:" magic
  for pair in model.pb:application/x-tensorflow-graphdef model.pbtxt:text/x-tensorflow-graphdef \
              model.meta:application/x-tensorflow-metagraph \
              events.out.tfevents.123.host:application/x-tensorflow-events \
              renamed:application/x-tensorflow-events; do
    f="${pair%%:*}"; want="${pair#*:}"
    got="$(gio info -a standard::content-type "$f" | sed -n 's/^ *standard::content-type: //p')"
    echo "$f: $got"
    [ "$got" = "$want" ] || { echo "expected $want"; return 1; }
  done
}
check "MIME types (gio on .pb, .pbtxt, .meta, event files)" check_mime

check_default() { # desktop-file-utils' trigger wrote mimeinfo.cache
  local t got
  for t in application/x-tensorflow-graphdef text/x-tensorflow-graphdef \
           application/x-tensorflow-metagraph application/x-tensorflow-events; do
    got="$(XDG_CURRENT_DESKTOP= xdg-mime query default "$t")"
    echo "$t: $got"
    [ "$got" = io.github.scopeviz.desktop ] || return 1
  done
}
check "xdg-mime: scopeviz is the default handler" check_default

check_icon() {
  grep -q "^Icon=io.github.scopeviz$" /usr/share/applications/io.github.scopeviz.desktop
}
check "desktop entry names the installed icon" check_icon

# --- summary ------------------------------------------------------------------
echo
echo "package-test: $(basename "$deb"), $(du -h "$deb" | cut -f1)"
echo "Depends: $depends"
printf '%s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
  echo "package-test: FAIL"
  exit 1
fi
echo "package-test: PASS (${#results[@]} checks)"

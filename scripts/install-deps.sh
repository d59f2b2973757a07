#!/usr/bin/env bash
# Installs the Debian 12 packages scopeviz builds, tests and runs with.
# Returns at once when everything is already present. --fuzz adds the fuzz
# build's compiler (see below).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  qt6-base-dev libqt6opengl6-dev qt6-svg-dev qt6-multimedia-dev libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libeigen3-dev libopenblas-dev libgraphviz-dev
  libprotobuf-dev protobuf-compiler libonnx-dev libpng-dev
  pybind11-dev python3-dev python3-numpy python3-onnx
  xvfb xauth fonts-dejavu-core
)

# `install-deps.sh --fuzz` (scripts/fuzz.sh): also the libFuzzer toolchain,
# Debian's clang 14 and its runtime libraries. Not needed by the normal build.
if [ "${1:-}" = "--fuzz" ]; then
  PACKAGES+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "scopeviz: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

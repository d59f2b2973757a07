#!/usr/bin/env bash
# Regenerates every picture of docs/user-guide.md from the app itself, so the
# guide shows what scopeviz really draws (the sweep pictures come from the
# scalars benchmark, which opens its sweep in the same dashboard, when
# scripts/bench.sh has built it). Builds what is missing first (through
# scripts/build.sh, honouring SCOPEVIZ_BUILD_DIR), then runs scopeviz headless
# (Qt's offscreen platform) once per picture with --screenshot or --export.
#
#   scripts/screenshots.sh            every picture (about 30 s)
#   scripts/screenshots.sh seed dqn   only the pictures whose names contain one of the words
#
# Pictures go to docs/images/ under fixed names. Each run gets a fresh settings
# directory, so the window geometry, dock layout, theme and recent files of
# whoever runs this never leak into the pictures. CMake arguments for a first
# build can be given in SCOPEVIZ_CMAKE_ARGS (default: no tests, no benchmarks).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SCOPEVIZ_BUILD_DIR:-$root/build}"
app="$build/app/scopeviz"
out="$root/docs/images"
size=1280x800

# ---- build: configure once with scripts/build.sh; afterwards only the app and the Python module
if [ ! -f "$build/build.ninja" ]; then
  # shellcheck disable=SC2086
  SCOPEVIZ_BUILD_DIR="$build" "$root/scripts/build.sh" \
    ${SCOPEVIZ_CMAKE_ARGS:--DSCOPEVIZ_BUILD_TESTS=OFF -DSCOPEVIZ_BUILD_BENCH=OFF}
else
  targets=(scopeviz)
  grep -q '^build _core:' "$build/build.ninja" && targets+=(_core) # the Python module, for the script pictures
  cmake --build "$build" --target "${targets[@]}" >/dev/null
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/scopeviz-shots-XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out" "$work/config"
mkdir -m 700 "$work/runtime"
export QT_QPA_PLATFORM=offscreen
export QT_SCALE_FACTOR=1
export XDG_CONFIG_HOME="$work/config" # QSettings: no saved layout, theme or recent files
export XDG_RUNTIME_DIR="$work/runtime"
export PYTHONPATH="$build/python${PYTHONPATH:+:$PYTHONPATH}"
cd "$root" # relative paths: the window shows tests/data/..., not this machine's folders

wanted=("$@")
want() {
  [ ${#wanted[@]} -eq 0 ] && return 0
  local w
  for w in "${wanted[@]}"; do [[ "$1" == *"$w"* ]] && return 0; done
  return 1
}

# shot NAME ARGS...: a screenshot of the whole window, docs/images/NAME.png
shot() {
  local name="$1"
  shift
  want "$name" || return 0
  local t0=$SECONDS
  rm -rf "${XDG_CONFIG_HOME:?}"/*
  "$app" --size "$size" "$@" --screenshot "$out/$name.png" 2> >(grep -v 'propagateSizeHints' >&2)
  echo "$name.png  ($((SECONDS - t0)) s)"
}

# export_fig FILE ARGS...: the graph alone, as --export writes it for slides
export_fig() {
  local file="$1"
  shift
  want "${file%.*}" || return 0
  "$app" "$@" --export "$out/$file"
  echo "$file"
}

inception=tests/data/graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb
dqn=tests/data/events/tf1-keras-breakout-dqn-31k-scalars

# ---- 1. Shared variables
# The seed demo as a still picture: both calls of my_net open, my_net/weights selected, so the
# scope that reuses it is drawn orange and the inspector lists who reads it.
shot shared-seed --demo seed --expand my_net,my_net_1 --select my_net/weights
# The scope that reuses: the inspector's "Variables reused here".
shot shared-seed-scope --demo seed --expand my_net,my_net_1 --select my_net_1
# A real 11,040-op graph (a TF-Hub module): the layer scopes create 376 variables, the forward
# computation in module/InceptionV3/InceptionV3 reads them all; selecting it fans the orange edges in.
shot inception-shared "$inception" --select module/InceptionV3/InceptionV3
# The module is applied a second time (module_apply_default), which reads the same 376 variables.
shot inception-apply "$inception" --select module_apply_default

# ---- 2. Training runs
# The live seed demo, a few seconds into its training.
shot live-seed --after 4000
# A real log directory: 31,444 points in four tags, one run.
shot logdir-dqn "$dqn" --after 1500
# The dashboards beside Scalars: the live seed demo's weight, bias and activation histograms, and
# their distributions; the mnist example's log with its input images at step 10 (of 0-29) and its audio.
mnist=tests/data/events/scopeviz-mnist-with-summaries
shot histograms-seed --dashboard histograms --after 5000
shot distributions-seed --dashboard distributions --after 5000
shot images-slider "$mnist" --dashboard images --step 10 --after 2000 --size 1600x1000
shot audio-clips "$mnist" --dashboard audio --after 2000 --size 1600x1000
# Three seeds of the tutorial's training example, one run each, for run comparison.
if want compare-seeds; then
  for s in 1 2 3; do
    EXAMPLE_SEED=$s EXAMPLE_STEPS=300 EXAMPLE_DELAY=0 SCOPEVIZ_LOGDIR="$work/logs/example_seed$s" \
      /usr/bin/python3 resources/examples/summaries_training.py >/dev/null
  done
  (cd "$work" && shot compare-seeds logs --after 1500)
fi

# ---- 3. Python scripts
# Running live. (No --expand: this graph, expanded, fits at a zoom too small for its labels.)
shot script-training resources/examples/summaries_training.py --after 6000
# The Replay dock in the middle of name_vs_variable_scope.py: variable_scope('vs') has just opened vs_2/.
shot script-replay resources/examples/name_vs_variable_scope.py --replay-step 33 --after 3000 --size 1600x1000
# --watch, then an edit that breaks the script: the first call of my_net gets reuse=True too.
# The re-run fails with TensorFlow's message; the last good graph stays on screen.
if want script-watch; then
  mkdir -p "$work/scripts"
  cp resources/examples/shared_network.py "$work/scripts/"
  (sleep 2.5 && sed -i 's/my_net(left, reuse=False)/my_net(left, reuse=True)/' "$work/scripts/shared_network.py") &
  (cd "$work/scripts" && shot script-watch shared_network.py --watch --expand my_net,my_net_1 --after 5000)
  wait
fi

# ---- 4. Figures for slides
export_fig export-seed.png --demo seed --expand my_net,my_net_1,summary
export_fig export-seed-dark.png --demo seed --expand my_net,my_net_1 --dark
shot dark-seed --demo seed --dark --expand my_net,my_net_1 --select my_net/biases

# ---- 5. PyTorch models through ONNX
# The tied language model: embed.weight selected, read by embed and by lm_head.
shot onnx-tied tests/data/onnx/tied_lm.onnx --select embed/embed.weight
# The siamese network: both calls of the encoder open, a shared weight selected.
shot onnx-siamese tests/data/onnx/siamese.onnx --expand encoder,encoder_1 --select encoder/fc1/encoder.fc1.weight

# ---- 6. A sweep: 1,000 runs x 10 tags x 1,000 steps, written and opened by the scalars benchmark (built by
# scripts/bench.sh into the same build directory), as drawn, and grouped by learning rate (mean and band).
if want sweep; then
  bench="$build/tests/bench/scalars/scopeviz_bench_scalars"
  if [ -x "$bench" ]; then
    "$bench" --write-sweep "$work/sweep" 1000 10 1000 >/dev/null
    "$bench" --sweep-screenshot "$work/sweep" "$work/sweep.png" '_bs\d+_seed\d+$' 2> >(grep -v 'propagateSizeHints' >&2) >/dev/null
    cp "$work/sweep.png" "$out/sweep-1000-runs.png"
    cp "$work/sweep_grouped.png" "$out/sweep-grouped.png"
    echo "sweep-1000-runs.png sweep-grouped.png"
  else
    echo "sweep pictures skipped: $bench is missing (scripts/bench.sh builds it)" >&2
  fi
fi

du -ch "$out"/*.png | tail -1

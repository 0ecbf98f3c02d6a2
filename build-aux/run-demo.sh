#!/bin/sh
# Quick start, part 1: set up, build, and run the main job on the built-in
# demo: simulate the network, compute its LFP, draw the figures.
set -eu
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
[ -d build ] || meson setup build --buildtype=release
ninja -C build
out=${WSLFP_DEMO_DIR:-demo-output}
mkdir -p "$out"
wslfp=build/src/cli/wslfp
$wslfp demo -o "$out/demo.h5"
$wslfp info "$out/demo.h5"
$wslfp compute "$out/demo.h5" -o "$out/lfp.h5"
$wslfp compute "$out/demo.h5" -o "$out/lfp.csv"
$wslfp plot "$out/lfp.h5" -o "$out/traces.png"
$wslfp plot "$out/demo.h5" --layout -o "$out/layout.png"
$wslfp plot "$out/demo.h5" --profile mazzoni15_single -o "$out/profile.png"
echo "run-demo: wrote $out/lfp.h5, $out/lfp.csv, $out/traces.png, $out/layout.png, $out/profile.png"

# Then the app, on the same demo network, when there is a display.
export GSETTINGS_SCHEMA_DIR="$PWD/build/data" WSLFP_LOCALEDIR="$PWD/build/po"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/src/app/wslfp-explorer "$@"
else
  echo "run-demo: no display; to see the app: GSETTINGS_SCHEMA_DIR=build/data build/src/app/wslfp-explorer"
  echo "          (or a picture of it: ... wslfp-explorer --screenshot explorer.png, under xvfb-run)"
fi

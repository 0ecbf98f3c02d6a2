#!/bin/sh
# Runs the original package's own test suite (siplab-gt/wslfp, a checkout
# named by the first argument) against this project's `wslfp` module and
# the libwslfp of BUILD (default build).  Its tests are copied to a scratch
# folder, so that `import wslfp` finds this module and not the original.
# Usage: build-aux/original-tests.sh CHECKOUT [BUILD]
set -eu
checkout=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
build=$(cd "${2:-build}" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$checkout/tests" "$scratch/tests"
cd "$scratch"
PYTHONPATH="$OLDPWD/src/python" WSLFP_LIBRARY="$build/src/engine/libwslfp.so" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider tests

#!/bin/sh
# Quick start, part 2: set up, build and run the whole test suite, then run
# it again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
[ -d build ] || meson setup build
ninja -C build
# The Python module's suites must be among the tests: a build whose Python
# lacks NumPy, SciPy, pytest or h5py leaves them out, which must not pass.
if ! meson test -C build --list 2>/dev/null | grep -q 'python / python$' \
   || ! meson test -C build --list 2>/dev/null | grep -q 'python / nwb$'; then
  echo "run-tests: the Python suites are not built (see meson's warning in build/meson-logs/meson-log.txt)" >&2
  exit 1
fi
# GUI tests need a display: run the whole suite inside a virtual one.
xvfb-run -a -s "-screen 0 1400x900x24" meson test -C build --print-errorlogs

[ -d build-sanitize ] || meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
ninja -C build-sanitize
# The sanitizers' options and suppressions come with the build's tests
# (tests/meson.build): a plain meson test of the sanitized build.
xvfb-run -a -s "-screen 0 1400x900x24" meson test -C build-sanitize --print-errorlogs

# The MPI build (-Dmpi=enabled, OpenMPI): `mpirun -np 2 wslfp compute`
# against one process (as root too: the test's environment allows it),
# under the sanitizers as well: what every rank but the first allocates
# and frees is run nowhere else (OpenMPI's own allocations are in
# tests/lsan.supp).
[ -d build-mpi-sanitize ] || meson setup build-mpi-sanitize -Dmpi=enabled -Dapp=disabled \
  -Db_sanitize=address,undefined -Db_lundef=false
ninja -C build-mpi-sanitize
meson test -C build-mpi-sanitize --print-errorlogs
echo "run-tests: all suites passed (plain, sanitized and MPI)"

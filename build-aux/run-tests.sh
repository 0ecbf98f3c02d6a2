#!/bin/sh
# Quick start, part 2: set up, build and run the whole test suite, then run
# it again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
build-aux/install-deps.sh
[ -d build ] || meson setup build
ninja -C build
# GUI tests need a display: run the whole suite inside a virtual one.
xvfb-run -a -s "-screen 0 1400x900x24" meson test -C build --print-errorlogs

[ -d build-sanitize ] || meson setup build-sanitize -Db_sanitize=address,undefined -Db_lundef=false
ninja -C build-sanitize
# Mesa's GL driver leaks a little at exit (in a module it unloads, so LSan
# cannot name it): the sanitized GUI run draws with cairo instead.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp" GDK_DEBUG=gl-disable \
  xvfb-run -a -s "-screen 0 1400x900x24" meson test -C build-sanitize --print-errorlogs
echo "run-tests: all suites passed (plain and sanitized)"

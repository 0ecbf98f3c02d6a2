#!/bin/sh
# Fuzzes the readers of untrusted files for a while: the CSV readers, the
# JSON readers, the dataset loader and session files; `wslfp plot` of LFP
# files holding any values; and every writer onto special files
# (tests/fuzz), each built with libFuzzer, AddressSanitizer and UBSan in
# build-fuzz/ (clang).
#   build-aux/fuzz.sh [SECONDS per target, default 60]
# Any finding in our code fails the run.  The dataset loader also drives
# HDF5 1.10.8, which has crashes of its own on corrupt metadata (the tools
# survive them: wslfp runs such work in a child process); a crash whose
# stack enters HDF5 before any of our functions is counted, not failed.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
if [ ! -d build-fuzz ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false -Dapp=disabled >/dev/null
fi
targets='csv json dataset session plot output'
ninja -C build-fuzz $(for t in $targets; do printf 'tests/fuzz/fuzz-%s ' $t; done) >/dev/null
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
# FUZZ_KEEP=DIR keeps the inputs that crashed or hung something there.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for target in $targets; do
  mkdir -p "$work/$target/corpus" "$work/$target/found"
  exe=build-fuzz/tests/fuzz/fuzz-$target
  log="$work/$target/log"
  # New inputs go to the scratch corpus; the seeds in the tree stay as they are.
  if [ $target = dataset ]; then
    "$exe" "$work/$target/corpus" tests/fuzz/corpus/$target -max_total_time="$seconds" -print_final_stats=1 -seed=1 \
      -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 -timeout=10 \
      -artifact_prefix="$work/$target/found/" >"$log" 2>&1 || true
  else
    # (the figures' messages on stderr are expected: -close_fd_mask=2)
    "$exe" "$work/$target/corpus" tests/fuzz/corpus/$target -max_total_time="$seconds" -print_final_stats=1 -seed=1 \
      -timeout=10 -close_fd_mask=2 -artifact_prefix="$work/$target/found/" >"$log" 2>&1 || true
  fi
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
  [ -n "$runs" ] || runs=$(grep -o '#[0-9]*' "$log" | tail -1 | tr -d '#')
  ours=0; hdf5=0; lost=0
  for found in "$work/$target/found"/*; do
    [ -e "$found" ] || continue
    # Replay the input and find whose code the first real frame is in (C
    # library and sanitizer frames do not count: a memcpy that HDF5 calls is
    # HDF5's, whether glibc's frame shows as libc.so or as its source).
    report=$(timeout 120 "$exe" -timeout=10 "$found" 2>&1 || true)
    if ! printf '%s\n' "$report" | grep -q 'ERROR'; then
      # Fork mode's memory or time limits fired under load, but the input
      # alone does nothing wrong: nothing to blame on anyone.
      lost=$((lost + 1))
      echo "fuzz $target: $(basename "$found") did not reproduce on replay" >&2
      continue
    fi
    first=$(printf '%s\n' "$report" | grep -E '^ *#[0-9]+ ' \
      | grep -v -E 'libc\.so|libasan|libubsan|compiler-rt|sanitizer_common|fuzzer::|__sanitizer|__asan|__ubsan|in (__interceptor_[a-z_]*|malloc|calloc|realloc|free|memcpy|memmove|memset|strlen) |in [^ ]+ (\.\./)*(sysdeps|nptl|stdlib|string|csu|signal|libio|malloc|posix|assert)/' | head -1)
    # (a hang's report has the stack where it was stopped: the same rule)
    if printf '%s' "$first" | grep -q 'libhdf5'; then
      hdf5=$((hdf5 + 1))
    else
      ours=$((ours + 1))
      echo "fuzz $target: a finding in our code ($found):" >&2
      printf '%s\n' "$report" | grep -E 'ERROR|SUMMARY|^ *#[0-9]+ ' | head -20 >&2
    fi
  done
  echo "fuzz $target: $runs inputs in ${seconds} s; findings in our code: $ours; crashes or hangs inside HDF5: $hdf5; not reproduced: $lost"
  [ $ours = 0 ] || status=1
  if [ -n "${FUZZ_KEEP:-}" ]; then
    mkdir -p "$FUZZ_KEEP/$target"
    cp "$work/$target/found"/* "$FUZZ_KEEP/$target/" 2>/dev/null || true
  fi
done
exit $status

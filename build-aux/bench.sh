#!/bin/sh
# Benchmarks: the engine (each figure beside a bare dgemm of the same shape)
# and the `wslfp` command end to end, with peak memory from /usr/bin/time -v.
# Not part of the test suite: these 2-core machines are too noisy for timed
# tests.  Needs ~2.5 GB of free disk for the large file (BENCH_DIR, default
# a temporary folder).  Usage: build-aux/bench.sh [--quick]
set -eu
cd "$(dirname "$0")/.."
[ -d build-release ] || meson setup build-release --buildtype=release >/dev/null
ninja -C build-release >/dev/null
dir=${BENCH_DIR:-$(mktemp -d)}
wslfp=build-release/src/cli/wslfp
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)"; exit 1; }

measure () { # label, command…: best wall time of 5 runs and peak RSS of the last
  label=$1; shift
  best=""
  for i in 1 2 3 4 5; do
    /usr/bin/time -v -o "$dir/time.txt" "$@" >/dev/null
    t=$(awk -F': ' '/Elapsed/ {n=split($2,a,":"); s=a[n]+60*a[n-1]; print s}' "$dir/time.txt")
    best=$(echo "$best $t" | awk '{m=$NF; for(i=1;i<NF;i++) if($i<m) m=$i; print m}')
  done
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$dir/time.txt")
  printf '  %-52s %7.0f ms   peak RSS %5s MB\n' "$label" "$(echo "$best" | awk '{print $1*1000}')" "$rss"
}

# Start-up: the median of 30 runs of a command, beside a bare process start
# (/bin/true) in the same run.
startup () { # label, command…
  label=$1; shift
  python3 - "$label" "$@" <<'PY'
import statistics, subprocess, sys, time
def median_ms(cmd, n=30):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        ts.append(time.perf_counter() - t)
    return 1000 * statistics.median(ts), 1000 * min(ts)
label, cmd = sys.argv[1], sys.argv[2:]
m, b = median_ms(cmd)
tm, tb = median_ms(["/bin/true"])
print("  %-52s %6.1f ms median, %5.1f best   (/bin/true %.1f / %.1f)" % (label, m, b, tm, tb))
PY
}

echo "== engine"
build-release/tests/bench-engine ${1:-}
echo "== wslfp command"
$wslfp demo -o "$dir/demo800.h5" >/dev/null
startup "start-up: wslfp --version ($(ldd $wslfp | wc -l) libraries)" $wslfp --version
startup "start-up: wslfp info on the demo (fork included)" $wslfp info "$dir/demo800.h5"
measure "wslfp demo (1000 neurons, 500 ms; budget 2000 ms)" $wslfp demo -o "$dir/demo1000.h5" --neurons 1000
measure "wslfp compute, 800-neuron demo, per-neuron (budget 300)" $wslfp compute "$dir/demo800.h5" -o "$dir/lfp.h5"
measure "wslfp compute --population" $wslfp compute "$dir/demo800.h5" -o "$dir/lfp.h5" --population
measure "wslfp compute --from-spikes" $wslfp compute "$dir/demo800.h5" -o "$dir/lfp.h5" --from-spikes
measure "wslfp plot (PNG)" $wslfp plot "$dir/lfp.h5" -o "$dir/traces.png"
if [ "${1:-}" != "--quick" ]; then
  build-release/tests/bench-make-big "$dir/big.h5"
  ls -l "$dir/big.h5" | awk '{printf "  big file: %.2f GB on disk\n", $5/1e9}'
  /usr/bin/time -v -o "$dir/time.txt" $wslfp compute "$dir/big.h5" -o "$dir/big-lfp.h5"
  awk -F': ' '/Elapsed/ {print "  wslfp compute, 2 GB of currents: " $2 " (m:ss)"} /Maximum resident/ {printf "  peak RSS %.0f MB (budget 300 MB + the 25000 × 30 output, 6 MB)\n", $2/1024}' "$dir/time.txt"
  /usr/bin/time -v -o "$dir/time.txt" $wslfp compute "$dir/big.h5" -o "$dir/big-lfp.h5" --from-spikes
  awk -F': ' '/Elapsed/ {print "  wslfp compute --from-spikes, same size: " $2 " (m:ss)"} /Maximum resident/ {printf "  peak RSS %.0f MB (the whole currents would be 4 GB)\n", $2/1024}' "$dir/time.txt"
  rm -f "$dir/big.h5" "$dir/big-lfp.h5"
fi
[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"

#!/bin/sh
# Benchmarks: the engine (each figure beside a bare dgemm of the same shape)
# and the `wslfp` command end to end, with peak memory from /usr/bin/time -v,
# each budget printed beside what it is measured against in the same run.
# Not part of the test suite: these 2-core machines are too noisy for timed
# tests.  Needs ~4 GB of free disk for the large files (BENCH_DIR, default
# a temporary folder).  Usage: build-aux/bench.sh [--quick]
#
# The original Python package is run side by side when WSLFP_ORIGINAL names
# a checkout of it (siplab-gt/wslfp) and /usr/bin/python3 has NumPy, SciPy,
# h5py, attrs and matplotlib (see build-aux/bench-original.py).
set -eu
quick=${1:-}
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

# Best wall time (ms) of N runs of a command, and the peak RSS (MB) of the
# last: "MS RSS".
best () { # n, command…
  n=$1; shift
  b=""
  for i in $(seq "$n"); do
    /usr/bin/time -v -o "$dir/time.txt" "$@" >/dev/null
    t=$(awk -F': ' '/Elapsed/ {n=split($2,a,":"); s=a[n]+60*a[n-1]; print s*1000}' "$dir/time.txt")
    b=$(echo "$b $t" | awk '{m=$NF; for(i=1;i<NF;i++) if($i<m) m=$i; print m}')
  done
  echo "$b $(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$dir/time.txt")"
}
field () { # key, "k1=v1 k2=v2…": the value of key
  echo "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'
}
startup_ms () { # median ms of 30 starts of a command
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
ts = []
for _ in range(30):
    t = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    ts.append(time.perf_counter() - t)
print("%.1f" % (1000 * statistics.median(ts)))
PY
}

echo "== machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at the start"
echo "== engine"
build-release/tests/bench-engine $quick
echo "== wslfp command"
$wslfp demo -o "$dir/demo800.h5" >/dev/null
startup "start-up: wslfp --version ($(ldd $wslfp | wc -l) libraries)" $wslfp --version
startup "start-up: wslfp info on the demo (fork included)" $wslfp info "$dir/demo800.h5"
measure "wslfp demo (1000 neurons, 500 ms; budget 2000 ms)" $wslfp demo -o "$dir/demo1000.h5" --neurons 1000
measure "wslfp compute, 800-neuron demo, per-neuron (budget 300)" $wslfp compute "$dir/demo800.h5" -o "$dir/lfp.h5"
measure "wslfp compute --population" $wslfp compute "$dir/demo800.h5" -o "$dir/lfp.h5" --population
measure "wslfp compute --from-spikes" $wslfp compute "$dir/demo800.h5" -o "$dir/lfp.h5" --from-spikes
measure "wslfp plot (PNG)" $wslfp plot "$dir/lfp.h5" -o "$dir/traces.png"

echo "== the seed-sized network stored as h5py users store it (float32, chunks 500 × 800, gzip 4)"
build-release/tests/bench-restore "$dir/demo800.h5" "$dir/seed-gz.h5" --float32 --chunk 500x800 --gzip 4
build-release/tests/bench-restore "$dir/demo800.h5" "$dir/seed-plain.h5" --float32
set -- $(best 7 $wslfp compute "$dir/seed-gz.h5" -o "$dir/lfp.h5"); neuron_ms=$1
set -- $(best 7 $wslfp compute "$dir/seed-gz.h5" -o "$dir/lfp.h5" --population); pop_ms=$1
if [ -n "${WSLFP_ORIGINAL:-}" ]; then
  orig=$(/usr/bin/python3 build-aux/bench-original.py "$WSLFP_ORIGINAL" "$dir/seed-gz.h5" 3 2>/dev/null)
  py_neuron=$(echo "$orig" | awk '/per-neuron/ {print $2 * 1000}')
  py_pop=$(echo "$orig" | awk '/population/ {print $2 * 1000}')
  awk -v o="$neuron_ms" -v p="$py_neuron" 'BEGIN {printf "  per neuron:      wslfp %5.0f ms, original %5.0f ms: %5.1f× faster (budget ≥ 25×)\n", o, p, p / o}'
  awk -v o="$pop_ms" -v p="$py_pop" 'BEGIN {printf "  population mode: wslfp %5.0f ms, original %5.0f ms: %5.1f× faster (budget ≥ 12×)\n", o, p, p / o}'
else
  echo "  (set WSLFP_ORIGINAL to run the original beside; the issue's yardstick: 2.2–3.0 s per neuron, 1.3 s population)"
  echo "  per neuron:      wslfp $neuron_ms ms (target ≈ 100 ms)"
  echo "  population mode: wslfp $pop_ms ms (target ≈ 100 ms)"
fi
up=$(startup_ms $wslfp --version)
rg=$(build-release/tests/bench-read-gemm "$dir/seed-plain.h5" 30)
set -- $(best 7 $wslfp compute "$dir/seed-plain.h5" -o "$dir/lfp.h5"); plain_ms=$1
awk -v o="$plain_ms" -v u="$up" -v r="$(field read_s "$rg")" -v g="$(field sgemm_s "$rg")" 'BEGIN {
  b = u + 1000 * (r + g)
  printf "  uncompressed: wslfp %.0f ms; start-up %.1f + read %.1f + bare sgemm %.1f = %.1f ms: %.2f× (budget ≤ 2×)\n", o, u, 1000 * r, 1000 * g, b, o / b }'

if [ "$quick" != "--quick" ]; then
  echo "== 50 000 sources × 5000 steps, float32, uncompressed (2 GB)"
  build-release/tests/bench-make-big "$dir/wide.h5" 50000 5000 >/dev/null
  for E in 30 384; do
    probe=""; [ "$E" = 384 ] && probe="--electrodes preset:neuropixels-1.0"
    rg=$(build-release/tests/bench-read-gemm "$dir/wide.h5" $E)
    set -- $(best 2 $wslfp compute "$dir/wide.h5" -o "$dir/lfp.h5" --threads 1 $probe); one=$1
    set -- $(best 2 $wslfp compute "$dir/wide.h5" -o "$dir/lfp.h5" $probe); two=$1; rss=$2
    awk -v one="$one" -v two="$two" -v r="$(field read_s "$rg")" -v g="$(field dgemm_s "$rg")" -v E=$E -v rss="$rss" 'BEGIN {
      b = 1000 * (r + g)
      printf "  E = %3d: wslfp %.0f ms (2 threads), %.0f ms (1): read %.0f + bare 1-thread dgemm %.0f = %.0f ms: %.2f× (budget ≤ 1.5×); 2-thread speed-up %.2f×; peak RSS %s MB\n", E, two, one, 1000 * r, 1000 * g, b, two / b, one / two, rss }'
  done
  rm -f "$dir/wide.h5"

  echo "== 10 000 × 10 000, gzip (h5py-style), peak memory"
  build-release/tests/bench-make-big "$dir/sq.h5" 10000 10000 >/dev/null
  build-release/tests/bench-restore "$dir/sq.h5" "$dir/sq-gz.h5" --float32 --chunk 500x800 --gzip 4
  rm -f "$dir/sq.h5"
  set -- $(best 1 $wslfp compute "$dir/sq-gz.h5" -o "$dir/lfp.h5")
  echo "  wslfp compute: $1 ms, peak RSS $2 MB (budget 300 MB + the 10000 × 30 output, 2.4 MB)"

  echo "== MPI strong scaling on the same file (OpenMPI, one worker thread per rank)"
  if pkg-config --exists ompi-c 2>/dev/null && command -v mpirun >/dev/null; then
    [ -d build-mpi-release ] || meson setup build-mpi-release -Dmpi=enabled -Dapp=disabled --buildtype=release >/dev/null
    ninja -C build-mpi-release >/dev/null
    mpi_wslfp=build-mpi-release/src/cli/wslfp
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    set -- $(best 2 mpirun -np 1 $mpi_wslfp compute "$dir/sq-gz.h5" -o "$dir/lfp.h5" --threads 1); r1=$1
    set -- $(best 2 mpirun -np 2 $mpi_wslfp compute "$dir/sq-gz.h5" -o "$dir/lfp.h5" --threads 1); r2=$1
    awk -v a="$r1" -v b="$r2" 'BEGIN {printf "  1 rank %.0f ms, 2 ranks %.0f ms: speed-up %.2f× (efficiency %.0f %%)\n", a, b, a / b, 50 * a / b}'
  else
    echo "  (needs libopenmpi-dev and openmpi-bin)"
  fi
  rm -f "$dir/sq-gz.h5"

  echo "== 10 000 sources × 25 000 steps (2 GB), and from spikes"
  build-release/tests/bench-make-big "$dir/big.h5"
  ls -l "$dir/big.h5" | awk '{printf "  big file: %.2f GB on disk\n", $5/1e9}'
  /usr/bin/time -v -o "$dir/time.txt" $wslfp compute "$dir/big.h5" -o "$dir/big-lfp.h5"
  awk -F': ' '/Elapsed/ {print "  wslfp compute, 2 GB of currents: " $2 " (m:ss)"} /Maximum resident/ {printf "  peak RSS %.0f MB (budget 300 MB + the 25000 × 30 output, 6 MB)\n", $2/1024}' "$dir/time.txt"
  /usr/bin/time -v -o "$dir/time.txt" $wslfp compute "$dir/big.h5" -o "$dir/big-lfp.h5" --from-spikes
  awk -F': ' '/Elapsed/ {print "  wslfp compute --from-spikes, same size: " $2 " (m:ss)"} /Maximum resident/ {printf "  peak RSS %.0f MB (the whole currents would be 4 GB)\n", $2/1024}' "$dir/time.txt"
  rm -f "$dir/big.h5" "$dir/big-lfp.h5"
fi
echo "== load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$dir"

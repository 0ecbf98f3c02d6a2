#!/bin/sh
# check-startup.sh WSLFP WSLFP_PLOT: `wslfp` (info, compute, demo) loads no
# drawing libraries — cairo, fonts, PNG, X11, FFTW are for `wslfp plot`,
# whose program does load them — and `wslfp plot` finds that program.
set -eu
cli=$1 plot=$2
drawing='libcairo|libfontconfig|libfreetype|libpng|libX11|libxcb|libfftw3|libpixman'
if ldd "$cli" | grep -E "$drawing"; then
  echo "$cli loads the drawing libraries above" >&2
  exit 1
fi
ldd "$plot" | grep -q libcairo || { echo "$plot does not load cairo: is it the figure program?" >&2; exit 1; }
out=$("$cli" plot --help)
case $out in
  *"wslfp plot"*"--kind"*) ;;
  *) echo "'wslfp plot --help' did not reach the figure program: $out" >&2; exit 1 ;;
esac
echo "$(basename "$cli"): $(ldd "$cli" | wc -l) libraries, none for drawing"

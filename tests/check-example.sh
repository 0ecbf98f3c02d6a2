#!/bin/sh
# check-example.sh EXAMPLE: the library's example (src/engine/wslfp-example.c)
# runs and prints what it says: a header, then 3 shanks × 10 contacts from
# z = -400 to 600 µm, each contact's normalised LFP with a minimum below 0
# and a maximum above it (a flat or missing trace fails).
set -eu
out=$("$1")
printf '%s\n' "$out"
printf '%s\n' "$out" | awk '
  NR == 1 { if ($0 !~ /^WSLFP of 800 cells \(mazzoni15_single, normalised\), 500 ms, on 3 shanks × 10 contacts$/) bad = "header"; next }
  NR == 2 { next }
  {
    k = NR - 3
    z = -400 + (k % 10) * 1000 / 9
    if ($1 != int(k / 10)) bad = "shank of row " k
    if ($2 - z > 0.5 || z - $2 > 0.5) bad = "depth of row " k
    if (!($3 + 0 < 0 && $4 + 0 > 0)) bad = "range of row " k ": " $3 " " $4
    n++
  }
  END {
    if (n != 30) bad = n " rows, not 30"
    if (bad != "") { print "wrong " bad > "/dev/stderr"; exit 1 }
  }'

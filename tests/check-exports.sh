#!/bin/sh
# check-exports.sh LIBRARY HEADER: the shared library exports exactly the
# functions its public header declares (src/engine/wslfp.map keeps them so).
set -eu
lib=$1 header=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nm -D --defined-only "$lib" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort -u > "$tmp/exported"
grep -oE '\bwslfp_[a-z0-9_]+ *\(' "$header" | tr -d ' (' | sort -u > "$tmp/declared"
if ! cmp -s "$tmp/exported" "$tmp/declared"; then
  echo "exported by $lib (<) versus declared in $header (>):"
  diff "$tmp/exported" "$tmp/declared" || true
  exit 1
fi
echo "$(wc -l < "$tmp/exported") functions exported, all declared in $(basename "$header")"

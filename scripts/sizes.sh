#!/usr/bin/env bash
# Prints the size of what a browser downloads, raw and gzipped.
source "$(dirname "$0")/lib.sh"
printf '%-12s %10s %10s\n' asset raw gzip
for f in shop.wasm shop.js shop.css; do
  path="$SITE/pkg/$f"
  printf '%-12s %10s %10s\n' "$f" "$(wc -c <"$path")" "$(gzip -9 -c "$path" | wc -c)"
done

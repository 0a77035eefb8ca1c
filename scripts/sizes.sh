#!/usr/bin/env bash
# Prints the size of the islands' bundle and stylesheet a browser downloads:
# raw, gzip -9, and the brotli copy the server actually sends.
source "$(dirname "$0")/lib.sh"
printf '%-6s %-32s %10s %10s %10s\n' kind file raw gzip brotli
total_gzip=0
while read -r kind url; do
  path="$SITE$url"
  gz=$(gzip -9 -c "$path" | wc -c)
  total_gzip=$((total_gzip + gz))
  printf '%-6s %-32s %10s %10s %10s\n' "$kind" "${url#/pkg/}" "$(wc -c <"$path")" "$gz" "$(wc -c <"$path.br")"
done <"$SITE/assets.txt"
printf '%-6s %-32s %10s %10s\n' all '' '' "$total_gzip"

#!/usr/bin/env bash
# One run of the emulator keeping its state in a file (as the shop's
# embedded one does): starts the emulator binary given (default
# target/release/stripe-emulator) with a fresh state file, creates
# BENCH_CUSTOMERS customers through its API, 50 at a time
# (end2end/bench/customers.mjs), and stops it. Time it as a whole, e.g.
# against an older build:
#
#   hyperfine './scripts/bench-emulator-state.sh' './scripts/bench-emulator-state.sh old/stripe-emulator'
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
emulator="${1:-$ROOT/target/release/stripe-emulator}"
work="$(mktemp -d)"
port="${BENCH_PORT:-12320}"
"$emulator" --addr "127.0.0.1:$port" --state "$work/state.json" >/dev/null 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
node "$ROOT/end2end/bench/customers.mjs" "http://127.0.0.1:$port" sk_test_emulator "${BENCH_CUSTOMERS:-2500}" 50

#!/usr/bin/env bash
# `server customers import` against the shop's own embedded emulator: starts
# the release server on a fresh SQLite database without demo accounts,
# creates BENCH_CUSTOMERS customers at its emulator by API calls
# (end2end/bench/customers.mjs; the time this takes measures the emulator,
# whose state file is written as customers arrive), then times the first
# import and a second one, which changes nothing.
#
#   ./scripts/bench-import.sh     # BENCH_NO_BUILD=1 skips the build;
#   BENCH_CUSTOMERS=2500; BENCH_SERVER=path/to/server (another build)
source "$(dirname "$0")/lib.sh"
if [ -z "${BENCH_NO_BUILD:-}" ]; then "$ROOT/scripts/build.sh"; else ensure_build_tools; fi
ensure_test_tools
cd "$ROOT"
work="$ROOT/target/bench-import"
server="${BENCH_SERVER:-$ROOT/target/release/server}"
customers="${BENCH_CUSTOMERS:-2500}"
rm -rf "$work"
mkdir -p "$work"
export DATABASE_URL="sqlite://$work/shop.db" SHOP_ADDR=127.0.0.1:3310 STRIPE_EMULATOR_ADDR=127.0.0.1:12310
export SHOP_DEMO=false SHOP_SITE_ROOT="$SITE" RUST_LOG=warn
"$server" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fs http://127.0.0.1:3310/readyz >/dev/null 2>&1 && break; sleep 0.2; done
step "creating $customers customers at the shop's emulator (concurrency 50)"
node end2end/bench/customers.mjs http://127.0.0.1:12310 "$(cat "$work/stripe-emulator.key")" "$customers" 50
step "server customers import (first run)"
TIMEFORMAT='first import: %R s wall'
time "$server" customers import
step "server customers import (second run: nothing to change)"
TIMEFORMAT='second import: %R s wall'
time "$server" customers import

#!/usr/bin/env bash
# The first-load benchmark: builds the release, serves it (fresh database,
# embedded emulator), and runs end2end/bench/bench.mjs against it, which
# prints one table and writes it to docs/benchmarks.md.
#
#   ./scripts/bench.sh                          # this build
#   BENCH_BASELINE=target/baseline ./scripts/bench.sh
#       # side by side with an earlier build: a folder with its `server`
#       # binary and its `site/` (see docs/benchmarks.md for how one is made)
#   BENCH_RUNS=20 BENCH_NO_BUILD=1 ./scripts/bench.sh
source "$(dirname "$0")/lib.sh"
ensure_chromium
if [ -z "${BENCH_NO_BUILD:-}" ]; then "$ROOT/scripts/build.sh"; else ensure_build_tools; fi
ensure_test_tools
cd "$ROOT"

work="$ROOT/target/bench"
rm -rf "$work"
mkdir -p "$work"
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT

# serve NAME BINARY SITE PORT EMULATOR_PORT
serve() {
  mkdir -p "$work/$1"
  DATABASE_URL="sqlite://$work/$1/shop.db" SHOP_ADDR="127.0.0.1:$4" SHOP_SITE_ROOT="$3" \
    STRIPE_EMULATOR_ADDR="127.0.0.1:$5" SHOP_CATCH_UP_EVERY_SECS=0 RUST_LOG=warn \
    "$2" >"$work/$1/server.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do
    # /readyz; a baseline older than it has /healthz only.
    curl -fs "http://127.0.0.1:$4/readyz" >/dev/null 2>&1 && return 0
    curl -fs "http://127.0.0.1:$4/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the $1 server did not start; see $work/$1/server.log" >&2
  return 1
}

step "serving this build on :3200"
serve current "$ROOT/target/release/server" "$SITE" 3200 12120
baseline=()
if [ -n "${BENCH_BASELINE:-}" ]; then
  step "serving the baseline ($BENCH_BASELINE) on :3201"
  serve baseline "$(realpath "$BENCH_BASELINE")/server" "$(realpath "$BENCH_BASELINE")/site" 3201 12121
  baseline=(--baseline http://127.0.0.1:3201)
fi

step "measuring (${BENCH_RUNS:-12} runs per series)"
(cd end2end && node bench/bench.mjs --shop http://127.0.0.1:3200 "${baseline[@]}" --runs "${BENCH_RUNS:-12}")

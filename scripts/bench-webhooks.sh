#!/usr/bin/env bash
# The webhook path under load: builds the release server, starts it with a
# fresh database and a known webhook secret (Stripe keys mode; nothing calls
# Stripe), and posts signed events at concurrency 1, 8 and 32
# (end2end/bench/webhooks.mjs). Prints one table.
#
#   ./scripts/bench-webhooks.sh                 # BENCH_NO_BUILD=1 to skip the build
source "$(dirname "$0")/lib.sh"
if [ -z "${BENCH_NO_BUILD:-}" ]; then "$ROOT/scripts/build.sh"; else ensure_build_tools; fi
cd "$ROOT"
work="$ROOT/target/bench-webhooks"
rm -rf "$work"
mkdir -p "$work"
secret="whsec_bench_$(date +%s)"
DATABASE_URL="sqlite://$work/shop.db" SHOP_ADDR="127.0.0.1:3310" SHOP_SITE_ROOT="$SITE" \
  STRIPE_SECRET_KEY=sk_test_bench STRIPE_PUBLISHABLE_KEY=pk_test_bench STRIPE_WEBHOOK_SECRET="$secret" \
  STRIPE_API_BASE=http://127.0.0.1:9 SHOP_CATCH_UP_EVERY_SECS=0 RUST_LOG=warn \
  "$ROOT/target/release/server" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:3310/readyz >/dev/null 2>&1 && break
  sleep 0.2
done
(cd end2end && node bench/webhooks.mjs --shop http://127.0.0.1:3310 --secret "$secret" --events "${BENCH_EVENTS:-3000}")

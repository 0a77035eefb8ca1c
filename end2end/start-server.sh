#!/usr/bin/env bash
# Starts the release server for the Playwright suite with a fresh database
# (in E2E_DB_DIR, default target/e2e). playwright.config.ts starts two: the
# demo shop, and a shop without demo accounts (SHOP_DEMO=false) whose
# customers exist only at its Stripe (tests/customers.spec.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
db_dir="${E2E_DB_DIR:-target/e2e}"
rm -rf "$db_dir"
mkdir -p "$db_dir"
export DATABASE_URL="sqlite://$db_dir/shop.db"
export SHOP_ADDR="127.0.0.1:${E2E_PORT:-3100}"
if [ "${E2E_STRIPE:-emulator}" = "live-test" ]; then
  # Real Stripe test mode: the keys come from the environment (checked by
  # playwright.config.ts), events from `stripe listen`.
  unset STRIPE_EMULATOR_ADDR
else
  export STRIPE_EMULATOR_ADDR="127.0.0.1:${E2E_SHOP_EMULATOR_PORT:-12113}"
  unset STRIPE_SECRET_KEY STRIPE_PUBLISHABLE_KEY STRIPE_WEBHOOK_SECRET
fi
export SHOP_SITE_ROOT="${SHOP_SITE_ROOT:-target/site}"
# Failure notices wait 60 s by default (dropped if the order is paid meanwhile); tests need not.
export SHOP_FAILURE_NOTICE_DELAY_SECS="${SHOP_FAILURE_NOTICE_DELAY_SECS:-1}"
export RUST_LOG="${RUST_LOG:-info,sqlx=warn}"
exec target/release/server

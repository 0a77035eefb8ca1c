#!/usr/bin/env bash
# Sets up what is missing, builds, and serves the shop at http://127.0.0.1:3000
# (embedded SQLite in data/shop.db, demo customers listed on /signin).
source "$(dirname "$0")/lib.sh"
"$ROOT/scripts/build.sh"
cd "$ROOT"
step "serving http://${SHOP_ADDR:-127.0.0.1:3000} (Ctrl-C to stop)"
exec "$ROOT/target/release/server"

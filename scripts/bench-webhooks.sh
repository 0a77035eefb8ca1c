#!/usr/bin/env bash
# The webhook path under load: builds the release server, then for each
# database (SQLite; PostgreSQL with one instance, and two behind nginx with
# deploy/nginx.conf) and each kind of event (ignored; paying an order), starts
# the shop on a fresh database with a known webhook secret (Stripe keys mode;
# nothing calls Stripe) and posts signed events at concurrency 1, 8 and 32
# (end2end/bench/webhooks.mjs). Prints one table per series. PostgreSQL is the
# project's throwaway cluster (scripts/lib.sh), durable (fsync on).
#
#   ./scripts/bench-webhooks.sh          # BENCH_NO_BUILD=1 skips the build;
#   BENCH_EVENTS=3000 (a concurrency level); BENCH_ONLY="sqlite postgres-1 postgres-2";
#   BENCH_KINDS="ignored paying"; BENCH_SERVER=path/to/server (another build,
#   to compare side by side)
source "$(dirname "$0")/lib.sh"
if [ -z "${BENCH_NO_BUILD:-}" ]; then "$ROOT/scripts/build.sh"; else ensure_build_tools; fi
ensure_test_tools
ensure_postgres
unset SHOP_TEST_DATABASE_URL # always the throwaway cluster, which it can empty
ensure_nginx
cd "$ROOT"
work="$ROOT/target/bench-webhooks"
server="${BENCH_SERVER:-$ROOT/target/release/server}"
events="${BENCH_EVENTS:-3000}"
secret="whsec_bench_$(date +%s)"
pids=()

stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}
trap 'stop_all; if [ -n "${PG_STARTED:-}" ]; then stop_postgres; fi' EXIT

wait_ready() {
  for _ in $(seq 1 150); do
    curl -fs "$1/readyz" >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "not ready: $1" >&2
  return 1
}

start_instance() { # name port database_url
  DATABASE_URL="$3" SHOP_ADDR="127.0.0.1:$2" SHOP_INSTANCE="$1" SHOP_SITE_ROOT="$SITE" \
    STRIPE_SECRET_KEY=sk_test_bench STRIPE_PUBLISHABLE_KEY=pk_test_bench STRIPE_WEBHOOK_SECRET="$secret" \
    STRIPE_API_BASE=http://127.0.0.1:9 SHOP_CATCH_UP_EVERY_SECS=0 SHOP_TRUSTED_PROXIES=127.0.0.1 RUST_LOG=warn \
    "$server" >"$work/server-$1.log" 2>&1 &
  pids+=($!)
}

start_proxy() { # port upstream_a upstream_b
  mkdir -p "$work/nginx"
  chmod 777 "$work/nginx"
  sed -e "s/127.0.0.1:3001/127.0.0.1:$2/; s/127.0.0.1:3002/127.0.0.1:$3/; s/listen 127.0.0.1:8080;/listen 127.0.0.1:$1;/" \
    -e "s#/var/log/nginx/#$work/nginx/#; s#/run/shop-nginx.pid#$work/nginx/nginx.pid#; s#/var/lib/shop-nginx#$work/nginx#g" \
    "$ROOT/deploy/nginx.conf" >"$work/nginx/nginx.conf"
  /usr/sbin/nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  pids+=($!)
}

series() { # setup kind
  local setup="$1" kind="$2" url target
  stop_all
  rm -rf "$work"
  mkdir -p "$work"
  case "$setup" in
    sqlite) url="sqlite://$work/shop.db" ;;
    postgres-*) url="$(fresh_postgres_database bench)" ;;
  esac
  start_instance a 3310 "$url"
  target=http://127.0.0.1:3310
  wait_ready "$target"
  if [ "$setup" = postgres-2 ]; then
    start_instance b 3311 "$url"
    wait_ready http://127.0.0.1:3311
    start_proxy 3320 3310 3311
    target=http://127.0.0.1:3320
    wait_ready "$target"
  fi
  if [ "$kind" = paying ]; then
    case "$setup" in
      sqlite) python3 end2end/bench/seed_orders.py sqlite "$work/shop.db" $((3 * events)) ;;
      *) python3 end2end/bench/seed_orders.py postgres "$url" $((3 * events)) ;;
    esac
  fi
  echo
  echo "### $setup, $kind events ($events per concurrency; ${server#"$ROOT"/})"
  (cd end2end && node bench/webhooks.mjs --shop "$target" --secret "$secret" --events "$events" --kind "$kind")
}

for setup in ${BENCH_ONLY:-sqlite postgres-1 postgres-2}; do
  case "$setup" in postgres-*) [ -n "${PG_STARTED:-}" ] || start_postgres on ;; esac
  for kind in ${BENCH_KINDS:-ignored paying}; do series "$setup" "$kind"; done
done

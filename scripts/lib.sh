# Shared by the project's scripts: idempotent steps that install only what is
# missing, from the package registries (crates.io, npm, Debian). Nothing here
# downloads a prebuilt binary from anywhere else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SITE="$ROOT/target/site"
# The bundle's name, from the one place that sets it (Leptos reads it too).
BUNDLE="$(sed -n 's/^LEPTOS_OUTPUT_NAME = "\(.*\)"$/\1/p' "$ROOT/.cargo/config.toml")"
export BUNDLE
# The build's npm tools (sass, wasm-opt, terser) and the tests' (Playwright,
# TypeScript) are separate installs: running the shop needs only the first.
NODE_BIN="$ROOT/tools/node_modules/.bin"
TEST_BIN="$ROOT/end2end/node_modules/.bin"
export PATH="$HOME/.cargo/bin:$PATH"
# Playwright drives Debian's Chromium; it must never try to fetch its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# One-shot builds gain nothing from incremental caches, which take gigabytes.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1
  fi
}

apt_install() {
  step "apt-get install $*"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"
}

ensure_wasm_target() {
  cd "$ROOT"
  # rust-toolchain.toml pins the toolchain; the target is added to that one.
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate.
ensure_wasm_bindgen() {
  local want have
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" != "$want" ]; then
    step "cargo install wasm-bindgen-cli $want (about 3 minutes, once)"
    # Not --locked: one of its locked dependencies is missing from the registry mirror.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_node() {
  if ! command -v npm >/dev/null; then apt_install nodejs npm; fi
}

# `npm ci` in $1 (tools/ or end2end/), when its lockfile changed since the last.
ensure_npm_packages() {
  ensure_node
  local dir="$ROOT/$1" stamp="$ROOT/$1/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    step "npm ci ($1/)"
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}

# Chromium for Playwright; chromedriver for wasm-bindgen's browser tests
# (stripe-elements/tests/browser.rs). Same Debian release, so they match.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then apt_install chromium chromium-driver; fi
}

# What building needs: sass, wasm-opt and terser, pinned by tools/package-lock.json.
ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_npm_packages tools
}

# What the tests add: Playwright, TypeScript, Stripe's SDKs (end2end/package-lock.json),
# and the example app's packages (its Playwright test runs it).
ensure_test_tools() {
  ensure_npm_packages end2end
  ensure_npm_packages examples/node-checkout
}

# PostgreSQL for the tests and the benchmark: a throwaway cluster under
# target/ on a loopback port, run as an unprivileged user (PostgreSQL refuses
# root), installed from Debian when missing. `SHOP_TEST_DATABASE_URL` set by
# the developer points everything at their own server instead; tests then make
# schemas named test_<process>_<n> in it.
PG_DIR="$ROOT/target/postgres"
# Below Linux's ephemeral range (32768–60999): a port in it can be held, as
# the local end of one of the tests' many connections, just when the
# cluster starts (seen: "could not bind … Address already in use").
PG_PORT="${PG_PORT:-15432}"

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

ensure_postgres() {
  if [ -z "$(pg_bin)" ]; then apt_install postgresql; fi
}

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# nginx, for the test of two instances behind a proxy (deploy/nginx.conf);
# the test starts and stops its own, in the foreground.
ensure_nginx() {
  if [ ! -x /usr/sbin/nginx ]; then apt_install nginx; fi
}

# start_postgres [fsync=on|off]: starts the cluster (creating it if needed)
# and exports SHOP_TEST_DATABASE_URL. Tests run with fsync off (nothing to
# keep); the benchmark with it on, as a real server would.
start_postgres() {
  local fsync="${1:-on}" bin
  if [ -n "${SHOP_TEST_DATABASE_URL:-}" ] && [ -z "${PG_STARTED:-}" ]; then
    step "PostgreSQL: using SHOP_TEST_DATABASE_URL"
    return
  fi
  ensure_postgres
  bin="$(pg_bin)"
  step "PostgreSQL: throwaway cluster in target/postgres on 127.0.0.1:$PG_PORT"
  if [ ! -f "$PG_DIR/PG_VERSION" ]; then
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    pg_as_owner "$bin/initdb" -D "$PG_DIR" -U shop --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  stop_postgres quiet
  pg_as_owner "$bin/pg_ctl" -D "$PG_DIR" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=$fsync -c max_connections=200" >/dev/null
  PG_STARTED=1
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U shop -d postgres -qtAc \
    "SELECT 1 FROM pg_database WHERE datname = 'shop'" | grep -q 1 ||
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U shop shop
  export SHOP_TEST_DATABASE_URL="postgres://shop@127.0.0.1:$PG_PORT/shop"
}

stop_postgres() {
  local bin
  bin="$(pg_bin)" || return 0
  if [ -f "$PG_DIR/postmaster.pid" ]; then
    pg_as_owner "$bin/pg_ctl" -D "$PG_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  [ "${1:-}" = quiet ] || unset PG_STARTED
}

# A new, empty database in the running cluster; prints its URL.
fresh_postgres_database() {
  local name="$1" bin
  bin="$(pg_bin)"
  "$bin/dropdb" --if-exists -h 127.0.0.1 -p "$PG_PORT" -U shop "$name"
  "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U shop "$name"
  echo "postgres://shop@127.0.0.1:$PG_PORT/$name"
}

#!/usr/bin/env bash
# The developer loop: builds once, serves the shop from a debug build (the
# embedded emulator, data/shop.db, as scripts/run.sh does), then, whenever a
# source file is saved, rebuilds what changed (incrementally) and restarts the
# server: the next reload of the page shows the change. Ctrl-C stops it.
#
# Debug builds and an unoptimised bundle (several MB of wasm, neither
# wasm-opt'd, minified nor compressed) in target/dev-site: quick to build, not
# what a shopper downloads; scripts/run.sh and the test command build that.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-1}"
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"
DEV_SITE="$ROOT/target/dev-site"
export SHOP_SITE_ROOT="$DEV_SITE"
STAMP="$ROOT/target/dev.stamp"
WATCHED=(app shop server emulator stripe-elements frontend style public Cargo.toml Cargo.lock)

# The islands' bundle, the stylesheet and the public files.
build_site() {
  cargo build --locked -q -p frontend --lib --target wasm32-unknown-unknown || return 1
  rm -rf "$DEV_SITE.new" && mkdir -p "$DEV_SITE.new/pkg"
  wasm-bindgen --target web --no-typescript --out-dir "$DEV_SITE.new/pkg" --out-name "$BUNDLE" \
    target/wasm32-unknown-unknown/debug/frontend.wasm || return 1
  mv "$DEV_SITE.new/pkg/${BUNDLE}_bg.wasm" "$DEV_SITE.new/pkg/$BUNDLE.wasm"
  "$NODE_BIN/sass" --no-source-map style/main.scss "$DEV_SITE.new/pkg/$BUNDLE.css" || return 1
  cp -R public/. "$DEV_SITE.new/"
  ASSETS_DEV=1 node scripts/assets.mjs "$DEV_SITE.new" >/dev/null || return 1
  rm -rf "$DEV_SITE" && mv "$DEV_SITE.new" "$DEV_SITE"
}

server_pid=""
start_server() {
  "$ROOT/target/debug/server" &
  server_pid=$!
}
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill -TERM "$server_pid" 2>/dev/null || true
  # Graceful shutdown waits for open requests; an open page's event stream
  # would hold it, so not for long.
  for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

# Whether a watched file changed since the stamp.
changed() {
  [ -n "$(find "${WATCHED[@]}" -newer "$STAMP" -type f -not -path '*/node_modules/*' -print -quit 2>/dev/null)" ]
}

rebuild() {
  local began ms
  began=$(date +%s%3N)
  touch "$STAMP"
  if build_site && cargo build --locked -q -p server; then
    stop_server
    start_server
    ms=$(($(date +%s%3N) - began))
    step "rebuilt and restarted in $((ms / 1000)).$((ms % 1000 / 100)) s: http://${SHOP_ADDR:-127.0.0.1:3000}"
  else
    step "the build failed; the running server (if any) stays as it was"
  fi
}

mkdir -p target
rebuild
while true; do
  sleep 0.3
  if changed; then rebuild; fi
done

#!/usr/bin/env bash
# Builds the release site (wasm, js, css, public files in target/site) and the
# server binary (target/release/server), the same artefacts cargo-leptos makes,
# without needing cargo-leptos.
source "$(dirname "$0")/lib.sh"
ensure_build_tools
cd "$ROOT"

step "cargo build: browser bundle (wasm32, profile wasm-release)"
cargo build --locked -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release

step "wasm-bindgen, wasm-opt, sass"
rm -rf "$SITE"
mkdir -p "$SITE/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name "$BUNDLE" \
  target/wasm32-unknown-unknown/wasm-release/frontend.wasm
# binaryen from npm (version 132): Debian's older wasm-opt breaks hydration.
# --converge repeats -Oz until it stops shrinking (about 330 B gzip); the
# producers and target-features sections are for toolchains, not browsers.
"$NODE_BIN/wasm-opt" -Oz --converge --strip-producers --strip-target-features \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  -o "$SITE/pkg/$BUNDLE.wasm" "$SITE/pkg/${BUNDLE}_bg.wasm"
rm "$SITE/pkg/${BUNDLE}_bg.wasm"
"$NODE_BIN/sass" --no-source-map --style=compressed style/main.scss "$SITE/pkg/$BUNDLE.css"
cp -R public/. "$SITE/"

step "content-hashed names, brotli and gzip copies"
node "$ROOT/scripts/assets.mjs" "$SITE"

step "cargo build: server (release)"
cargo build --locked --release -p server
echo "built $SITE and target/release/server"

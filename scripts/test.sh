#!/usr/bin/env bash
# Sets up what is missing (wasm target, wasm-bindgen-cli, npm packages, Debian
# Chromium), then runs every check: formatting, clippy for the server and the
# browser, all Rust tests, a release build, and the Playwright suite against it
# with a fresh database. The data layer and the server's tests run twice: on
# SQLite, then on PostgreSQL (a throwaway cluster this script installs, starts
# and stops; or yours, with SHOP_TEST_DATABASE_URL=postgres://…). Ends with
# the bundle sizes and one summary line.
source "$(dirname "$0")/lib.sh"
ensure_build_tools
ensure_test_tools
ensure_chromium
ensure_postgres
ensure_nginx
cd "$ROOT"
mkdir -p target
started=$SECONDS
# Whatever happens, the servers this script started stop with it.
trap stop_postgres EXIT

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy: server side (ssr) and the Stripe emulator"
cargo clippy --locked -p shop -p app -p server -p stripe-emulator -p stripe-elements --features app/ssr,stripe-elements/leptos --all-targets -- -D warnings

step "cargo clippy: a production server without the embedded emulator"
cargo clippy --locked -p server --no-default-features -- -D warnings

step "cargo clippy: browser side (hydrate, wasm32)"
cargo clippy --locked -p frontend -p app -p shop -p stripe-elements --features stripe-elements/leptos --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p stripe-elements --features leptos --target wasm32-unknown-unknown --tests -- -D warnings

step "cargo test"
cargo test --locked -p shop -p app -p server -p stripe-emulator -p stripe-elements --features app/ssr 2>&1 | tee target/rust-tests.log

step "stripe-elements in Chromium against the emulator (wasm-bindgen-test)"
# A standalone emulator for the bindings' browser tests (its binary was built
# by the tests above); stopped with the other servers, whatever happens.
target/debug/stripe-emulator --addr 127.0.0.1:12115 >target/wasm-tests-emulator.log 2>&1 &
wasm_emulator=$!
trap 'kill "$wasm_emulator" 2>/dev/null || true; stop_postgres' EXIT
# The runner's page is not cross-origin isolated, as a shop's pages are not.
WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 STRIPE_EMULATOR_URL=http://127.0.0.1:12115 CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --locked -p stripe-elements --features leptos --target wasm32-unknown-unknown 2>&1 | tee target/wasm-tests.log
kill "$wasm_emulator" 2>/dev/null || true

start_postgres off
step "cargo test on PostgreSQL (the data layer and the server)"
cargo test --locked -p shop -p server --features app/ssr 2>&1 | tee target/rust-tests-postgres.log

step "Stripe's Node SDK against the emulator (node --test)"
(cd end2end && node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination=../target/node-sdk.tap emulator/)

"$ROOT/scripts/build.sh"

step "TypeScript check (end2end/)"
(cd end2end && "$TEST_BIN/tsc" --noEmit)

step "Playwright (release build, fresh database, Debian Chromium)"
(cd end2end && CI=1 "$TEST_BIN/playwright" test)

step "Release bundle sizes (bytes)"
"$ROOT/scripts/sizes.sh"

# One closing line over every runner: Rust's "test result" lines and
# Playwright's JSON report.
read -r rust_passed rust_failed < <(awk '/^test result:/ { p += $4; f += $6 } END { print p+0, f+0 }' target/rust-tests.log target/wasm-tests.log target/rust-tests-postgres.log)
read -r sdk_passed sdk_failed < <(awk '/^# pass/ { p = $3 } /^# fail/ { f = $3 } END { print p+0, f+0 }' target/node-sdk.tap)
read -r e2e_passed e2e_failed < <(node -e '
  const s = require("./end2end/test-results/results.json").stats;
  console.log(s.expected + s.flaky, s.unexpected);')
echo
echo "rust: $rust_passed passed, $rust_failed failed; node sdk: $sdk_passed passed, $sdk_failed failed;" \
  "playwright: $e2e_passed passed, $e2e_failed failed; $((SECONDS - started)) s"
echo "tests: $((rust_passed + sdk_passed + e2e_passed)) passed, $((rust_failed + sdk_failed + e2e_failed)) failed"

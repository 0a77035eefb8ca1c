#!/usr/bin/env bash
# Starts the Stripe emulator for the Payment Element tests, building it first
# when needed (a no-op when cargo test has just built it).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet -p stripe-emulator
exec target/debug/stripe-emulator --addr "127.0.0.1:${E2E_EMULATOR_PORT:-12112}" --settle-after 1

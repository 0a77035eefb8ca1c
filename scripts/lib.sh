# Shared by the project's scripts: idempotent steps that install only what is
# missing, from the package registries (crates.io, npm, Debian). Nothing here
# downloads a prebuilt binary from anywhere else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SITE="$ROOT/target/site"
# The bundle's name, from the one place that sets it (Leptos reads it too).
BUNDLE="$(sed -n 's/^LEPTOS_OUTPUT_NAME = "\(.*\)"$/\1/p' "$ROOT/.cargo/config.toml")"
export BUNDLE
NODE_BIN="$ROOT/end2end/node_modules/.bin"
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

# sass, wasm-opt (binaryen) and Playwright come from npm, pinned by package-lock.json.
ensure_node_modules() {
  ensure_node
  local stamp="$ROOT/end2end/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$ROOT/end2end/package-lock.json" -nt "$stamp" ]; then
    step "npm ci (end2end/)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_node_modules
}

#!/usr/bin/env bash
# Runs every check and test. `npm test` calls it after scripts/setup.sh --browser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=${CARGO_TERM_COLOR:-never}

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "rustfmt"
cargo fmt --all --check

step "clippy (native and wasm32)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p modelgate-core -p modelgate-wasm --target wasm32-unknown-unknown -- -D warnings
# The edge worker's build: the wasm bindings without the page's exports.
cargo clippy -p modelgate-wasm --no-default-features --target wasm32-unknown-unknown -- -D warnings

step "the core stays pure: no wasm-bindgen, js-sys or web-sys in its dependency tree"
if cargo tree -p modelgate-core -e normal --prefix none | grep -E '^(wasm-bindgen|js-sys|web-sys) '; then
  echo "modelgate-core depends on a JS binding crate" >&2
  exit 1
fi

step "cargo test (core, CLI)"
cargo test --workspace

step "cargo doc"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "core builds for wasm32"
cargo build -p modelgate-core --target wasm32-unknown-unknown --quiet

step "wasm bindings under node"
wasm-pack test --node crates/modelgate-wasm

step "JSON Schema export against Ajv (wasm build under node)"
bash scripts/build-wasm.sh
node --test tests/contract/

step "hostile-input corpus through the wasm under node"
node --test tests/hostile/

step "page in headless Chromium"
cargo build -q -p modelgate-cli
node --test --test-concurrency=1 tests/e2e/

# Wrangler sends no metrics and, without its banner, makes no update check: the
# worker steps touch no network.
export WRANGLER_SEND_METRICS=false WRANGLER_HIDE_BANNER=true

step "edge worker inside workerd (vitest, @cloudflare/vitest-pool-workers)"
bash scripts/build-wasm.sh worker
node_modules/.bin/vitest run --config worker/vitest.config.mjs

step "edge worker bundles offline (wrangler deploy --dry-run)"
# An absolute --outdir: wrangler reads a relative one against the config's folder.
rm -rf "$PWD/target/worker-dist"
node_modules/.bin/wrangler deploy --dry-run --config worker/wrangler.toml --outdir "$PWD/target/worker-dist"
ls "$PWD"/target/worker-dist/*.wasm > /dev/null

#!/usr/bin/env bash
# Builds the wasm package for the page (web/pkg) and optimises it with the npm
# binaryen's wasm-opt. Skips the build when no input changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

out=web/pkg
stamp=$out/.inputs
inputs=$( (cat Cargo.lock Cargo.toml; find crates/modelgate-core/src crates/modelgate-wasm/src crates/modelgate-core/Cargo.toml crates/modelgate-wasm/Cargo.toml rubrics -type f -print0 | sort -z | xargs -0 cat) | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs" ] && [ -f $out/modelgate_wasm_bg.wasm ]; then
  exit 0
fi
echo "build-wasm: building $out" >&2
wasm-pack build crates/modelgate-wasm --release --target web --out-dir ../../$out --no-pack >&2
if [ -x node_modules/.bin/wasm-opt ]; then
  node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals \
    $out/modelgate_wasm_bg.wasm -o $out/modelgate_wasm_bg.wasm
fi
rm -f $out/.gitignore
echo "$inputs" > "$stamp"

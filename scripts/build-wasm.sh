#!/usr/bin/env bash
# Builds the wasm packages and optimises them with the npm binaryen's wasm-opt:
#   web/pkg     for the page (wasm-pack --target web, wasm-opt -O3: speed)
#   worker/pkg  for the edge worker (the `wasm-size` profile, wasm-opt -Oz: size)
# Each is skipped when no input changed since its last build.
#   bash scripts/build-wasm.sh [web|worker]...   (both by default)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

targets=("$@")
[ ${#targets[@]} = 0 ] && targets=(web worker)

inputs=$( (cat Cargo.lock Cargo.toml; find crates/modelgate-core/src crates/modelgate-wasm/src crates/modelgate-core/Cargo.toml crates/modelgate-wasm/Cargo.toml rubrics web/report -type f -print0 | sort -z | xargs -0 cat) | sha256sum | cut -d' ' -f1)
wasm_opt_features=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals)

fresh() { [ -f "$1/.inputs" ] && [ "$(cat "$1/.inputs")" = "$inputs" ] && [ -f "$1/modelgate_wasm_bg.wasm" ]; }

build_web() {
  local out=web/pkg
  fresh $out && return 0
  echo "build-wasm: building $out" >&2
  wasm-pack build crates/modelgate-wasm --release --target web --out-dir ../../$out --no-pack >&2
  if [ -x node_modules/.bin/wasm-opt ]; then
    node_modules/.bin/wasm-opt -O3 "${wasm_opt_features[@]}" \
      $out/modelgate_wasm_bg.wasm -o $out/modelgate_wasm_bg.wasm
  fi
  rm -f $out/.gitignore
  echo "$inputs" > $out/.inputs
}

# The worker's package is built with cargo and the wasm-bindgen CLI (the very
# ones wasm-pack drives) because it needs a flag wasm-pack cannot pass:
# --experimental-reset-state-function generates __wbg_reset_state, which the
# worker calls to get a fresh instance after a panic trapped the old one.
build_worker() {
  local out=worker/pkg
  fresh $out && return 0
  echo "build-wasm: building $out" >&2
  cargo build -q -p modelgate-wasm --lib --no-default-features --target wasm32-unknown-unknown --profile wasm-size
  wasm-bindgen --target web --experimental-reset-state-function --out-dir $out \
    target/wasm32-unknown-unknown/wasm-size/modelgate_wasm.wasm
  node_modules/.bin/wasm-opt -Oz "${wasm_opt_features[@]}" \
    $out/modelgate_wasm_bg.wasm -o $out/modelgate_wasm_bg.wasm
  echo "$inputs" > $out/.inputs
}

for target in "${targets[@]}"; do
  case "$target" in
    web) build_web ;;
    worker) build_worker ;;
    *) echo "build-wasm.sh: unknown target $target (web or worker)" >&2; exit 2 ;;
  esac
done

#!/usr/bin/env bash
# Installs everything modelgate needs, and does nothing that is already done.
#   scripts/setup.sh            toolchain, npm packages, the wasm packages for the page and the worker
#   scripts/setup.sh --browser  also Debian's Chromium for the browser tests
# Every tool comes from a package registry (crates.io, npm, Debian); nothing is
# downloaded from anywhere else.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

log() { printf '\033[1msetup:\033[0m %s\n' "$*" >&2; }

# The wasm-bindgen CLI must match the library in Cargo.lock exactly, or wasm-pack
# tries to download a matching one (and this machine has no internet for that).
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  log "installing wasm-bindgen-cli $bindgen_version (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "=$bindgen_version" --force
fi
if ! command -v wasm-pack >/dev/null; then
  log "installing wasm-pack (a few minutes, once)"
  cargo install wasm-pack
fi

if [ $want_browser = 1 ] && ! { command -v chromium >/dev/null && command -v chromedriver >/dev/null; }; then
  log "installing Debian's chromium and chromium-driver"
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends chromium chromium-driver
fi

# npm packages from the committed lockfile, again whenever the lockfile changes.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
fi

bash scripts/build-wasm.sh

#!/usr/bin/env bash
# The production build: target/release/pizzeria and target/site/, with the browser's wasm split
# per island and optimised for size (wasm-opt, from the npm package binaryen, must be on PATH).
#
# The wasm is built with its own standard library (`-Zbuild-std`) in which a panic aborts at
# once instead of formatting a message (`-Cpanic=immediate-abort`): every page downloads less
# (the kitchen screen 300.2 -> 277.5 KiB brotli, every page's main piece 76.9 -> 66.2 KiB;
# BENCHMARKS.md, sixteenth sitting). Both are unstable compiler options, allowed on the stable
# toolchain by RUSTC_BOOTSTRAP for the wasm build only; the server is built without them. The
# cost: a panic in a release browser shows no message (dev builds, which the tests run on,
# keep it). Set PIZZERIA_PLAIN_WASM=1 for a build without them.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-tools.sh"
ensure_rust_tools
cd "$REPO"
# Cargo takes RUSTFLAGS over the wasm's own flags below, and a stray `--cfg erase_components`
# (what cargo-leptos's dev builds use) would erase the server's views but not the browser's,
# which then could not hydrate: server and wasm are built with the flags this script sets.
unset RUSTFLAGS

if ! command -v wasm-opt >/dev/null 2>&1; then
  echo "wasm-opt is not on PATH: npm install binaryen, then add node_modules/.bin to PATH" >&2
  exit 1
fi

say "building the server"
cargo leptos build --release --split --server-only

say "building the browser's wasm"
if [ -n "${PIZZERIA_PLAIN_WASM:-}" ]; then
  cargo leptos build --release --split --frontend-only
else
  if [ ! -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    say "adding the standard library's source (rust-src), once"
    rustup component add rust-src
  fi
  RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
    cargo leptos build --release --split --frontend-only "--lib-cargo-args=-Zbuild-std=std,panic_abort"
fi

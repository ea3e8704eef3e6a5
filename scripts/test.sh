#!/usr/bin/env bash
# Runs every test: formatting and lints, Rust unit and integration tests (on SQLite, then the
# integration tests again on PostgreSQL), the load generator's smoke run, then Playwright in
# Debian's Chromium.
# Installs whatever is missing first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-tools.sh"
ensure_rust_tools
ensure_browser_tools
ensure_postgres
ensure_nginx
ensure_schemathesis
cd "$REPO"

say "building the server and the browser bundle"
cargo leptos build --split

# The same flags and build-time variables as cargo-leptos's dev build, so the test build reuses
# its artefacts and the binary it leaves behind still points at the right wasm file.
export RUSTFLAGS="--cfg erase_components"
export LEPTOS_OUTPUT_NAME=pizzeria LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=false

say "formatting and lints (the server's build and the browser's)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

say "Rust tests (SQLite)"
cargo test --workspace --no-fail-fast

say "Rust integration tests again, on PostgreSQL (a database per test)"
PIZZERIA_TEST_BACKEND=postgres cargo test --workspace --test '*' --no-fail-fast

say "load generator smoke runs (200 sockets each; fail on a lost or duplicated event)"
(cd benches/baseline-node && npm ci --no-audit --no-fund --silent)
cargo build -q -p loadgen -p baseline-axum
for scenario in smoke routing-smoke storm-smoke baselines-smoke; do
    cargo run -q -p loadgen -- --server-bin target/debug/pizzeria --out target/bench/ci scenario "$scenario"
done

say "browser tests"
(cd end2end && npx playwright test)

#!/usr/bin/env bash
# Installs whatever this machine lacks to build and test Pizzeria Live, and skips what is there.
# Sourced by scripts/demo.sh and scripts/test.sh. Needs: rustup/cargo, and root for apt-get.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_LEPTOS_VERSION="0.3.10"
export PATH="$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    say "adding rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes, once)"
    cargo install "cargo-leptos@$CARGO_LEPTOS_VERSION" --locked
  fi
  # cargo-leptos needs the wasm-bindgen CLI at exactly the version in Cargo.lock.
  local wanted
  wanted="$(grep -A1 '^name = "wasm-bindgen"$' "$REPO/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p')"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
    say "installing wasm-bindgen-cli $wanted"
    # Not --locked: one of its locked dependencies is no longer on the registry.
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

ensure_node() {
  if ! command -v npm >/dev/null 2>&1; then
    say "installing Node.js and npm"
    apt_install nodejs npm
  fi
}

ensure_browser_tools() {
  ensure_node
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium (Debian package)"
    apt_install chromium
  fi
  local lock="$REPO/end2end/package-lock.json" stamp="$REPO/end2end/node_modules/.installed-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    say "installing the end-to-end test packages"
    (cd "$REPO/end2end" && npm ci --no-audit --no-fund)
    cp "$lock" "$stamp"
  fi
}

# nginx, for the test that runs two instances behind a real reverse proxy.
ensure_nginx() {
  if [ ! -x /usr/sbin/nginx ]; then
    say "installing nginx (Debian package)"
    apt_install nginx-light || apt_install nginx
  fi
}

# schemathesis (from PyPI, in its own virtualenv), for the test that fuzzes /api/v1 from its
# OpenAPI document. The test finds it through PIZZERIA_SCHEMATHESIS.
SCHEMATHESIS_VERSION="4.32.5"
ensure_schemathesis() {
  local venv="$HOME/.cache/pizzeria-live/schemathesis-$SCHEMATHESIS_VERSION"
  if [ ! -x "$venv/bin/schemathesis" ]; then
    say "installing schemathesis $SCHEMATHESIS_VERSION (PyPI)"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  export PIZZERIA_SCHEMATHESIS="$venv/bin/schemathesis"
}

# The PostgreSQL the tests use (one database per test): 127.0.0.1:5432, user postgres, trust
# auth for local TCP connections. Starts it if it is installed but down; installs it if absent.
ensure_postgres() {
  if postgres_answers; then
    return
  fi
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    say "installing PostgreSQL (Debian package)"
    apt_install postgresql
    # A fresh cluster asks for passwords over TCP; the tests connect locally without one.
    local hba
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    done
  fi
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  say "starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    postgres_answers && return
    sleep 1
  done
  echo "PostgreSQL did not come up on 127.0.0.1:5432" >&2
  return 1
}

postgres_answers() {
  (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null
}

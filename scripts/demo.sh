#!/usr/bin/env bash
# Installs what is missing, builds, and runs Pizzeria Live with the demo pizzeria.
# The first run creates ./pizzeria.db with the demo menu and an admin account whose random
# password is printed here (there is no default password). Stop with Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-tools.sh"
ensure_rust_tools
cd "$REPO"

say "building (the first build takes several minutes)"
cargo leptos build --split

export DATABASE_URL="${DATABASE_URL:-sqlite://pizzeria.db}"
export PIZZERIA_ADDR="${PIZZERIA_ADDR:-127.0.0.1:3000}"
export LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=pizzeria
# Simulated customers and staff, so the kitchen and staff screens move at once (off by default).
export PIZZERIA_DEMO_TRICKLE_SECS="${PIZZERIA_DEMO_TRICKLE_SECS:-6}"
if [ "$DATABASE_URL" = "sqlite://pizzeria.db" ] && [ ! -f pizzeria.db ]; then
  password="$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
  PIZZERIA_NEW_PASSWORD="$password" ./target/debug/pizzeria create-user --role admin --username admin
  say "admin account: username admin, password $password (shown once; keep it)"
fi
say "customers: http://$PIZZERIA_ADDR/   kitchen: http://$PIZZERIA_ADDR/kitchen   staff: http://$PIZZERIA_ADDR/staff"
say "pair a kitchen screen: http://$PIZZERIA_ADDR/admin/devices"
exec ./target/debug/pizzeria serve

#!/usr/bin/env bash
# Installs what is missing, then builds and runs Pizzeria Live with the demo pizzeria.
# The demo menu is seeded into ./pizzeria.db on first start. Stop with Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ensure-tools.sh"
ensure_rust_tools
cd "$REPO"
say "building and starting (first build takes several minutes)"
say "customers: http://${PIZZERIA_ADDR:-127.0.0.1:3000}/   kitchen: /kitchen   staff: /staff"
export PIZZERIA_ADDR="${PIZZERIA_ADDR:-127.0.0.1:3000}"
exec cargo leptos serve

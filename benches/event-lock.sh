#!/usr/bin/env bash
# What the event log's table lock caps on PostgreSQL: every append takes
# `LOCK TABLE events IN EXCLUSIVE MODE` and holds it to its commit, so appends from every
# instance and every pizzeria run one at a time. pgbench runs the server's own append (lock,
# INSERT ... SELECT head + 1, pg_notify, commit) from 8 clients at once on a fresh database
# with the real schema; the transactions per second it reaches is how many appends per second
# the lock lets through on this machine. An append carries one order's event, or a batch of up
# to 64 when orders arrive together (store/order_batcher.rs), so orders/s can go higher still.
# Usage: [BATCH=n] benches/event-lock.sh [postgres://postgres@127.0.0.1:5432] (loopback only,
# 10 s). BATCH (default 1) is how many events each append carries.
set -euo pipefail
SERVER="${1:-postgres://postgres@127.0.0.1:5432}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DB="pizzeria_event_lock_$$"
BIN="${PIZZERIA_BIN:-$REPO/target/release/pizzeria}"
[ -x "$BIN" ] || BIN="$REPO/target/debug/pizzeria"
PGBENCH="$(ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)"
psql "$SERVER/postgres" -qc "CREATE DATABASE $DB"
trap 'psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
# Opening the store migrates it and seeds the first pizzeria, which events belong to.
DATABASE_URL="$SERVER/$DB" PIZZERIA_NEW_PASSWORD="event lock bench" "$BIN" create-user --role staff --username bench >/dev/null
BATCH="${BATCH:-1}"
SCRIPT="$(mktemp)"
cat >"$SCRIPT" <<SQL
BEGIN;
LOCK TABLE events IN EXCLUSIVE MODE;
INSERT INTO events (seq, location_id, kind, order_id, url, payload, actor, created_at)
  SELECT log_head.head + fresh.n, 1, 'order.created', 1, '/api/v1/orders/1',
         '{"order":{"id":1,"customer_name":"lg","status":"received","lines":[]}}', 'customer', now()
  FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM events) AS log_head, generate_series(1, $BATCH) AS fresh(n);
SELECT pg_notify('pizzeria_events', '1');
COMMIT;
SQL
echo "appends of $BATCH event(s) each, 8 clients at once:"
"$PGBENCH" -n -c 8 -j 2 -T 10 -f "$SCRIPT" "$SERVER/$DB" | grep -E "^(tps|latency average)"
rm -f "$SCRIPT"

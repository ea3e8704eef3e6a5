#!/usr/bin/env bash
# What the event log's ordering lets through on PostgreSQL. An append takes its pizzeria's row
# in `event_heads` and holds it to its commit, so appends at one pizzeria run one at a time and
# appends at different pizzerias do not wait for each other. pgbench runs the server's own
# append (take the head, INSERT the events, pg_notify, commit) from 8 clients at once on a fresh
# database with the real schema, the clients spread over PIZZERIAS pizzerias; the transactions
# per second it reaches is how many appends per second pass on this machine. An append carries
# one order's event, or a batch of up to 64 when orders arrive together
# (store/order_batcher.rs), so orders/s can go higher still.
# Usage: [BATCH=n] [PIZZERIAS=n] benches/event-lock.sh [postgres://postgres@127.0.0.1:5432]
# (loopback only, 10 s). BATCH (default 1) is how many events each append carries, PIZZERIAS
# (default 1, at most 8) how many pizzerias the 8 clients append to.
set -euo pipefail
SERVER="${1:-postgres://postgres@127.0.0.1:5432}"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DB="pizzeria_event_lock_$$"
BIN="${PIZZERIA_BIN:-$REPO/target/release/pizzeria}"
[ -x "$BIN" ] || BIN="$REPO/target/debug/pizzeria"
PGBENCH="$(ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)"
BATCH="${BATCH:-1}"
PIZZERIAS="${PIZZERIAS:-1}"
psql "$SERVER/postgres" -qc "CREATE DATABASE $DB"
trap 'psql "$SERVER/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"' EXIT
# Opening the store migrates it and seeds the first pizzeria; the others are made alike.
DATABASE_URL="$SERVER/$DB" PIZZERIA_NEW_PASSWORD="event lock bench" "$BIN" create-user --role staff --username bench >/dev/null
for n in $(seq 2 "$PIZZERIAS"); do
    DATABASE_URL="$SERVER/$DB" "$BIN" create-location --slug "p$n" --name "Pizzeria $n" --host "p$n.test" >/dev/null
done
SCRIPT="$(mktemp)"
cat >"$SCRIPT" <<SQL
\set location (:client_id % $PIZZERIAS) + 1
BEGIN;
INSERT INTO event_heads (location_id, head) VALUES (:location, $BATCH)
  ON CONFLICT (location_id) DO UPDATE SET head = event_heads.head + excluded.head RETURNING head \gset
INSERT INTO events (location_id, seq, kind, order_id, url, payload, actor, created_at)
  SELECT :location, :head - $BATCH + fresh.n, 'order.created', 1, '/api/v1/orders/1',
         '{"order":{"id":1,"customer_name":"lg","status":"received","lines":[]}}', 'customer', now()
  FROM generate_series(1, $BATCH) AS fresh(n);
SELECT pg_notify('pizzeria_events', :location || ':' || :head);
COMMIT;
SQL
echo "appends of $BATCH event(s) each, 8 clients at once over $PIZZERIAS pizzeria(s):"
"$PGBENCH" -n -c 8 -j 2 -T 10 -f "$SCRIPT" "$SERVER/$DB" | grep -E "^(tps|latency average)"
rm -f "$SCRIPT"

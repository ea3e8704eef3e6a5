-- When each order entered each stage, kept as long as the order (the event log is pruned
-- after days): what the owner's report measures stage times and late tickets from.
CREATE TABLE order_stages (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    status      TEXT    NOT NULL,
    entered_at  TEXT    NOT NULL
);
CREATE INDEX order_stages_by_order ON order_stages (order_id, id);

-- Earlier orders: their stages as far as the event log still holds them, else their placing.
INSERT INTO order_stages (order_id, status, entered_at)
SELECT order_id, json_extract(payload, '$.order.status'), created_at FROM events
WHERE order_id IS NOT NULL AND json_extract(payload, '$.order.status') IS NOT NULL
ORDER BY location_id, seq;
INSERT INTO order_stages (order_id, status, entered_at)
SELECT id, 'received', created_at FROM orders WHERE id NOT IN (SELECT order_id FROM order_stages) ORDER BY id;

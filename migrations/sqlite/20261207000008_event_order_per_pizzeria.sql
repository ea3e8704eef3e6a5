-- Each pizzeria numbers its own events: the same log as on PostgreSQL, where appends at one
-- pizzeria must not wait for another's commit.
CREATE TABLE event_heads (
    location_id  INTEGER PRIMARY KEY REFERENCES locations(id),
    head         INTEGER NOT NULL
);
-- Every seq handed out so far stays a valid resume point: each pizzeria continues after the
-- newest of the old, global numbering.
INSERT INTO event_heads (location_id, head)
SELECT id, (SELECT COALESCE(MAX(seq), 0) FROM events) FROM locations;

-- SQLite cannot change a primary key in place.
CREATE TABLE events_per_pizzeria (
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    seq          INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    order_id     INTEGER,
    url          TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    actor        TEXT    NOT NULL DEFAULT 'system',
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (location_id, seq)
);
INSERT INTO events_per_pizzeria (location_id, seq, kind, order_id, url, payload, actor, created_at)
SELECT location_id, seq, kind, order_id, url, payload, actor, created_at FROM events;
DROP TABLE events;
ALTER TABLE events_per_pizzeria RENAME TO events;
CREATE INDEX events_by_order ON events (order_id, seq);

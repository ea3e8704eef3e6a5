-- Pizzeria Live: initial schema (SQLite).
-- Money is integer cents; times are UTC RFC 3339 text; every row belongs to a location.

CREATE TABLE locations (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE menu_items (
    id           INTEGER PRIMARY KEY,
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    price_s      INTEGER NOT NULL CHECK (price_s >= 0),
    price_m      INTEGER NOT NULL CHECK (price_m >= 0),
    price_l      INTEGER NOT NULL CHECK (price_l >= 0),
    available    INTEGER NOT NULL DEFAULT 1,
    position     INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (location_id, name)
);

CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    location_id    INTEGER NOT NULL REFERENCES locations(id),
    customer_name  TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('received','preparing','baking','ready','collected','cancelled')),
    version        INTEGER NOT NULL CHECK (version >= 1),
    total_cents    INTEGER NOT NULL,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX orders_open_by_location ON orders (location_id, status, created_at);

CREATE TABLE order_lines (
    order_id          INTEGER NOT NULL REFERENCES orders(id),
    line_no           INTEGER NOT NULL,
    item_id           INTEGER NOT NULL REFERENCES menu_items(id),
    item_name         TEXT    NOT NULL,
    size              TEXT    NOT NULL CHECK (size IN ('S','M','L')),
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents  INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

-- The event log: every change, in commit order. `seq` is global and gap-free; screens resume from it.
CREATE TABLE events (
    seq          INTEGER PRIMARY KEY,
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    kind         TEXT    NOT NULL,
    order_id     INTEGER,
    url          TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX events_by_location ON events (location_id, seq);
CREATE INDEX events_by_order ON events (order_id, seq);

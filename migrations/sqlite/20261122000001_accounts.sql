-- Accounts, sessions, kitchen devices, customer order tokens and who did what.

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    location_id    INTEGER NOT NULL REFERENCES locations(id),
    username       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('admin', 'staff')),
    created_at     TEXT    NOT NULL,
    disabled_at    TEXT
);

CREATE TABLE devices (
    id           INTEGER PRIMARY KEY,
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    name         TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);

-- A signed-in browser (user) or a paired kitchen screen (device). Only a hash of the token is
-- stored, so a copy of the database does not let anyone in.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    user_id      INTEGER REFERENCES users(id),
    device_id    INTEGER REFERENCES devices(id),
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL,
    revoked_at   TEXT,
    CHECK ((user_id IS NULL) <> (device_id IS NULL))
);

-- One-time codes that pair a kitchen screen: opening /pair/<code> on the screen signs it in
-- as the device for good (until an admin revokes it).
CREATE TABLE device_pairings (
    code_hash    TEXT    PRIMARY KEY,
    device_id    INTEGER NOT NULL REFERENCES devices(id),
    expires_at   TEXT    NOT NULL,
    used_at      TEXT
);

-- The customer's unguessable handle on their order (128 bits, hex).
ALTER TABLE orders ADD COLUMN token TEXT;
UPDATE orders SET token = lower(hex(randomblob(16))) WHERE token IS NULL;
CREATE UNIQUE INDEX orders_by_token ON orders (token);

-- Who made each change: "customer", "user:<id>", "device:<id>" or "api_key:<id>".
ALTER TABLE events ADD COLUMN actor TEXT NOT NULL DEFAULT 'system';

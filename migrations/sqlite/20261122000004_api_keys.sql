-- Keys that outside systems (a phone-order till, a delivery platform) use to call /api/v1.
-- An admin creates one and sees it once; only its hash is stored. The prefix lets admins
-- tell keys apart without revealing them.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    name         TEXT    NOT NULL,
    key_hash     TEXT    NOT NULL UNIQUE,
    key_prefix   TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    revoked_at   TEXT
);

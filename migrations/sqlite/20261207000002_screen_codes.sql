-- Pairing a TV by a short code (device authorization, RFC 8628): the TV asks for a code and
-- shows it, an admin of the same pizzeria approves it (creating the device), and the TV,
-- asking with its secret poll token, gets the device session once.
CREATE TABLE screen_codes (
    user_code    TEXT    PRIMARY KEY,
    poll_hash    TEXT    NOT NULL UNIQUE,
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    expires_at   TEXT    NOT NULL,
    device_id    INTEGER REFERENCES devices(id),
    claimed_at   TEXT
);

-- Every withdrawn credential, in commit order, so that every instance closes the live
-- connections opened with it (PostgreSQL: announced by NOTIFY; read again after a lost LISTEN
-- connection, so none is missed). Kept a day.
CREATE TABLE revocations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    revoked_at  TEXT    NOT NULL
);

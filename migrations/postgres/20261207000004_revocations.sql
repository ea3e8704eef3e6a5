-- Every withdrawn credential, in commit order, so that every instance closes the live
-- connections opened with it (announced by NOTIFY; read again after a lost LISTEN
-- connection, so none is missed). Kept a day.
CREATE TABLE revocations (
    id          BIGSERIAL   PRIMARY KEY,
    kind        TEXT        NOT NULL,
    subject     TEXT        NOT NULL,
    revoked_at  TIMESTAMPTZ NOT NULL
);

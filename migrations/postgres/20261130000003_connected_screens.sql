-- The kitchen-feed connections of every instance, so an admin served by any instance sees
-- every screen. Each instance rewrites its own rows every few seconds; rows an instance
-- stopped refreshing (it crashed) are ignored once stale.
CREATE TABLE connected_screens (
    instance         TEXT     NOT NULL,
    connection_id    BIGINT   NOT NULL,
    location_id      BIGINT   NOT NULL,
    name             TEXT     NOT NULL,
    kind             TEXT     NOT NULL,
    address          TEXT     NOT NULL,
    transport        TEXT     NOT NULL,
    connected_at     TIMESTAMPTZ NOT NULL,
    head_at_connect  BIGINT   NOT NULL,
    acked_seq        BIGINT,
    acked_at         TIMESTAMPTZ,
    seen_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (instance, connection_id)
);
CREATE INDEX connected_screens_by_location ON connected_screens (location_id, seen_at);

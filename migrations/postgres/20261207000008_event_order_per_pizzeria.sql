-- Each pizzeria numbers its own events, so appends at one never wait for another's commit.
-- An append takes the pizzeria's row here until commit: its seqs stay gap-free and become
-- visible in order, per pizzeria.
-- No append (by an instance of an earlier build, say) may slip in between reading the heads
-- and changing the key: the log stays locked until the migration commits.
LOCK TABLE events IN EXCLUSIVE MODE;

CREATE TABLE event_heads (
    location_id  BIGINT PRIMARY KEY REFERENCES locations(id),
    head         BIGINT NOT NULL
);
-- Every seq handed out so far stays a valid resume point: each pizzeria continues after the
-- newest of the old, global numbering.
INSERT INTO event_heads (location_id, head)
SELECT id, (SELECT COALESCE(MAX(seq), 0) FROM events) FROM locations;

ALTER TABLE events DROP CONSTRAINT events_pkey, ADD PRIMARY KEY (location_id, seq);
DROP INDEX events_by_location;

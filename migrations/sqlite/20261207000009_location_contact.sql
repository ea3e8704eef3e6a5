-- Where customers collect their order and whom they call: shown on the order tracker, set by
-- an admin (empty until then: the tracker leaves them out).
ALTER TABLE locations ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE locations ADD COLUMN phone TEXT NOT NULL DEFAULT '';

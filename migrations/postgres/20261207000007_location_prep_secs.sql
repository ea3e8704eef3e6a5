-- A pizzeria's own preparation time until it has a history of its own (NULL: the server's
-- --prep-secs).
ALTER TABLE locations ADD COLUMN prep_secs BIGINT;

-- A kitchen screen's hands-free extras, each off until an admin turns it on for that screen:
-- new orders read aloud, and a bump bar or foot pedal that moves tickets along.
ALTER TABLE devices ADD COLUMN announce INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN bump_bar INTEGER NOT NULL DEFAULT 0;

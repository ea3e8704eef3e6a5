-- The currency each pizzeria prices in (ISO 4217), set by an admin; prices are not converted.
ALTER TABLE locations ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR';

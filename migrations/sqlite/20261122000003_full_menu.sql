-- A full menu (categories, dietary labels, removable ingredients, extra toppings), checkout
-- details (phone, pickup time, notes), idempotent checkout, and opening hours.

ALTER TABLE locations ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
-- "HH:MM-HH:MM" in the location's time zone, or "always".
ALTER TABLE locations ADD COLUMN opening_hours TEXT NOT NULL DEFAULT 'always';

ALTER TABLE menu_items ADD COLUMN category TEXT NOT NULL DEFAULT 'pizza' CHECK (category IN ('pizza','drink','dessert'));
ALTER TABLE menu_items ADD COLUMN vegetarian INTEGER NOT NULL DEFAULT 0;
-- Comma-separated allergen codes, e.g. "gluten,milk".
ALTER TABLE menu_items ADD COLUMN allergens TEXT NOT NULL DEFAULT '';
-- JSON array of ingredient names a customer may leave off.
ALTER TABLE menu_items ADD COLUMN ingredients TEXT NOT NULL DEFAULT '[]';
ALTER TABLE menu_items ADD COLUMN image TEXT;

CREATE TABLE toppings (
    id           INTEGER PRIMARY KEY,
    location_id  INTEGER NOT NULL REFERENCES locations(id),
    name         TEXT    NOT NULL,
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    available    INTEGER NOT NULL DEFAULT 1,
    vegetarian   INTEGER NOT NULL DEFAULT 1,
    allergens    TEXT    NOT NULL DEFAULT '',
    position     INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (location_id, name)
);

ALTER TABLE orders ADD COLUMN phone TEXT;
ALTER TABLE orders ADD COLUMN pickup_at TEXT;
ALTER TABLE orders ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN idempotency_key TEXT;
-- A hash of the request that used the key: the same key with other details is refused.
ALTER TABLE orders ADD COLUMN request_hash TEXT;
CREATE UNIQUE INDEX orders_by_idempotency_key ON orders (location_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The line as the kitchen must make it: JSON {category, added, removed, allergens, notes}.
ALTER TABLE order_lines ADD COLUMN details TEXT NOT NULL DEFAULT '{}';

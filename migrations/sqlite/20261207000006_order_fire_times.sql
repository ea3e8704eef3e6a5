-- When the kitchen should start an order for a later pickup: decided once, when it is placed
-- (pickup minus the preparation time then), so every kitchen screen fires it alike.
ALTER TABLE orders ADD COLUMN fire_at TEXT;

-- What an API key may do besides placing and moving orders: mark menu items and toppings
-- sold out and back. Chosen when the key is made; off for the keys made before.
ALTER TABLE api_keys ADD COLUMN marks_sold_out INTEGER NOT NULL DEFAULT 0;

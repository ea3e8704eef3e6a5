-- The station whose kitchen screen shows each menu item: pizzas to the oven line, drinks and
-- desserts to the pass. Admins change it on /admin/menu.
ALTER TABLE menu_items ADD COLUMN station TEXT NOT NULL DEFAULT 'oven';
UPDATE menu_items SET station = 'pass' WHERE category IN ('drink', 'dessert');

-- Several pizzerias in one deployment: each location answers on its own host name (e.g.
-- north.pizza.example). Requests for any other host go to the first location.
ALTER TABLE locations ADD COLUMN host TEXT;
CREATE UNIQUE INDEX locations_by_host ON locations (host) WHERE host IS NOT NULL;

use super::{Result, Store};
use app::domain::{Cents, Menu, MenuItem, SizePrices};
use sqlx::SqliteExecutor;

#[derive(sqlx::FromRow)]
struct MenuItemRow {
    id: i64,
    name: String,
    description: String,
    price_s: i64,
    price_m: i64,
    price_l: i64,
    available: bool,
    version: i64,
}

impl From<MenuItemRow> for MenuItem {
    fn from(row: MenuItemRow) -> Self {
        MenuItem {
            id: row.id,
            name: row.name,
            description: row.description,
            prices: SizePrices { s: Cents(row.price_s), m: Cents(row.price_m), l: Cents(row.price_l) },
            available: row.available,
            version: row.version,
        }
    }
}

/// Reads a location's menu with any executor, so the order transaction prices from the
/// same snapshot it writes in.
pub(super) async fn load_menu<'e>(executor: impl SqliteExecutor<'e>, location_id: i64) -> Result<Menu> {
    let rows: Vec<MenuItemRow> = sqlx::query_as(
        "SELECT id, name, description, price_s, price_m, price_l, available, version
         FROM menu_items WHERE location_id = ? ORDER BY position, id",
    )
    .bind(location_id)
    .fetch_all(executor)
    .await?;
    Ok(Menu { location_id, items: rows.into_iter().map(MenuItem::from).collect() })
}

impl Store {
    pub async fn menu(&self, location_id: i64) -> Result<Menu> {
        load_menu(&self.reader, location_id).await
    }
}

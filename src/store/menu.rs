use super::events::{self, NewEvent};
use super::{Result, Store, StoreError};
use app::domain::event::MENU_URL;
use app::domain::{Allergen, Cents, EventKind, Menu, MenuChange, MenuEdit, MenuItem, OpeningHours, Payload, SizePrices, Topping};
use chrono::{DateTime, Utc};
use sqlx::SqliteExecutor;

#[derive(sqlx::FromRow)]
struct MenuItemRow {
    id: i64,
    name: String,
    description: String,
    category: String,
    price_s: i64,
    price_m: i64,
    price_l: i64,
    available: bool,
    vegetarian: bool,
    allergens: String,
    ingredients: String,
    image: Option<String>,
    version: i64,
}

impl TryFrom<MenuItemRow> for MenuItem {
    type Error = StoreError;
    fn try_from(row: MenuItemRow) -> Result<Self> {
        Ok(MenuItem {
            id: row.id,
            name: row.name,
            description: row.description,
            category: row.category.parse().map_err(StoreError::corrupt)?,
            prices: SizePrices { s: Cents(row.price_s), m: Cents(row.price_m), l: Cents(row.price_l) },
            available: row.available,
            vegetarian: row.vegetarian,
            allergens: Allergen::parse_list(&row.allergens).map_err(StoreError::corrupt)?,
            ingredients: serde_json::from_str(&row.ingredients).map_err(StoreError::corrupt)?,
            image: row.image,
            version: row.version,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ToppingRow {
    id: i64,
    name: String,
    price_cents: i64,
    available: bool,
    vegetarian: bool,
    allergens: String,
    version: i64,
}

impl TryFrom<ToppingRow> for Topping {
    type Error = StoreError;
    fn try_from(row: ToppingRow) -> Result<Self> {
        Ok(Topping {
            id: row.id,
            name: row.name,
            price: Cents(row.price_cents),
            available: row.available,
            vegetarian: row.vegetarian,
            allergens: Allergen::parse_list(&row.allergens).map_err(StoreError::corrupt)?,
            version: row.version,
        })
    }
}

/// Where a pizzeria is and when it opens: what pickup times are checked against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocationHours {
    pub timezone: chrono_tz::Tz,
    pub opening_hours: OpeningHours,
}

/// Reads a location's menu with any executor, so the order transaction prices from the
/// same snapshot it writes in.
pub(super) async fn load_menu(conn: &mut sqlx::SqliteConnection, location_id: i64) -> Result<Menu> {
    let items: Vec<MenuItemRow> = sqlx::query_as(
        "SELECT id, name, description, category, price_s, price_m, price_l, available, vegetarian, allergens,
                ingredients, image, version
         FROM menu_items WHERE location_id = ? ORDER BY position, id",
    )
    .bind(location_id)
    .fetch_all(&mut *conn)
    .await?;
    let toppings: Vec<ToppingRow> = sqlx::query_as(
        "SELECT id, name, price_cents, available, vegetarian, allergens, version
         FROM toppings WHERE location_id = ? ORDER BY position, id",
    )
    .bind(location_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Menu {
        location_id,
        items: items.into_iter().map(MenuItem::try_from).collect::<Result<_>>()?,
        toppings: toppings.into_iter().map(Topping::try_from).collect::<Result<_>>()?,
        seq: 0,
    })
}

pub(super) async fn load_hours<'e>(executor: impl SqliteExecutor<'e>, location_id: i64) -> Result<LocationHours> {
    let (timezone, hours): (String, String) =
        sqlx::query_as("SELECT timezone, opening_hours FROM locations WHERE id = ?").bind(location_id).fetch_one(executor).await?;
    Ok(LocationHours {
        timezone: timezone.parse().map_err(StoreError::corrupt)?,
        opening_hours: hours.parse().map_err(StoreError::corrupt)?,
    })
}

impl Store {
    /// A location's menu and the seq it is current at, read in one snapshot.
    pub async fn menu(&self, location_id: i64) -> Result<Menu> {
        let mut tx = self.reader.begin().await?;
        let seq = super::orders::head_seq(&mut tx).await?;
        let menu = load_menu(&mut tx, location_id).await?;
        tx.commit().await?;
        Ok(Menu { seq, ..menu })
    }

    pub async fn location_hours(&self, location_id: i64) -> Result<LocationHours> {
        load_hours(&self.reader, location_id).await
    }
}

impl Store {
    /// Applies a menu edit and records its event in one transaction. `None` when the item or
    /// topping is not on this location's menu.
    pub async fn edit_menu(
        &self,
        location_id: i64,
        edit: &MenuEdit,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<(MenuChange, i64), MenuEditRefused>> {
        let mut tx = self.writer.begin().await?;
        let (table, id, query) = match edit {
            MenuEdit::ItemAvailability { item_id, available } => {
                ("menu_items", *item_id, sqlx::query("UPDATE menu_items SET available = ?, version = version + 1 WHERE id = ? AND location_id = ?").bind(*available))
            }
            MenuEdit::ItemPrices { item_id, prices } => (
                "menu_items",
                *item_id,
                sqlx::query("UPDATE menu_items SET price_s = ?, price_m = ?, price_l = ?, version = version + 1 WHERE id = ? AND location_id = ?")
                    .bind(prices.s.0)
                    .bind(prices.m.0)
                    .bind(prices.l.0),
            ),
            MenuEdit::ToppingAvailability { topping_id, available } => {
                ("toppings", *topping_id, sqlx::query("UPDATE toppings SET available = ?, version = version + 1 WHERE id = ? AND location_id = ?").bind(*available))
            }
            MenuEdit::ToppingPrice { topping_id, price } => {
                ("toppings", *topping_id, sqlx::query("UPDATE toppings SET price_cents = ?, version = version + 1 WHERE id = ? AND location_id = ?").bind(price.0))
            }
            MenuEdit::ItemText { item_id, name, description } => (
                "menu_items",
                *item_id,
                sqlx::query("UPDATE menu_items SET name = ?, description = ?, version = version + 1 WHERE id = ? AND location_id = ?")
                    .bind(name)
                    .bind(description),
            ),
        };
        match query.bind(id).bind(location_id).execute(&mut *tx).await {
            Ok(done) if done.rows_affected() == 0 => return Ok(Err(MenuEditRefused::NotFound)),
            Ok(_) => {}
            Err(err) if err.as_database_error().is_some_and(|db| db.is_unique_violation()) => {
                return Ok(Err(MenuEditRefused::NameTaken))
            }
            Err(err) => return Err(err.into()),
        }
        let menu = load_menu(&mut tx, location_id).await?;
        let (change, kind) = match table {
            "menu_items" => (menu.item(id).cloned().map(MenuChange::Item), EventKind::MenuItemUpdated),
            _ => (menu.topping(id).cloned().map(MenuChange::Topping), EventKind::ToppingUpdated),
        };
        let change = change.ok_or_else(|| StoreError::corrupt("an edited menu entry vanished"))?;
        let payload = match change.clone() {
            MenuChange::Item(item) => Payload::MenuItem(item),
            MenuChange::Topping(topping) => Payload::Topping(topping),
        };
        let seq = events::append(
            &mut tx,
            NewEvent { location_id, kind, order_id: None, url: MENU_URL, payload: &payload, actor, at: now },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok((change, seq)))
    }
}

/// Why a menu edit changed nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum MenuEditRefused {
    NotFound,
    /// Another item of the location already has that name.
    NameTaken,
}

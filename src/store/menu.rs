//! The menu as stored: its rows, and the answers the menu queries give (`sql/menu.rs`).

use super::{Result, StoreError};
use app::domain::{Allergen, Cents, MenuItem, OpeningHours, SizePrices, Topping};

#[derive(sqlx::FromRow)]
pub(super) struct MenuItemRow {
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
    station: String,
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
            station: row.station.parse().map_err(StoreError::corrupt)?,
            version: row.version,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct ToppingRow {
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

/// Why a menu edit changed nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum MenuEditRefused {
    NotFound,
    /// Another item of the location already has that name.
    NameTaken,
}

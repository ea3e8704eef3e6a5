//! Orders as stored: the rows, and the answers the order queries give (`sql/orders.rs`).

use super::{Result, StoreError};
use app::domain::{Allergen, Category, Cents, ChangeRefused, Order, OrderLine, ValidationError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Why an order was not placed.
#[derive(Debug)]
pub enum PlaceRefused {
    Invalid(ValidationError),
    /// The idempotency key already placed an order with other details.
    KeyReused,
}

/// A placed order, its customer token, and the seq of its event (`None` when an earlier
/// request with the same idempotency key had already placed it).
pub struct Placed {
    pub order: Order,
    pub token: String,
    pub seq: Option<i64>,
}

/// Why a status change was not made.
#[derive(Debug)]
pub enum StatusChangeRefused {
    NotFound,
    Refused(ChangeRefused),
    /// The caller's copy is out of date; this is the order as it is now.
    Stale(Box<Order>),
}

#[derive(sqlx::FromRow)]
pub(super) struct OrderRow {
    id: i64,
    location_id: i64,
    customer_name: String,
    phone: Option<String>,
    pickup_at: Option<DateTime<Utc>>,
    notes: String,
    status: String,
    version: i64,
    total_cents: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    previous_status: Option<String>,
    cancel_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(super) struct LineRow {
    order_id: i64,
    item_id: i64,
    item_name: String,
    size: String,
    quantity: i64,
    unit_price_cents: i64,
    details: String,
}

/// How `order_lines.details` keeps what the kitchen must know about a line.
#[derive(Default, Serialize, Deserialize)]
pub(super) struct LineDetails {
    #[serde(default)]
    category: Category,
    #[serde(default)]
    added: Vec<String>,
    #[serde(default)]
    removed: Vec<String>,
    #[serde(default)]
    allergens: Vec<Allergen>,
    #[serde(default)]
    added_allergens: Vec<Allergen>,
    #[serde(default)]
    notes: String,
}

impl LineDetails {
    /// What of a priced line goes into `order_lines.details`, as JSON.
    pub(super) fn json_of(line: &OrderLine) -> Result<String> {
        let details = LineDetails {
            category: line.category,
            added: line.added.clone(),
            removed: line.removed.clone(),
            allergens: line.allergens.clone(),
            added_allergens: line.added_allergens.clone(),
            notes: line.notes.clone(),
        };
        serde_json::to_string(&details).map_err(StoreError::corrupt)
    }
}

/// Puts orders together from their rows and their lines' rows.
pub(super) fn assemble_orders(orders: Vec<OrderRow>, lines: Vec<LineRow>) -> Result<Vec<Order>> {
    let mut lines_by_order: HashMap<i64, Vec<OrderLine>> = HashMap::new();
    for line in lines {
        let details: LineDetails = serde_json::from_str(&line.details).map_err(StoreError::corrupt)?;
        lines_by_order.entry(line.order_id).or_default().push(OrderLine {
            item_id: line.item_id,
            item_name: line.item_name,
            size: line.size.parse().map_err(StoreError::corrupt)?,
            quantity: u32::try_from(line.quantity).map_err(StoreError::corrupt)?,
            unit_price: Cents(line.unit_price_cents),
            category: details.category,
            added: details.added,
            removed: details.removed,
            allergens: details.allergens,
            added_allergens: details.added_allergens,
            notes: details.notes,
        });
    }
    orders
        .into_iter()
        .map(|row| {
            Ok(Order {
                id: row.id,
                location_id: row.location_id,
                customer_name: row.customer_name,
                phone: row.phone,
                pickup_at: row.pickup_at,
                notes: row.notes,
                status: row.status.parse().map_err(StoreError::corrupt)?,
                version: row.version,
                lines: lines_by_order.remove(&row.id).unwrap_or_default(),
                total: Cents(row.total_cents),
                created_at: row.created_at,
                updated_at: row.updated_at,
                previous_status: row.previous_status.map(|status| status.parse()).transpose().map_err(StoreError::corrupt)?,
                cancel_reason: row.cancel_reason,
            })
        })
        .collect()
}

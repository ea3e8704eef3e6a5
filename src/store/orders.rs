//! Orders as stored: the rows, and the answers the order queries give (`sql/orders.rs`).

use super::{Result, StoreError};
use app::domain::{
    Allergen, Category, Cents, ChangeRefused, ItemStation, Order, OrderLine, OrderRequest, ValidationError, MAX_LINES,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// At most this many orders are written in one transaction.
pub(super) const MAX_ORDERS_PER_BATCH: usize = 64;

// A batch's lines go into one INSERT of eight parameters per line: it must stay under SQLite's
// 32,766 parameters per statement (PostgreSQL allows 65,535).
const _: () = assert!(MAX_ORDERS_PER_BATCH * MAX_LINES * 8 <= 32_766);

/// An order to place: the customer's request, and what the server adds to it.
pub struct NewOrder {
    pub location_id: i64,
    pub request: OrderRequest,
    /// The new order's customer token (used unless the idempotency key placed one already).
    pub token: String,
    /// Who placed it, for the audit trail: see `Principal::actor`.
    pub actor: String,
    /// Whose idempotency keys it uses: see `Principal::key_owner`.
    pub key_owner: String,
    /// How long the kitchen takes to make an order now: an order for a later pickup fires this
    /// long before it.
    pub prep_secs: i64,
    pub now: DateTime<Utc>,
}

/// What placing one order came to: placed (or found placed by the same key), or refused.
pub type PlaceOutcome = Result<Result<Placed, PlaceRefused>>;

/// Why a batch of orders was not written.
pub(super) enum BatchFailed {
    /// Nothing was written: each order can be tried again.
    BeforeCommit(StoreError),
    /// The commit itself failed, so whether it was written is not known.
    AtCommit(StoreError),
}

impl BatchFailed {
    pub(super) fn into_error(self) -> StoreError {
        match self {
            BatchFailed::BeforeCommit(err) | BatchFailed::AtCommit(err) => err,
        }
    }
}

impl From<StoreError> for BatchFailed {
    fn from(err: StoreError) -> Self {
        BatchFailed::BeforeCommit(err)
    }
}

/// What an idempotency key is checked against: a repeated key must come with the same request.
pub(super) fn request_hash(request: &OrderRequest) -> Result<String> {
    Ok(crate::digest::sha256_hex(&serde_json::to_vec(request).map_err(StoreError::corrupt)?))
}

impl NewOrder {
    /// The idempotency key as stored: the caller's, prefixed with whose it is, so that a key
    /// only ever finds its own caller's order (an integration's `till-0002` is not a
    /// customer's to use up, nor one customer's key another's to read back).
    pub(super) fn stored_key(&self) -> Option<(i64, String)> {
        let key = self.request.idempotency_key.as_deref()?;
        Some((self.location_id, format!("{}/{key}", self.key_owner)))
    }
}

/// Whether two orders of `batch` carry the same idempotency key at the same location.
pub(super) fn repeats_an_idempotency_key(batch: &[NewOrder]) -> bool {
    let mut seen = HashSet::new();
    batch.iter().filter_map(NewOrder::stored_key).any(|key| !seen.insert(key))
}

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
    fire_at: Option<DateTime<Utc>>,
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
    /// Absent from lines written before items had stations: they go where their category does.
    #[serde(default)]
    station: Option<ItemStation>,
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
            station: Some(line.station),
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
            station: details.station.unwrap_or_else(|| ItemStation::default_for(details.category)),
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
                previous_status: row
                    .previous_status
                    .map(|status| status.parse())
                    .transpose()
                    .map_err(StoreError::corrupt)?,
                cancel_reason: row.cancel_reason,
                fire_at: row.fire_at,
            })
        })
        .collect()
}

use super::events::{self, NewEvent};
use super::menu::{load_hours, load_menu};
use super::{Result, Store, StoreError};
use app::domain::eta::StageTimes;
use app::domain::event::order_url;
use app::domain::{
    apply_change, price_order, Allergen, Category, Cents, ChangeRefused, EventKind, Order, OrderLine, OrderRequest,
    OrderStatus, Payload, PickupRules, Snapshot, StatusChange, ValidationError,
};
use serde::{Deserialize, Serialize};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;
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
struct OrderRow {
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
struct LineRow {
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
struct LineDetails {
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

/// Reads orders, with their lines, matching `filter` (a WHERE clause on `orders`) bound to
/// `id` and then, if the filter has a second parameter, to `since`.
async fn fetch_orders(conn: &mut SqliteConnection, filter: &str, id: i64, since: Option<DateTime<Utc>>) -> Result<Vec<Order>> {
    let orders: Vec<OrderRow> = sqlx::query_as(&format!(
        "SELECT id, location_id, customer_name, phone, pickup_at, notes, status, version, total_cents, created_at, updated_at,
                previous_status, cancel_reason
         FROM orders WHERE {filter} ORDER BY created_at, id"
    ))
    .bind(id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
    let lines: Vec<LineRow> = sqlx::query_as(&format!(
        "SELECT order_id, item_id, item_name, size, quantity, unit_price_cents, details FROM order_lines
         WHERE order_id IN (SELECT id FROM orders WHERE {filter}) ORDER BY order_id, line_no"
    ))
    .bind(id)
    .bind(since)
    .fetch_all(&mut *conn)
    .await?;
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

/// (The second parameter is unused here, and always NULL: every filter takes two.)
const BY_ID: &str = "id = ? AND ? IS NULL";
/// Open orders, and orders collected recently enough to be recalled.
const OPEN_AT_LOCATION: &str =
    "location_id = ? AND (status NOT IN ('collected', 'cancelled') OR (status = 'collected' AND updated_at > ?))";

pub(super) async fn head_seq(conn: &mut SqliteConnection) -> Result<i64> {
    let head: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM events").fetch_one(conn).await?;
    Ok(head.unwrap_or(0))
}

impl Store {
    /// Prices `request` from the menu and checks it against the opening hours as they are
    /// inside the transaction, and records the order and its `order.created` event together.
    /// A request whose idempotency key already placed an order gets that order back.
    pub async fn place_order(
        &self,
        location_id: i64,
        request: &OrderRequest,
        new_token: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<Placed, PlaceRefused>> {
        let request_hash = crate::auth::sha256_hex(&serde_json::to_vec(request).map_err(StoreError::corrupt)?);
        // The single writer connection runs one transaction at a time, so two requests with
        // the same key cannot both miss this look-up; the unique index backs that up.
        let mut tx = self.writer.begin().await?;
        if let Some(key) = &request.idempotency_key {
            let earlier: Option<(i64, String, Option<String>)> = sqlx::query_as(
                "SELECT id, token, request_hash FROM orders WHERE location_id = ? AND idempotency_key = ?",
            )
            .bind(location_id)
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((id, token, hash)) = earlier {
                if hash.as_deref() != Some(request_hash.as_str()) {
                    return Ok(Err(PlaceRefused::KeyReused));
                }
                let order = fetch_orders(&mut tx, BY_ID, id, None).await?.pop().ok_or_else(|| StoreError::corrupt("order vanished"))?;
                return Ok(Ok(Placed { order, token, seq: None }));
            }
        }
        let menu = load_menu(&mut tx, location_id).await?;
        let hours = load_hours(&mut *tx, location_id).await?;
        let pickup = PickupRules::new(hours.opening_hours, &hours.timezone, now);
        let priced = match price_order(&menu, &pickup, request) {
            Ok(priced) => priced,
            Err(refused) => return Ok(Err(PlaceRefused::Invalid(refused))),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (location_id, token, customer_name, phone, pickup_at, notes, status, version, total_cents,
                                 created_at, updated_at, idempotency_key, request_hash)
             VALUES (?, ?, ?, ?, ?, ?, 'received', 1, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(location_id)
        .bind(new_token)
        .bind(&priced.customer_name)
        .bind(&priced.phone)
        .bind(priced.pickup_at)
        .bind(&priced.notes)
        .bind(priced.total.0)
        .bind(now)
        .bind(now)
        .bind(&request.idempotency_key)
        .bind(&request_hash)
        .fetch_one(&mut *tx)
        .await?;
        for (line_no, line) in priced.lines.iter().enumerate() {
            let details = LineDetails {
                category: line.category,
                added: line.added.clone(),
                removed: line.removed.clone(),
                allergens: line.allergens.clone(),
                added_allergens: line.added_allergens.clone(),
                notes: line.notes.clone(),
            };
            sqlx::query(
                "INSERT INTO order_lines (order_id, line_no, item_id, item_name, size, quantity, unit_price_cents, details)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(line_no as i64)
            .bind(line.item_id)
            .bind(&line.item_name)
            .bind(line.size.code())
            .bind(i64::from(line.quantity))
            .bind(line.unit_price.0)
            .bind(serde_json::to_string(&details).map_err(StoreError::corrupt)?)
            .execute(&mut *tx)
            .await?;
        }
        let order = Order {
            id,
            location_id,
            customer_name: priced.customer_name,
            phone: priced.phone,
            pickup_at: priced.pickup_at,
            notes: priced.notes,
            status: OrderStatus::Received,
            version: 1,
            lines: priced.lines,
            total: priced.total,
            created_at: now,
            updated_at: now,
            previous_status: None,
            cancel_reason: None,
        };
        let payload = Payload::Order(order.clone());
        let url = order_url(id);
        let seq = events::append(
            &mut tx,
            NewEvent { location_id, kind: EventKind::OrderCreated, order_id: Some(id), url: &url, payload: &payload, actor, at: now },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(Placed { order, token: new_token.to_string(), seq: Some(seq) }))
    }

    /// Applies a staff change to an order's status (see [`apply_change`]) if the caller's
    /// version is current, with its event, in one transaction.
    pub async fn change_status(
        &self,
        order_id: i64,
        change: &StatusChange,
        expected_version: Option<i64>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<(Order, i64), StatusChangeRefused>> {
        let mut tx = self.writer.begin().await?;
        let Some(current) = fetch_orders(&mut tx, BY_ID, order_id, None).await?.pop() else {
            return Ok(Err(StatusChangeRefused::NotFound));
        };
        if expected_version.is_some_and(|expected| expected != current.version) {
            return Ok(Err(StatusChangeRefused::Stale(Box::new(current))));
        }
        let order = match apply_change(&current, change, now) {
            Ok(order) => order,
            Err(refused) => return Ok(Err(StatusChangeRefused::Refused(refused))),
        };
        sqlx::query(
            "UPDATE orders SET status = ?, previous_status = ?, cancel_reason = ?, version = ?, updated_at = ?
             WHERE id = ? AND version = ?",
        )
        .bind(order.status.as_str())
        .bind(order.previous_status.map(OrderStatus::as_str))
        .bind(&order.cancel_reason)
        .bind(order.version)
        .bind(now)
        .bind(order_id)
        .bind(current.version)
        .execute(&mut *tx)
        .await?;
        let payload = Payload::Order(order.clone());
        let url = order_url(order_id);
        let seq = events::append(
            &mut tx,
            NewEvent {
                location_id: order.location_id,
                kind: EventKind::OrderUpdated,
                order_id: Some(order_id),
                url: &url,
                payload: &payload,
                actor,
                at: now,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok((order, seq)))
    }

    /// The open orders of a location (and those collected since `collected_since`, which can
    /// still be recalled) and the seq they are current at, read in one snapshot.
    pub async fn open_orders(&self, location_id: i64, collected_since: DateTime<Utc>) -> Result<Snapshot> {
        let mut tx = self.reader.begin().await?;
        let seq = head_seq(&mut tx).await?;
        let orders = fetch_orders(&mut tx, OPEN_AT_LOCATION, location_id, Some(collected_since)).await?;
        tx.commit().await?;
        Ok(Snapshot { seq, orders, taken_at: Utc::now(), estimate: None })
    }

    /// How many orders each location has in each status (for metrics).
    pub async fn order_counts(&self) -> Result<Vec<(i64, String, i64)>> {
        Ok(sqlx::query_as("SELECT location_id, status, COUNT(*) FROM orders GROUP BY location_id, status")
            .fetch_all(&self.reader)
            .await?)
    }

    /// How long orders at a location recently spent in each stage, measured from the event
    /// log since `since`.
    pub async fn stage_times(&self, location_id: i64, since: DateTime<Utc>) -> Result<StageTimes> {
        let rows: Vec<(i64, Option<String>, DateTime<Utc>)> = sqlx::query_as(
            "SELECT order_id, json_extract(payload, '$.order.status'), created_at FROM events
             WHERE location_id = ? AND order_id IS NOT NULL AND created_at > ? ORDER BY order_id, seq",
        )
        .bind(location_id)
        .bind(since)
        .fetch_all(&self.reader)
        .await?;
        let samples = rows.windows(2).filter_map(|pair| {
            let ((order, status, entered), (next_order, _, left)) = (&pair[0], &pair[1]);
            let stage: OrderStatus = status.as_deref()?.parse().ok()?;
            (order == next_order).then(|| (stage, (*left - *entered).num_seconds()))
        });
        Ok(StageTimes::from_samples(samples))
    }

    /// The order a customer token belongs to.
    pub async fn order_id_by_token(&self, token: &str) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM orders WHERE token = ?").bind(token).fetch_optional(&self.reader).await?)
    }

    /// One order and the seq it is current at.
    pub async fn order_snapshot(&self, order_id: i64) -> Result<Option<Snapshot>> {
        let mut tx = self.reader.begin().await?;
        let seq = head_seq(&mut tx).await?;
        let orders = fetch_orders(&mut tx, BY_ID, order_id, None).await?;
        tx.commit().await?;
        Ok((!orders.is_empty()).then_some(Snapshot { seq, orders, taken_at: Utc::now(), estimate: None }))
    }
}


// Orders: placing, changing status, and reading them back.

/// Reads orders, with their lines, matching `filter` (a WHERE clause on `orders`) bound to
/// `$1 = id` and `$2 = since`.
async fn fetch_orders(conn: &mut Conn, filter: &str, id: i64, since: Option<DateTime<Utc>>) -> Result<Vec<Order>> {
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
    assemble_orders(orders, lines)
}

/// (`$2` is unused here, and always NULL: every filter takes two parameters.)
const BY_ID: &str = "id = $1 AND $2 IS NULL";
/// Open orders, and orders collected recently enough to be recalled.
const OPEN_AT_LOCATION: &str =
    "location_id = $1 AND (status NOT IN ('collected', 'cancelled') OR (status = 'collected' AND updated_at > $2))";

/// How often a status change is retried when another instance changed the order between our
/// read and our write.
const STATUS_CHANGE_ATTEMPTS: usize = 3;

impl Pools {
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
        let mut tx = self.writer.begin().await?;
        if let Some(key) = &request.idempotency_key {
            // Two requests with the same key wait for each other here, so the second finds the
            // first one's order; the unique index backs that up.
            lock_name(&mut tx, &format!("idempotency:{location_id}:{key}")).await?;
            let earlier: Option<(i64, String, Option<String>)> = sqlx::query_as(
                "SELECT id, token, request_hash FROM orders WHERE location_id = $1 AND idempotency_key = $2",
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
        let hours = load_hours(&mut tx, location_id).await?;
        let pickup = PickupRules::new(hours.opening_hours, &hours.timezone, now);
        let priced = match price_order(&menu, &pickup, request) {
            Ok(priced) => priced,
            Err(refused) => return Ok(Err(PlaceRefused::Invalid(refused))),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO orders (location_id, token, customer_name, phone, pickup_at, notes, status, version, total_cents,
                                 created_at, updated_at, idempotency_key, request_hash)
             VALUES ($1, $2, $3, $4, $5, $6, 'received', 1, $7, $8, $8, $9, $10) RETURNING id",
        )
        .bind(location_id)
        .bind(new_token)
        .bind(&priced.customer_name)
        .bind(&priced.phone)
        .bind(priced.pickup_at)
        .bind(&priced.notes)
        .bind(priced.total.0)
        .bind(now)
        .bind(&request.idempotency_key)
        .bind(&request_hash)
        .fetch_one(&mut *tx)
        .await?;
        for (line_no, line) in priced.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO order_lines (order_id, line_no, item_id, item_name, size, quantity, unit_price_cents, details)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(line_no as i64)
            .bind(line.item_id)
            .bind(&line.item_name)
            .bind(line.size.code())
            .bind(i64::from(line.quantity))
            .bind(line.unit_price.0)
            .bind(LineDetails::json_of(line)?)
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
        let seq = append_event(
            &mut tx,
            NewEvent { location_id, kind: EventKind::OrderCreated, order_id: Some(id), url: &url, payload: &payload, actor, at: now },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(Placed { order, token: new_token.to_string(), seq: Some(seq) }))
    }

    /// Applies a staff change to an order of `location_id` (see [`apply_change`]) if the
    /// caller's version is current, with its event, in one transaction.
    pub async fn change_status(
        &self,
        location_id: i64,
        order_id: i64,
        change: &StatusChange,
        expected_version: Option<i64>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<(Order, i64), StatusChangeRefused>> {
        for _ in 0..STATUS_CHANGE_ATTEMPTS {
            if let Some(outcome) = self.try_change_status(location_id, order_id, change, expected_version, actor, now).await? {
                return Ok(outcome);
            }
        }
        // Changed under us every time: the caller gets the order as it is now, to decide again.
        let mut conn = self.reader.acquire().await?;
        Ok(match fetch_orders(&mut conn, BY_ID, order_id, None).await?.pop() {
            Some(current) if current.location_id == location_id => Err(StatusChangeRefused::Stale(Box::new(current))),
            _ => Err(StatusChangeRefused::NotFound),
        })
    }

    /// One attempt at [`Pools::change_status`]: `None` when the order changed between our read
    /// and our write (another instance got there first), so nothing was written.
    async fn try_change_status(
        &self,
        location_id: i64,
        order_id: i64,
        change: &StatusChange,
        expected_version: Option<i64>,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Result<(Order, i64), StatusChangeRefused>>> {
        let mut tx = self.writer.begin().await?;
        // Another pizzeria's order does not exist, as far as this caller can tell.
        let Some(current) = fetch_orders(&mut tx, BY_ID, order_id, None).await?.pop().filter(|order| order.location_id == location_id)
        else {
            return Ok(Some(Err(StatusChangeRefused::NotFound)));
        };
        if expected_version.is_some_and(|expected| expected != current.version) {
            return Ok(Some(Err(StatusChangeRefused::Stale(Box::new(current)))));
        }
        let order = match apply_change(&current, change, now) {
            Ok(order) => order,
            Err(refused) => return Ok(Some(Err(StatusChangeRefused::Refused(refused)))),
        };
        let updated = sqlx::query(
            "UPDATE orders SET status = $1, previous_status = $2, cancel_reason = $3, version = $4, updated_at = $5
             WHERE id = $6 AND version = $7",
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
        if updated.rows_affected() == 0 {
            return Ok(None);
        }
        let payload = Payload::Order(order.clone());
        let url = order_url(order_id);
        let seq = append_event(
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
        Ok(Some(Ok((order, seq))))
    }

    /// The open orders of a location (and those collected since `collected_since`, which can
    /// still be recalled) and the seq they are current at, read in one snapshot.
    pub async fn open_orders(&self, location_id: i64, collected_since: DateTime<Utc>) -> Result<Snapshot> {
        let mut tx = begin_snapshot(&self.reader).await?;
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
        let rows: Vec<(i64, Option<String>, DateTime<Utc>)> = sqlx::query_as(&format!(
            "SELECT order_id, {ORDER_STATUS_IN_PAYLOAD}, created_at FROM events
             WHERE location_id = $1 AND order_id IS NOT NULL AND created_at > $2 ORDER BY order_id, seq"
        ))
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
        // Tokens are hex. Anything else matches no order, and is not sent to the database
        // (PostgreSQL refuses text with a NUL byte outright).
        if !token.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Ok(None);
        }
        Ok(sqlx::query_scalar("SELECT id FROM orders WHERE token = $1").bind(token).fetch_optional(&self.reader).await?)
    }

    /// One order and the seq it is current at.
    pub async fn order_snapshot(&self, order_id: i64) -> Result<Option<Snapshot>> {
        let mut tx = begin_snapshot(&self.reader).await?;
        let seq = head_seq(&mut tx).await?;
        let orders = fetch_orders(&mut tx, BY_ID, order_id, None).await?;
        tx.commit().await?;
        Ok((!orders.is_empty()).then_some(Snapshot { seq, orders, taken_at: Utc::now(), estimate: None }))
    }
}

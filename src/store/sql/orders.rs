// Orders: placing, changing status, and reading them back.

/// Reads orders, with their lines, matching `filter` (a WHERE clause on `orders`) bound to
/// `$1 = id` and `$2 = since`.
async fn fetch_orders(conn: &mut Conn, filter: &str, id: i64, since: Option<DateTime<Utc>>) -> Result<Vec<Order>> {
    let orders: Vec<OrderRow> = sqlx::query_as(&format!(
        "SELECT id, location_id, customer_name, phone, pickup_at, notes, status, version, total_cents, created_at, updated_at,
                previous_status, cancel_reason, fire_at
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
    /// Places a batch of orders (see `store::order_batcher`) in one transaction, in the order
    /// given, which their seqs follow. When the batch cannot be written as a whole, each order
    /// is tried again in a transaction of its own, so that one order's fault fails only that
    /// order.
    pub async fn place_orders(&self, batch: &[NewOrder]) -> Vec<PlaceOutcome> {
        // Two orders with one idempotency key must see each other: one after the other.
        if batch.len() > 1 && !repeats_an_idempotency_key(batch) {
            match self.place_in_one_transaction(batch).await {
                Ok(outcomes) => return outcomes.into_iter().map(Ok).collect(),
                Err(BatchFailed::BeforeCommit(err)) => {
                    tracing::warn!(error = %err, orders = batch.len(), "a batch of orders failed: placing them one by one");
                }
                // It may have been written (a connection lost during COMMIT): trying again could
                // place an order twice.
                Err(BatchFailed::AtCommit(err)) => {
                    let message = err.to_string();
                    return batch.iter().map(|_| Err(StoreError::CommitFailed(message.clone()))).collect();
                }
            }
        }
        let mut outcomes = Vec::with_capacity(batch.len());
        for order in batch {
            let alone = self.place_in_one_transaction(std::slice::from_ref(order)).await.map_err(BatchFailed::into_error);
            outcomes.push(alone.and_then(|mut one| one.pop().ok_or_else(|| StoreError::corrupt("no outcome"))));
        }
        outcomes
    }

    async fn place_in_one_transaction(&self, batch: &[NewOrder]) -> Result<Vec<Result<Placed, PlaceRefused>>, BatchFailed> {
        let mut tx = self.writer.begin().await.map_err(StoreError::from)?;
        let outcomes = place_orders_in(&mut tx, batch).await?;
        tx.commit().await.map_err(|err| BatchFailed::AtCommit(err.into()))?;
        Ok(outcomes)
    }
}

/// Prices each order from the menu and checks it against the opening hours as they are inside
/// the transaction, and records the new ones with their `order.created` events: one statement
/// for all the orders, one for all their lines, one for all their events. An order whose
/// idempotency key already placed an order gets that order back.
async fn place_orders_in(conn: &mut Conn, batch: &[NewOrder]) -> Result<Vec<Result<Placed, PlaceRefused>>> {
    let hashes = batch.iter().map(|order| request_hash(&order.request)).collect::<Result<Vec<_>>>()?;
    let earlier = earlier_orders(conn, batch).await?;
    let mut outcomes: Vec<Option<Result<Placed, PlaceRefused>>> = batch.iter().map(|_| None).collect();
    let mut menus: HashMap<i64, (Menu, LocationHours)> = HashMap::new();
    let mut fresh: Vec<(usize, PricedOrder)> = Vec::new();
    for (index, (order, hash)) in batch.iter().zip(&hashes).enumerate() {
        if let Some((id, token, earlier_hash)) = order.stored_key().and_then(|key| earlier.get(&key)) {
            outcomes[index] = Some(if earlier_hash.as_deref() != Some(hash.as_str()) {
                Err(PlaceRefused::KeyReused)
            } else {
                let order = fetch_orders(conn, BY_ID, *id, None).await?.pop().ok_or_else(|| StoreError::corrupt("order vanished"))?;
                Ok(Placed { order, token: token.clone(), seq: None })
            });
            continue;
        }
        let (menu, hours) = match menus.entry(order.location_id) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(unread) => {
                let menu = load_menu(conn, order.location_id).await?;
                let hours = load_hours(conn, order.location_id).await?;
                unread.insert((menu, hours))
            }
        };
        let pickup = PickupRules::new(hours.opening_hours, &hours.timezone, order.now);
        match price_order(menu, &pickup, &order.request) {
            Ok(priced) => fresh.push((index, priced)),
            Err(refused) => outcomes[index] = Some(Err(PlaceRefused::Invalid(refused))),
        }
    }
    for (index, placed) in insert_orders(conn, batch, &hashes, fresh).await? {
        outcomes[index] = Some(Ok(placed));
    }
    outcomes.into_iter().map(|outcome| outcome.ok_or_else(|| StoreError::corrupt("an order of the batch was left undecided"))).collect()
}

/// The orders earlier requests placed with the batch's idempotency keys, by location and key:
/// their id, customer token and request hash.
async fn earlier_orders(conn: &mut Conn, batch: &[NewOrder]) -> Result<HashMap<(i64, String), (i64, String, Option<String>)>> {
    let mut keys: Vec<(i64, String)> = batch.iter().filter_map(NewOrder::stored_key).collect();
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    // Two requests with the same key wait for each other here, so the second finds the first
    // one's order (the unique index backs that up). Locking in one order means two batches
    // never wait for each other in a circle.
    keys.sort_unstable();
    keys.dedup();
    for (location_id, key) in &keys {
        lock_name(conn, &format!("idempotency:{location_id}:{key}")).await?;
    }
    let mut select = sqlx::QueryBuilder::<Db>::new(
        "SELECT location_id, idempotency_key, id, token, request_hash FROM orders WHERE ",
    );
    let mut either = select.separated(" OR ");
    for (location_id, key) in &keys {
        either.push("(location_id = ").push_bind_unseparated(*location_id);
        either.push_unseparated(" AND idempotency_key = ").push_bind_unseparated(key.as_str()).push_unseparated(")");
    }
    let rows: Vec<(i64, String, i64, String, Option<String>)> = select.build_query_as().fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|(location_id, key, id, token, hash)| ((location_id, key), (id, token, hash))).collect())
}

/// Writes the priced orders of the batch, their lines and their events, and returns each as
/// placed, with the index of its request in the batch.
async fn insert_orders(
    conn: &mut Conn,
    batch: &[NewOrder],
    hashes: &[String],
    fresh: Vec<(usize, PricedOrder)>,
) -> Result<Vec<(usize, Placed)>> {
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let mut insert = sqlx::QueryBuilder::<Db>::new(
        "INSERT INTO orders (location_id, token, customer_name, phone, pickup_at, notes, status, version, total_cents,
                             created_at, updated_at, idempotency_key, request_hash, fire_at) ",
    );
    insert.push_values(&fresh, |mut row, (index, priced)| {
        let order = &batch[*index];
        row.push_bind(order.location_id)
            .push_bind(order.token.as_str())
            .push_bind(priced.customer_name.as_str())
            .push_bind(priced.phone.as_deref())
            .push_bind(priced.pickup_at)
            .push_bind(priced.notes.as_str())
            .push("'received'")
            .push("1")
            .push_bind(priced.total.0)
            .push_bind(order.now)
            .push_bind(order.now)
            .push_bind(order.stored_key().map(|(_, key)| key))
            .push_bind(hashes[*index].as_str())
            .push_bind(fire_time(order, priced.pickup_at));
    });
    insert.push(" RETURNING token, id");
    // Tokens are unique and random: they tell which row got which id.
    let ids: HashMap<String, i64> = insert.build_query_as().fetch_all(&mut *conn).await?.into_iter().collect();
    let placed: Vec<(usize, Order)> = fresh
        .into_iter()
        .map(|(index, priced)| {
            let order = &batch[index];
            let id = *ids.get(&order.token).ok_or_else(|| StoreError::corrupt("a new order got no id"))?;
            Ok((index, new_order(id, order, priced)))
        })
        .collect::<Result<_>>()?;

    let lines: Vec<(i64, usize, &OrderLine, String)> = placed
        .iter()
        .flat_map(|(_, order)| order.lines.iter().enumerate().map(|(line_no, line)| (order.id, line_no, line)))
        .map(|(order_id, line_no, line)| Ok((order_id, line_no, line, LineDetails::json_of(line)?)))
        .collect::<Result<_>>()?;
    let mut insert = sqlx::QueryBuilder::<Db>::new(
        "INSERT INTO order_lines (order_id, line_no, item_id, item_name, size, quantity, unit_price_cents, details) ",
    );
    insert.push_values(&lines, |mut row, (order_id, line_no, line, details)| {
        row.push_bind(*order_id)
            .push_bind(*line_no as i64)
            .push_bind(line.item_id)
            .push_bind(line.item_name.as_str())
            .push_bind(line.size.code())
            .push_bind(i64::from(line.quantity))
            .push_bind(line.unit_price.0)
            .push_bind(details.as_str());
    });
    insert.build().execute(&mut *conn).await?;

    let mut stages = sqlx::QueryBuilder::<Db>::new("INSERT INTO order_stages (order_id, status, entered_at) ");
    stages.push_values(&placed, |mut row, (_, order)| {
        row.push_bind(order.id).push_bind(order.status.as_str()).push_bind(order.created_at);
    });
    stages.build().execute(&mut *conn).await?;

    let payloads: Vec<(Payload, String)> =
        placed.iter().map(|(_, order)| (Payload::Order(order.clone()), order_url(order.id))).collect();
    let events: Vec<NewEvent> = placed
        .iter()
        .zip(&payloads)
        .map(|((index, order), (payload, url))| NewEvent {
            location_id: order.location_id,
            kind: EventKind::OrderCreated,
            order_id: Some(order.id),
            url,
            payload,
            actor: &batch[*index].actor,
            at: order.created_at,
        })
        .collect();
    let seqs = append_events(conn, &events).await?;
    drop(events);
    Ok(placed
        .into_iter()
        .zip(seqs)
        .map(|((index, order), seq)| (index, Placed { order, token: batch[index].token.clone(), seq: Some(seq) }))
        .collect())
}

/// When an order for `pickup` should fire, decided as it is placed: its preparation time
/// before, and never before it was placed. `None` for as soon as possible.
fn fire_time(placing: &NewOrder, pickup: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    pickup.map(|pickup| (pickup - chrono::Duration::seconds(placing.prep_secs)).max(placing.now))
}

/// A priced order as just placed: received, version 1.
fn new_order(id: i64, placing: &NewOrder, priced: PricedOrder) -> Order {
    Order {
        id,
        location_id: placing.location_id,
        customer_name: priced.customer_name,
        phone: priced.phone,
        pickup_at: priced.pickup_at,
        notes: priced.notes,
        status: OrderStatus::Received,
        version: 1,
        lines: priced.lines,
        total: priced.total,
        created_at: placing.now,
        updated_at: placing.now,
        previous_status: None,
        cancel_reason: None,
        fire_at: fire_time(placing, priced.pickup_at),
    }
}

impl Pools {
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
        sqlx::query("INSERT INTO order_stages (order_id, status, entered_at) VALUES ($1, $2, $3)")
            .bind(order_id)
            .bind(order.status.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
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
        let seq = head_seq(&mut tx, location_id).await?;
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

    /// The orders a location placed since `since`, with their stages and lines, as the owner's
    /// report reads them; read in one snapshot.
    pub async fn report_orders(&self, location_id: i64, since: DateTime<Utc>) -> Result<Vec<ReportOrder>> {
        type ReportRow = (i64, String, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>, String, i64);
        const OF_PERIOD: &str = "SELECT id FROM orders WHERE location_id = $1 AND created_at >= $2";
        let mut tx = begin_snapshot(&self.reader).await?;
        let orders: Vec<ReportRow> = sqlx::query_as(
            "SELECT id, customer_name, created_at, pickup_at, fire_at, status, total_cents FROM orders
             WHERE location_id = $1 AND created_at >= $2 ORDER BY created_at, id",
        )
        .bind(location_id)
        .bind(since)
        .fetch_all(&mut *tx)
        .await?;
        let stages: Vec<(i64, String, DateTime<Utc>)> = sqlx::query_as(&format!(
            "SELECT order_id, status, entered_at FROM order_stages WHERE order_id IN ({OF_PERIOD}) ORDER BY order_id, id"
        ))
        .bind(location_id)
        .bind(since)
        .fetch_all(&mut *tx)
        .await?;
        let lines: Vec<(i64, String, i64)> = sqlx::query_as(&format!(
            "SELECT order_id, item_name, quantity FROM order_lines WHERE order_id IN ({OF_PERIOD}) ORDER BY order_id, line_no"
        ))
        .bind(location_id)
        .bind(since)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;

        let mut by_id: HashMap<i64, ReportOrder> = HashMap::with_capacity(orders.len());
        let mut ids = Vec::with_capacity(orders.len());
        for (id, customer_name, placed_at, pickup_at, fire_at, status, total) in orders {
            let status = status.parse().map_err(|_| StoreError::corrupt(format!("order {id} has status {status:?}")))?;
            ids.push(id);
            by_id.insert(
                id,
                ReportOrder {
                    id,
                    customer_name,
                    placed_at,
                    pickup_at,
                    fire_at,
                    status,
                    total: Cents(total),
                    stages: Vec::new(),
                    lines: Vec::new(),
                },
            );
        }
        for (order_id, status, entered_at) in stages {
            // A stage this build does not know (written by a newer one) is skipped, not fatal.
            if let (Some(order), Ok(status)) = (by_id.get_mut(&order_id), status.parse()) {
                order.stages.push((status, entered_at));
            }
        }
        for (order_id, name, quantity) in lines {
            if let Some(order) = by_id.get_mut(&order_id) {
                order.lines.push((name, u32::try_from(quantity).unwrap_or(0)));
            }
        }
        Ok(ids.into_iter().filter_map(|id| by_id.remove(&id)).collect())
    }

    /// The order a customer token belongs to.
    pub async fn order_key_by_token(&self, token: &str) -> Result<Option<OrderKey>> {
        // Tokens are hex. Anything else matches no order, and is not sent to the database
        // (PostgreSQL refuses text with a NUL byte outright).
        if !token.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return Ok(None);
        }
        Ok(sqlx::query_as("SELECT id, location_id FROM orders WHERE token = $1")
            .bind(token)
            .fetch_optional(&self.reader)
            .await?)
    }

    /// One order and the seq of its pizzeria it is current at.
    pub async fn order_snapshot(&self, order_id: i64) -> Result<Option<Snapshot>> {
        let mut tx = begin_snapshot(&self.reader).await?;
        let orders = fetch_orders(&mut tx, BY_ID, order_id, None).await?;
        let seq = match orders.first() {
            Some(order) => head_seq(&mut tx, order.location_id).await?,
            None => 0,
        };
        tx.commit().await?;
        Ok((!orders.is_empty()).then_some(Snapshot { seq, orders, taken_at: Utc::now(), estimate: None }))
    }
}

// The event log's queries. Each pizzeria numbers its own events (`event_heads`): appends at
// one pizzeria never wait for another's.

/// Appends one event inside the caller's transaction: see [`append_events`].
async fn append_event(conn: &mut Conn, event: NewEvent<'_>) -> Result<i64> {
    append_events(conn, &[event]).await?.pop().ok_or_else(|| StoreError::corrupt("an appended event has no seq"))
}

/// Appends events inside the caller's transaction with one statement, each taking its
/// pizzeria's next seq in the order given, and announces them to the other instances once the
/// transaction commits. Returns their seqs, in that order.
///
/// Taking seqs holds the pizzeria's `event_heads` row until commit, so its seqs are gap-free
/// and become visible in order: whoever sees a pizzeria's seq N has every one of its seqs
/// below N. Pizzerias are taken in id order, so two transactions never wait on each other in
/// a circle.
async fn append_events(conn: &mut Conn, events: &[NewEvent<'_>]) -> Result<Vec<i64>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let payloads: Vec<String> =
        events.iter().map(|event| serde_json::to_string(event.payload)).collect::<Result<_, _>>().map_err(StoreError::corrupt)?;
    let mut counts = std::collections::BTreeMap::<i64, i64>::new();
    for event in events {
        *counts.entry(event.location_id).or_default() += 1;
    }
    // Per pizzeria, the seq before its first new event.
    let mut next = std::collections::HashMap::with_capacity(counts.len());
    for (&location_id, &count) in &counts {
        let head = take_seqs(&mut *conn, location_id, count).await?;
        announce(&mut *conn, location_id, head).await?;
        next.insert(location_id, head - count);
    }
    let seqs: Vec<i64> = events
        .iter()
        .map(|event| {
            let seq = next.entry(event.location_id).or_default();
            *seq += 1;
            *seq
        })
        .collect();
    let mut insert = sqlx::QueryBuilder::<Db>::new(
        "INSERT INTO events (location_id, seq, kind, order_id, url, payload, actor, created_at) ",
    );
    insert.push_values(events.iter().zip(&payloads).zip(&seqs), |mut row, ((event, payload), seq)| {
        row.push_bind(event.location_id)
            .push_bind(*seq)
            .push_bind(event.kind.as_str())
            .push_bind(event.order_id)
            .push_bind(event.url)
            .push_bind(payload.as_str())
            .push_bind(event.actor)
            .push_bind(event.at);
    });
    insert.build().execute(&mut *conn).await?;
    Ok(seqs)
}

/// Moves a pizzeria's head on by `count` and returns the new head; the row stays locked
/// until the transaction ends. A pizzeria without a row starts at 0.
async fn take_seqs(conn: &mut Conn, location_id: i64, count: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO event_heads (location_id, head) VALUES ($1, $2)
         ON CONFLICT (location_id) DO UPDATE SET head = event_heads.head + excluded.head
         RETURNING head",
    )
    .bind(location_id)
    .bind(count)
    .fetch_one(conn)
    .await?)
}

/// A pizzeria's newest committed seq (0 before its first event).
async fn head_seq(conn: &mut Conn, location_id: i64) -> Result<i64> {
    let head: Option<i64> = sqlx::query_scalar("SELECT head FROM event_heads WHERE location_id = $1")
        .bind(location_id)
        .fetch_optional(conn)
        .await?;
    Ok(head.unwrap_or(0))
}

impl Pools {
    /// Every pizzeria's newest committed seq (0 before its first event).
    pub async fn heads(&self) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT locations.id, COALESCE(event_heads.head, 0) FROM locations
             LEFT JOIN event_heads ON event_heads.location_id = locations.id ORDER BY locations.id",
        )
        .fetch_all(&self.reader)
        .await?)
    }

    /// A pizzeria's events after `after`, in order, at most `limit` of them: what the hub
    /// publishes.
    pub async fn events_after(&self, location_id: i64, after: i64, limit: i64) -> Result<Vec<StoredEvent>> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM events WHERE location_id = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        Ok(sqlx::query_as(&sql).bind(location_id).bind(after).bind(limit).fetch_all(&self.reader).await?)
    }

    /// The events of `scope` after its pizzeria's seq `since`, if the log still holds all of
    /// them and there are at most `limit`.
    pub async fn replay(&self, scope: Scope, since: i64, limit: i64) -> Result<Replay> {
        let location_id = scope.location_id();
        let mut tx = begin_snapshot(&self.reader).await?;
        let head = head_seq(&mut tx, location_id).await?;
        let oldest: Option<i64> = sqlx::query_scalar("SELECT MIN(seq) FROM events WHERE location_id = $1")
            .bind(location_id)
            .fetch_one(&mut *tx)
            .await?;
        if since > head || since < 0 {
            return Ok(Replay::UnknownSeq);
        }
        // With nothing kept, nothing after `since` can be replayed unless nothing came after it.
        if since < oldest.unwrap_or(head + 1) - 1 {
            return Ok(Replay::TooFarBehind);
        }
        let (filter, order_id) = match scope {
            Scope::Location(_) => ("", None),
            Scope::Order { order_id, .. } => ("AND order_id = $4", Some(order_id)),
            Scope::Menu(_) => ("AND order_id IS NULL", None),
        };
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE location_id = $1 AND seq > $2 {filter} ORDER BY seq LIMIT $3"
        );
        let mut query = sqlx::query_as(&sql).bind(location_id).bind(since).bind(limit + 1);
        if let Some(order_id) = order_id {
            query = query.bind(order_id);
        }
        let events: Vec<StoredEvent> = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        if events.len() as i64 > limit {
            return Ok(Replay::TooFarBehind);
        }
        Ok(Replay::Events(events))
    }

    /// Forgets events older than `before`. Seqs never restart: each pizzeria's head is kept
    /// apart from its events.
    pub async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM events WHERE created_at < $1").bind(before).execute(&self.writer).await?;
        Ok(done.rows_affected())
    }

    /// Whether the database answers and every migration this build knows is applied.
    pub async fn is_ready(&self) -> Result<bool> {
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.reader)
            .await?;
        Ok(applied >= MIGRATOR.iter().count() as i64)
    }
}

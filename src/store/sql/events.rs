// The event log's queries.

/// Appends one event inside the caller's transaction: see [`append_events`].
async fn append_event(conn: &mut Conn, event: NewEvent<'_>) -> Result<i64> {
    append_events(conn, &[event]).await?.pop().ok_or_else(|| StoreError::corrupt("an appended event has no seq"))
}

/// Appends events inside the caller's transaction with one statement, taking the next seqs in
/// the order given, and announces them to the other instances once the transaction commits.
/// Returns their seqs, in that order.
///
/// `lock_event_log` makes appends wait for each other until commit, so `MAX(seq) + n` is
/// gap-free and seqs become visible in order: whoever sees seq N has every seq below it.
async fn append_events(conn: &mut Conn, events: &[NewEvent<'_>]) -> Result<Vec<i64>> {
    if events.is_empty() {
        return Ok(Vec::new());
    }
    let payloads: Vec<String> =
        events.iter().map(|event| serde_json::to_string(event.payload)).collect::<Result<_, _>>().map_err(StoreError::corrupt)?;
    lock_event_log(&mut *conn).await?;
    // Both databases name a VALUES list's columns column1, column2, …; the head of the log is
    // read once, before any row is inserted.
    let mut insert = sqlx::QueryBuilder::<Db>::new(
        "INSERT INTO events (seq, location_id, kind, order_id, url, payload, actor, created_at)
         SELECT log_head.head + fresh.column1, fresh.column2, fresh.column3, fresh.column4, fresh.column5,
                fresh.column6, fresh.column7, fresh.column8
         FROM (SELECT COALESCE(MAX(seq), 0) AS head FROM events) AS log_head, (",
    );
    insert.push_values(events.iter().zip(&payloads).enumerate(), |mut row, (position, (event, payload))| {
        row.push(position + 1)
            .push_bind(event.location_id)
            .push_bind(event.kind.as_str())
            .push_bind(event.order_id)
            .push_bind(event.url)
            .push_bind(payload.as_str())
            .push_bind(event.actor)
            .push_bind(event.at);
    });
    insert.push(") AS fresh RETURNING seq");
    let mut seqs: Vec<i64> = insert.build_query_scalar().fetch_all(&mut *conn).await?;
    if seqs.len() != events.len() {
        return Err(StoreError::corrupt("the event log did not take every event"));
    }
    // RETURNING gives rows in no set order; the seqs are head + 1, head + 2, … in the order given.
    seqs.sort_unstable();
    announce(conn, seqs[seqs.len() - 1]).await?;
    Ok(seqs)
}

async fn head_seq(conn: &mut Conn) -> Result<i64> {
    let head: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM events").fetch_one(conn).await?;
    Ok(head.unwrap_or(0))
}

impl Pools {
    /// The newest committed seq (0 for an empty log).
    pub async fn head_seq(&self) -> Result<i64> {
        head_seq(&mut *self.reader.acquire().await?).await
    }

    /// Every event after `after`, in order, at most `limit` of them: what the hub publishes.
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2");
        Ok(sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(&self.reader).await?)
    }

    /// The events of `scope` after `since`, if the log still holds all of them and there are
    /// at most `limit`.
    pub async fn replay(&self, scope: Scope, since: i64, limit: i64) -> Result<Replay> {
        let mut tx = begin_snapshot(&self.reader).await?;
        let (oldest, head): (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT MIN(seq), MAX(seq) FROM events").fetch_one(&mut *tx).await?;
        let head = head.unwrap_or(0);
        if since > head || since < 0 {
            return Ok(Replay::UnknownSeq);
        }
        if oldest.is_some_and(|oldest| since < oldest - 1) {
            return Ok(Replay::TooFarBehind);
        }
        let (filter, id) = match scope {
            Scope::Location(id) => ("location_id = $1", id),
            Scope::Order(id) => ("order_id = $1", id),
            Scope::Menu(id) => ("location_id = $1 AND order_id IS NULL", id),
        };
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE {filter} AND seq > $2 ORDER BY seq LIMIT $3");
        let events: Vec<StoredEvent> =
            sqlx::query_as(&sql).bind(id).bind(since).bind(limit + 1).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        if events.len() as i64 > limit {
            return Ok(Replay::TooFarBehind);
        }
        Ok(Replay::Events(events))
    }

    /// Forgets events older than `before`, always keeping the newest so `seq` never restarts.
    pub async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM events WHERE created_at < $1 AND seq < (SELECT MAX(seq) FROM events)")
            .bind(before)
            .execute(&self.writer)
            .await?;
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

// The event log's queries.

/// Appends an event inside the caller's transaction, taking the next seq, and announces it to
/// the other instances once the transaction commits.
///
/// `lock_event_log` makes appends wait for each other until commit, so `MAX(seq) + 1` is
/// gap-free and seqs become visible in order: whoever sees seq N has every seq below it.
async fn append_event(conn: &mut Conn, event: NewEvent<'_>) -> Result<i64> {
    let payload = serde_json::to_string(event.payload).map_err(StoreError::corrupt)?;
    lock_event_log(&mut *conn).await?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO events (seq, location_id, kind, order_id, url, payload, actor, created_at)
         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM events), $1, $2, $3, $4, $5, $6, $7)
         RETURNING seq",
    )
    .bind(event.location_id)
    .bind(event.kind.as_str())
    .bind(event.order_id)
    .bind(event.url)
    .bind(payload)
    .bind(event.actor)
    .bind(event.at)
    .fetch_one(&mut *conn)
    .await?;
    announce(conn, seq).await?;
    Ok(seq)
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

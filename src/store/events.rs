use super::{Result, Store};
use app::domain::{EventKind, Payload};
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

/// One row of the event log.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct StoredEvent {
    pub seq: i64,
    pub location_id: i64,
    pub kind: String,
    pub order_id: Option<i64>,
    pub url: String,
    /// The changed resource as JSON ([`Payload`]), exactly as it will be sent.
    pub payload: String,
}

/// Who an event concerns: the channels it is delivered on, and the slices of the log a client
/// may replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything that happens at one pizzeria (kitchen screens, staff boards).
    Location(i64),
    /// One order (the customer's page).
    Order(i64),
    /// One pizzeria's menu changes (every open menu page). Public.
    Menu(i64),
}

impl Scope {
    /// The `feed=` name clients use for this scope.
    pub fn feed_name(self) -> &'static str {
        match self {
            Scope::Location(_) => "kitchen",
            Scope::Order(_) => "order",
            Scope::Menu(_) => "menu",
        }
    }

    /// The scopes an event is delivered on: its location's, its order's if it concerns an
    /// order, and its location's menu channel if it does not.
    pub fn of_event(location_id: i64, order_id: Option<i64>) -> [Scope; 2] {
        match order_id {
            Some(order_id) => [Scope::Location(location_id), Scope::Order(order_id)],
            None => [Scope::Location(location_id), Scope::Menu(location_id)],
        }
    }
}

/// The answer to "what did I miss since seq N?".
#[derive(Debug)]
pub enum Replay {
    Events(Vec<StoredEvent>),
    /// Some of the missed events are no longer kept, or there are too many to replay.
    TooFarBehind,
    /// N is newer than the log's head.
    UnknownSeq,
}

const EVENT_COLUMNS: &str = "seq, location_id, kind, order_id, url, payload";

/// A change about to be appended to the log.
pub(super) struct NewEvent<'a> {
    pub location_id: i64,
    pub kind: EventKind,
    pub order_id: Option<i64>,
    pub url: &'a str,
    pub payload: &'a Payload,
    /// Who made the change (the audit trail): see `Principal::actor`.
    pub actor: &'a str,
    pub at: DateTime<Utc>,
}

/// Appends an event inside the caller's transaction, taking the next seq.
/// The single writer connection makes `MAX(seq) + 1` safe and gap-free.
pub(super) async fn append(conn: &mut SqliteConnection, event: NewEvent<'_>) -> Result<i64> {
    let payload = serde_json::to_string(event.payload).map_err(super::StoreError::corrupt)?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO events (seq, location_id, kind, order_id, url, payload, actor, created_at)
         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM events), ?, ?, ?, ?, ?, ?, ?)
         RETURNING seq",
    )
    .bind(event.location_id)
    .bind(event.kind.as_str())
    .bind(event.order_id)
    .bind(event.url)
    .bind(payload)
    .bind(event.actor)
    .bind(event.at)
    .fetch_one(conn)
    .await?;
    Ok(seq)
}

impl Store {
    /// Every event after `after`, in order, at most `limit` of them: what the hub publishes.
    pub async fn events_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
        Ok(sqlx::query_as(&sql).bind(after).bind(limit).fetch_all(&self.reader).await?)
    }

    /// The events of `scope` after `since`, if the log still holds all of them and there are
    /// at most `limit`.
    pub async fn replay(&self, scope: Scope, since: i64, limit: i64) -> Result<Replay> {
        let mut tx = self.reader.begin().await?;
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
            Scope::Location(id) => ("location_id = ?", id),
            Scope::Order(id) => ("order_id = ?", id),
            Scope::Menu(id) => ("location_id = ? AND order_id IS NULL", id),
        };
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE {filter} AND seq > ? ORDER BY seq LIMIT ?");
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
        let done = sqlx::query("DELETE FROM events WHERE created_at < ? AND seq < (SELECT MAX(seq) FROM events)")
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }
}

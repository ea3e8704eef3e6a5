use app::domain::{EventKind, Payload};
use chrono::{DateTime, Utc};

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

/// An order and the pizzeria whose events it is among.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderKey {
    pub id: i64,
    pub location_id: i64,
}

/// Who an event concerns: the channels it is delivered on, and the slices of the log a client
/// may replay. Every scope lies within one pizzeria, whose seqs a client resumes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Everything that happens at one pizzeria (kitchen screens, staff boards).
    Location(i64),
    /// One order (the customer's page).
    Order { location_id: i64, order_id: i64 },
    /// One pizzeria's menu changes (every open menu page). Public.
    Menu(i64),
}

impl Scope {
    /// The `feed=` name clients use for this scope.
    pub fn feed_name(self) -> &'static str {
        match self {
            Scope::Location(_) => "kitchen",
            Scope::Order { .. } => "order",
            Scope::Menu(_) => "menu",
        }
    }

    /// The pizzeria whose order of events this scope follows.
    pub fn location_id(self) -> i64 {
        match self {
            Scope::Location(location_id) | Scope::Order { location_id, .. } | Scope::Menu(location_id) => location_id,
        }
    }

    /// The scopes an event is delivered on: its location's, its order's if it concerns an
    /// order, and its location's menu channel if it does not.
    pub fn of_event(location_id: i64, order_id: Option<i64>) -> [Scope; 2] {
        match order_id {
            Some(order_id) => [Scope::Location(location_id), Scope::Order { location_id, order_id }],
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
    /// N is newer than the pizzeria's head.
    UnknownSeq,
}

pub(super) const EVENT_COLUMNS: &str = "seq, location_id, kind, order_id, url, payload";

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

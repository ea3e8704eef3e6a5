//! Kitchen-feed connections as every instance reports them (`sql/screens.rs`), so an admin
//! served by any instance sees every screen.

use chrono::{DateTime, Utc};

/// One connection of one instance, as last reported.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct ScreenRow {
    pub instance: String,
    pub connection_id: i64,
    pub location_id: i64,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub transport: String,
    pub connected_at: DateTime<Utc>,
    pub head_at_connect: i64,
    pub acked_seq: Option<i64>,
    pub acked_at: Option<DateTime<Utc>>,
}

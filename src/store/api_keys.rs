//! API keys: the credentials of outside systems calling `/api/v1`. The queries are in
//! `sql/api_keys.rs`.

use app::domain::ApiKey;
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
pub(super) struct ApiKeyRow {
    id: i64,
    name: String,
    key_prefix: String,
    created_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    marks_sold_out: bool,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(row: ApiKeyRow) -> Self {
        ApiKey {
            id: row.id,
            name: row.name,
            prefix: row.key_prefix,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
            marks_sold_out: row.marks_sold_out,
        }
    }
}

pub(super) const API_KEY_COLUMNS: &str = "id, name, key_prefix, created_at, revoked_at, marks_sold_out";

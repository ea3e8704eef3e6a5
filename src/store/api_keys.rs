//! API keys: the credentials of outside systems calling `/api/v1`.

use super::{Result, Store};
use app::domain::{ApiKey, Principal};
use chrono::{DateTime, Utc};

#[derive(sqlx::FromRow)]
struct ApiKeyRow {
    id: i64,
    name: String,
    key_prefix: String,
    created_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiKeyRow> for ApiKey {
    fn from(row: ApiKeyRow) -> Self {
        ApiKey { id: row.id, name: row.name, prefix: row.key_prefix, created_at: row.created_at, revoked_at: row.revoked_at }
    }
}

const API_KEY_COLUMNS: &str = "id, name, key_prefix, created_at, revoked_at";

impl Store {
    pub async fn create_api_key(
        &self,
        location_id: i64,
        name: &str,
        key_hash: &str,
        key_prefix: &str,
        now: DateTime<Utc>,
    ) -> Result<ApiKey> {
        let row: ApiKeyRow = sqlx::query_as(&format!(
            "INSERT INTO api_keys (location_id, name, key_hash, key_prefix, created_at) VALUES (?, ?, ?, ?, ?)
             RETURNING {API_KEY_COLUMNS}"
        ))
        .bind(location_id)
        .bind(name)
        .bind(key_hash)
        .bind(key_prefix)
        .bind(now)
        .fetch_one(&self.writer)
        .await?;
        Ok(row.into())
    }

    pub async fn api_keys(&self, location_id: i64) -> Result<Vec<ApiKey>> {
        let rows: Vec<ApiKeyRow> =
            sqlx::query_as(&format!("SELECT {API_KEY_COLUMNS} FROM api_keys WHERE location_id = ? ORDER BY id"))
                .bind(location_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.into_iter().map(ApiKey::from).collect())
    }

    /// Revokes a key. Returns its hash (which its live connections were opened with) when it
    /// exists at this location.
    pub async fn revoke_api_key(&self, location_id: i64, key_id: i64, now: DateTime<Utc>) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND location_id = ? RETURNING key_hash",
        )
        .bind(now)
        .bind(key_id)
        .bind(location_id)
        .fetch_optional(&self.writer)
        .await?)
    }

    /// Who holds the key with this hash, unless it is unknown or revoked.
    pub async fn principal_for_api_key(&self, key_hash: &str) -> Result<Option<Principal>> {
        let row: Option<(i64, String, i64)> =
            sqlx::query_as("SELECT id, name, location_id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")
                .bind(key_hash)
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.map(|(key_id, name, location_id)| Principal::ApiClient { key_id, name, location_id }))
    }
}

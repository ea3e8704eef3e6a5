// API keys.

impl Pools {
    pub async fn create_api_key(
        &self,
        location_id: i64,
        name: &str,
        key_hash: &str,
        key_prefix: &str,
        marks_sold_out: bool,
        now: DateTime<Utc>,
    ) -> Result<ApiKey> {
        let row: ApiKeyRow = sqlx::query_as(&format!(
            "INSERT INTO api_keys (location_id, name, key_hash, key_prefix, marks_sold_out, created_at) VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING {API_KEY_COLUMNS}"
        ))
        .bind(location_id)
        .bind(name)
        .bind(key_hash)
        .bind(key_prefix)
        .bind(marks_sold_out)
        .bind(now)
        .fetch_one(&self.writer)
        .await?;
        Ok(row.into())
    }

    pub async fn api_keys(&self, location_id: i64) -> Result<Vec<ApiKey>> {
        let rows: Vec<ApiKeyRow> =
            sqlx::query_as(&format!("SELECT {API_KEY_COLUMNS} FROM api_keys WHERE location_id = $1 ORDER BY id"))
                .bind(location_id)
                .fetch_all(&self.reader)
                .await?;
        Ok(rows.into_iter().map(ApiKey::from).collect())
    }

    /// Revokes a key. Returns its hash (which its live connections were opened with) when it
    /// exists at this location.
    pub async fn revoke_api_key(&self, location_id: i64, key_id: i64, now: DateTime<Utc>) -> Result<Option<String>> {
        let mut tx = self.writer.begin().await?;
        let key_hash: Option<String> = sqlx::query_scalar(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND location_id = $3 RETURNING key_hash",
        )
        .bind(now)
        .bind(key_id)
        .bind(location_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(hash) = &key_hash {
            record_revocation(&mut tx, &Revoked::Session(hash.clone()), now).await?;
        }
        tx.commit().await?;
        Ok(key_hash)
    }

    /// Who holds the key with this hash, unless it is unknown or revoked.
    pub async fn principal_for_api_key(&self, key_hash: &str) -> Result<Option<Principal>> {
        let row: Option<(i64, String, i64, bool)> = sqlx::query_as(
            "SELECT id, name, location_id, marks_sold_out FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|(key_id, name, location_id, marks_sold_out)| Principal::ApiClient { key_id, name, location_id, marks_sold_out }))
    }
}

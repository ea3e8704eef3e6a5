// Kitchen-feed connections reported by every instance.

impl Pools {
    /// Replaces what `instance` reported before with its connections now.
    pub async fn report_screens(&self, instance: &str, screens: &[ScreenRow], now: DateTime<Utc>) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query("DELETE FROM connected_screens WHERE instance = $1").bind(instance).execute(&mut *tx).await?;
        for screen in screens {
            sqlx::query(
                "INSERT INTO connected_screens (instance, connection_id, location_id, name, kind, address, transport,
                                                connected_at, head_at_connect, acked_seq, acked_at, seen_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(instance)
            .bind(screen.connection_id)
            .bind(screen.location_id)
            .bind(&screen.name)
            .bind(&screen.kind)
            .bind(&screen.address)
            .bind(&screen.transport)
            .bind(screen.connected_at)
            .bind(screen.head_at_connect)
            .bind(screen.acked_seq)
            .bind(screen.acked_at)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Marks `instance`'s report as still current.
    pub async fn touch_screens(&self, instance: &str, now: DateTime<Utc>) -> Result<()> {
        sqlx::query("UPDATE connected_screens SET seen_at = $1 WHERE instance = $2").bind(now).bind(instance).execute(&self.writer).await?;
        Ok(())
    }

    /// The connections at `location_id` that other instances reported since `fresh_since`.
    pub async fn screens_elsewhere(&self, location_id: i64, instance: &str, fresh_since: DateTime<Utc>) -> Result<Vec<ScreenRow>> {
        Ok(sqlx::query_as(
            "SELECT instance, connection_id, location_id, name, kind, address, transport, connected_at, head_at_connect,
                    acked_seq, acked_at
             FROM connected_screens WHERE location_id = $1 AND instance <> $2 AND seen_at > $3",
        )
        .bind(location_id)
        .bind(instance)
        .bind(fresh_since)
        .fetch_all(&self.reader)
        .await?)
    }
}

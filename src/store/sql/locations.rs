// The pizzerias of this deployment, and the menu a new one starts with.

/// Inserts a location and the demo menu (which its admins then edit) in the caller's
/// transaction.
async fn insert_location(conn: &mut Conn, new: &NewLocation) -> Result<i64> {
    let location_id: i64 = sqlx::query_scalar(
        "INSERT INTO locations (slug, name, host, created_at, timezone, opening_hours, prep_secs)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&new.slug)
    .bind(&new.name)
    .bind(&new.host)
    .bind(Utc::now())
    .bind(&new.timezone)
    .bind(&new.opening_hours)
    .bind(new.prep_secs)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("INSERT INTO event_heads (location_id, head) VALUES ($1, 0)").bind(location_id).execute(&mut *conn).await?;
    for (position, item) in DEMO_MENU.iter().enumerate() {
        sqlx::query(
            "INSERT INTO menu_items (location_id, name, description, category, price_s, price_m, price_l, vegetarian,
                                     allergens, ingredients, image, position, station)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(location_id)
        .bind(item.name)
        .bind(item.description)
        .bind(item.category)
        .bind(item.prices.0)
        .bind(item.prices.1)
        .bind(item.prices.2)
        .bind(item.vegetarian)
        .bind(item.allergens)
        .bind(serde_json::to_string(item.ingredients).map_err(StoreError::corrupt)?)
        .bind(item.image)
        .bind(position as i64)
        .bind(ItemStation::default_for(item.category.parse().map_err(StoreError::corrupt)?).code())
        .execute(&mut *conn)
        .await?;
    }
    for (position, (name, cents, vegetarian, allergens)) in DEMO_TOPPINGS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO toppings (location_id, name, price_cents, vegetarian, allergens, position) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(location_id)
        .bind(name)
        .bind(cents)
        .bind(vegetarian)
        .bind(allergens)
        .bind(position as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(location_id)
}

impl Pools {
    /// Seeds the demo pizzeria only when there is no location yet, so a menu an admin emptied
    /// stays empty.
    pub async fn seed(&self, demo: &DemoLocation) -> Result<()> {
        let mut tx = self.writer.begin().await?;
        // Instances starting together seed once.
        lock_name(&mut tx, "locations").await?;
        let locations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM locations").fetch_one(&mut *tx).await?;
        if locations > 0 {
            return Ok(());
        }
        insert_location(&mut tx, &demo.as_new_location()).await?;
        tx.commit().await?;
        tracing::info!(timezone = %demo.timezone, hours = %demo.opening_hours, "seeded the demo pizzeria and its menu");
        Ok(())
    }

    /// Every location, oldest first.
    pub async fn locations(&self) -> Result<Vec<Location>> {
        Ok(sqlx::query_as("SELECT id, slug, name, host FROM locations ORDER BY id").fetch_all(&self.reader).await?)
    }

    /// A pizzeria's name, address and phone, as customers see them.
    pub async fn location_contact(&self, location_id: i64) -> Result<LocationContact> {
        Ok(sqlx::query_as("SELECT name, address, phone, currency FROM locations WHERE id = $1")
            .bind(location_id)
            .fetch_one(&self.reader)
            .await?)
    }

    /// Sets a pizzeria's address and phone (either may be empty).
    pub async fn set_location_contact(&self, location_id: i64, address: &str, phone: &str) -> Result<()> {
        sqlx::query("UPDATE locations SET address = $1, phone = $2 WHERE id = $3")
            .bind(address)
            .bind(phone)
            .bind(location_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// A pizzeria's currency code (ISO 4217).
    pub async fn location_currency(&self, location_id: i64) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT currency FROM locations WHERE id = $1")
            .bind(location_id)
            .fetch_optional(&self.reader)
            .await?)
    }

    /// Sets the currency a pizzeria prices in.
    pub async fn set_location_currency(&self, location_id: i64, code: &str) -> Result<()> {
        sqlx::query("UPDATE locations SET currency = $1 WHERE id = $2").bind(code).bind(location_id).execute(&self.writer).await?;
        Ok(())
    }

    /// Adds a pizzeria, starting with the demo menu.
    pub async fn create_location(&self, new: &NewLocation) -> Result<Result<i64, LocationTaken>> {
        let mut tx = self.writer.begin().await?;
        lock_name(&mut tx, "locations").await?;
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM locations WHERE slug = $1 OR host = $2")
            .bind(&new.slug)
            .bind(&new.host)
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Ok(Err(LocationTaken));
        }
        let id = insert_location(&mut tx, new).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }
}

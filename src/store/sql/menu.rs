// A location's menu and opening hours, and menu edits.

/// Reads a location's menu on `conn`, so the order transaction prices from the same snapshot
/// it writes in.
async fn load_menu(conn: &mut Conn, location_id: i64) -> Result<Menu> {
    let items: Vec<MenuItemRow> = sqlx::query_as(
        "SELECT id, name, description, category, price_s, price_m, price_l, available, vegetarian, allergens,
                ingredients, image, station, version
         FROM menu_items WHERE location_id = $1 ORDER BY position, id",
    )
    .bind(location_id)
    .fetch_all(&mut *conn)
    .await?;
    let toppings: Vec<ToppingRow> = sqlx::query_as(
        "SELECT id, name, price_cents, available, vegetarian, allergens, version
         FROM toppings WHERE location_id = $1 ORDER BY position, id",
    )
    .bind(location_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Menu {
        location_id,
        items: items.into_iter().map(MenuItem::try_from).collect::<Result<_>>()?,
        toppings: toppings.into_iter().map(Topping::try_from).collect::<Result<_>>()?,
        seq: 0,
    })
}

async fn load_hours(conn: &mut Conn, location_id: i64) -> Result<LocationHours> {
    let (timezone, hours): (String, String) =
        sqlx::query_as("SELECT timezone, opening_hours FROM locations WHERE id = $1").bind(location_id).fetch_one(conn).await?;
    Ok(LocationHours {
        timezone: timezone.parse().map_err(StoreError::corrupt)?,
        opening_hours: hours.parse().map_err(StoreError::corrupt)?,
    })
}

impl Pools {
    /// A location's menu and the seq it is current at, read in one snapshot.
    pub async fn menu(&self, location_id: i64) -> Result<Menu> {
        let mut tx = begin_snapshot(&self.reader).await?;
        let seq = head_seq(&mut tx, location_id).await?;
        let menu = load_menu(&mut tx, location_id).await?;
        tx.commit().await?;
        Ok(Menu { seq, ..menu })
    }

    /// A pizzeria's own preparation time, if it has one (else the server's applies).
    pub async fn location_prep_secs(&self, location_id: i64) -> Result<Option<i64>> {
        let prep: Option<Option<i64>> = sqlx::query_scalar("SELECT prep_secs FROM locations WHERE id = $1")
            .bind(location_id)
            .fetch_optional(&self.reader)
            .await?;
        Ok(prep.flatten())
    }

    pub async fn location_hours(&self, location_id: i64) -> Result<LocationHours> {
        load_hours(&mut *self.reader.acquire().await?, location_id).await
    }
}

impl Pools {
    /// Applies a menu edit and records its event in one transaction. `None` when the item or
    /// topping is not on this location's menu.
    pub async fn edit_menu(
        &self,
        location_id: i64,
        edit: &MenuEdit,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<(MenuChange, i64), MenuEditRefused>> {
        let mut tx = self.writer.begin().await?;
        let (table, id, query) = match edit {
            MenuEdit::ItemAvailability { item_id, available } => {
                ("menu_items", *item_id, sqlx::query("UPDATE menu_items SET available = $1, version = version + 1 WHERE id = $2 AND location_id = $3").bind(*available))
            }
            MenuEdit::ItemPrices { item_id, prices } => (
                "menu_items",
                *item_id,
                sqlx::query("UPDATE menu_items SET price_s = $1, price_m = $2, price_l = $3, version = version + 1 WHERE id = $4 AND location_id = $5")
                    .bind(prices.s.0)
                    .bind(prices.m.0)
                    .bind(prices.l.0),
            ),
            MenuEdit::ToppingAvailability { topping_id, available } => {
                ("toppings", *topping_id, sqlx::query("UPDATE toppings SET available = $1, version = version + 1 WHERE id = $2 AND location_id = $3").bind(*available))
            }
            MenuEdit::ToppingPrice { topping_id, price } => {
                ("toppings", *topping_id, sqlx::query("UPDATE toppings SET price_cents = $1, version = version + 1 WHERE id = $2 AND location_id = $3").bind(price.0))
            }
            MenuEdit::ItemStation { item_id, station } => (
                "menu_items",
                *item_id,
                sqlx::query("UPDATE menu_items SET station = $1, version = version + 1 WHERE id = $2 AND location_id = $3").bind(station.code()),
            ),
            MenuEdit::ItemText { item_id, name, description } => (
                "menu_items",
                *item_id,
                sqlx::query("UPDATE menu_items SET name = $1, description = $2, version = version + 1 WHERE id = $3 AND location_id = $4")
                    .bind(name)
                    .bind(description),
            ),
        };
        match query.bind(id).bind(location_id).execute(&mut *tx).await {
            Ok(done) if done.rows_affected() == 0 => return Ok(Err(MenuEditRefused::NotFound)),
            Ok(_) => {}
            Err(err) if err.as_database_error().is_some_and(|db| db.is_unique_violation()) => {
                return Ok(Err(MenuEditRefused::NameTaken))
            }
            Err(err) => return Err(err.into()),
        }
        let menu = load_menu(&mut tx, location_id).await?;
        let (change, kind) = match table {
            "menu_items" => (menu.item(id).cloned().map(MenuChange::Item), EventKind::MenuItemUpdated),
            _ => (menu.topping(id).cloned().map(MenuChange::Topping), EventKind::ToppingUpdated),
        };
        let change = change.ok_or_else(|| StoreError::corrupt("an edited menu entry vanished"))?;
        let payload = match change.clone() {
            MenuChange::Item(item) => Payload::MenuItem(item),
            MenuChange::Topping(topping) => Payload::Topping(topping),
        };
        let seq = append_event(
            &mut tx,
            NewEvent { location_id, kind, order_id: None, url: MENU_URL, payload: &payload, actor, at: now },
        )
        .await?;
        tx.commit().await?;
        Ok(Ok((change, seq)))
    }
}


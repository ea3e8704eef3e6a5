//! The demo pizzeria, written on the very first start only.

use super::Result;
use chrono::Utc;
use sqlx::SqlitePool;

pub const DEMO_LOCATION_ID: i64 = 1;

const DEMO_MENU: &[(&str, &str, i64, i64, i64)] = &[
    ("Margherita", "Tomato, fior di latte, basil, olive oil", 800, 1050, 1300),
    ("Marinara", "Tomato, garlic, oregano, olive oil", 700, 900, 1100),
    ("Diavola", "Tomato, mozzarella, spicy salami, chilli", 950, 1200, 1450),
    ("Quattro formaggi", "Mozzarella, gorgonzola, parmesan, fontina", 1000, 1250, 1500),
    ("Capricciosa", "Tomato, mozzarella, ham, mushrooms, artichokes, olives", 1050, 1300, 1550),
    ("Funghi", "Tomato, mozzarella, mushrooms, parsley", 900, 1150, 1400),
];

/// Seeds only when there is no location yet, so a menu an admin emptied stays empty.
pub async fn seed_demo_if_new(pool: &SqlitePool) -> Result<()> {
    let mut tx = pool.begin().await?;
    let locations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM locations").fetch_one(&mut *tx).await?;
    if locations > 0 {
        return Ok(());
    }
    sqlx::query("INSERT INTO locations (id, slug, name, created_at) VALUES (?, 'demo', 'Pizzeria Demo', ?)")
        .bind(DEMO_LOCATION_ID)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
    for (position, (name, description, s, m, l)) in DEMO_MENU.iter().enumerate() {
        sqlx::query(
            "INSERT INTO menu_items (location_id, name, description, price_s, price_m, price_l, position)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(DEMO_LOCATION_ID)
        .bind(name)
        .bind(description)
        .bind(s)
        .bind(m)
        .bind(l)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!("seeded the demo pizzeria and its menu");
    Ok(())
}

//! The demo pizzeria, written on the very first start only.

use super::Result;
use chrono::Utc;
use sqlx::SqlitePool;

pub const DEMO_LOCATION_ID: i64 = 1;

/// Where the first pizzeria is and when it opens (from the configuration).
#[derive(Clone, Debug)]
pub struct DemoLocation {
    /// An IANA time zone name, e.g. "Europe/Paris".
    pub timezone: String,
    /// "HH:MM-HH:MM" or "always".
    pub opening_hours: String,
}

struct DemoItem {
    name: &'static str,
    description: &'static str,
    category: &'static str,
    prices: (i64, i64, i64),
    vegetarian: bool,
    allergens: &'static str,
    ingredients: &'static [&'static str],
    image: &'static str,
}

const fn pizza(
    name: &'static str,
    description: &'static str,
    prices: (i64, i64, i64),
    vegetarian: bool,
    allergens: &'static str,
    ingredients: &'static [&'static str],
    image: &'static str,
) -> DemoItem {
    DemoItem { name, description, category: "pizza", prices, vegetarian, allergens, ingredients, image }
}

const fn single(name: &'static str, description: &'static str, category: &'static str, cents: i64, allergens: &'static str, image: &'static str) -> DemoItem {
    DemoItem { name, description, category, prices: (cents, cents, cents), vegetarian: true, allergens, ingredients: &[], image }
}

const DEMO_MENU: &[DemoItem] = &[
    pizza("Margherita", "Tomato, fior di latte, basil, olive oil", (800, 1050, 1300), true, "gluten,milk",
          &["basil", "olive oil"], "/menu/margherita.svg"),
    pizza("Marinara", "Tomato, garlic, oregano, olive oil", (700, 900, 1100), true, "gluten",
          &["garlic", "oregano"], "/menu/marinara.svg"),
    pizza("Diavola", "Tomato, mozzarella, spicy salami, chilli", (950, 1200, 1450), false, "gluten,milk",
          &["chilli"], "/menu/diavola.svg"),
    pizza("Quattro formaggi", "Mozzarella, gorgonzola, parmesan, fontina", (1000, 1250, 1500), true, "gluten,milk",
          &["gorgonzola"], "/menu/quattro-formaggi.svg"),
    pizza("Capricciosa", "Tomato, mozzarella, ham, mushrooms, artichokes, olives", (1050, 1300, 1550), false, "gluten,milk",
          &["ham", "mushrooms", "artichokes", "olives"], "/menu/capricciosa.svg"),
    pizza("Funghi", "Tomato, mozzarella, mushrooms, parsley", (900, 1150, 1400), true, "gluten,milk",
          &["parsley"], "/menu/funghi.svg"),
    single("Lemonade", "Homemade, with Sicilian lemons", "drink", 350, "", "/menu/lemonade.svg"),
    single("Sparkling water", "50 cl bottle", "drink", 250, "", "/menu/water.svg"),
    single("Chinotto", "Bitter-orange soda, 33 cl", "drink", 300, "", "/menu/chinotto.svg"),
    single("Tiramisù", "Mascarpone, coffee, cocoa", "dessert", 550, "gluten,eggs,milk", "/menu/tiramisu.svg"),
    single("Panna cotta", "With a wild berry coulis", "dessert", 500, "milk", "/menu/panna-cotta.svg"),
];

/// Extra toppings: name, price in cents, vegetarian, allergens.
const DEMO_TOPPINGS: &[(&str, i64, bool, &str)] = &[
    ("Extra mozzarella", 150, true, "milk"),
    ("Buffalo mozzarella", 250, true, "milk"),
    ("Mushrooms", 100, true, ""),
    ("Black olives", 100, true, ""),
    ("Rocket", 100, true, ""),
    ("Spicy salami", 200, false, ""),
    ("Prosciutto crudo", 250, false, ""),
    ("Anchovies", 150, false, "fish"),
    ("Fresh chilli", 50, true, ""),
];

/// Seeds only when there is no location yet, so a menu an admin emptied stays empty.
pub async fn seed_demo_if_new(pool: &SqlitePool, demo: &DemoLocation) -> Result<()> {
    let mut tx = pool.begin().await?;
    let locations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM locations").fetch_one(&mut *tx).await?;
    if locations > 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO locations (id, slug, name, created_at, timezone, opening_hours)
         VALUES (?, 'demo', 'Pizzeria Demo', ?, ?, ?)",
    )
    .bind(DEMO_LOCATION_ID)
    .bind(Utc::now())
    .bind(&demo.timezone)
    .bind(&demo.opening_hours)
    .execute(&mut *tx)
    .await?;
    for (position, item) in DEMO_MENU.iter().enumerate() {
        sqlx::query(
            "INSERT INTO menu_items (location_id, name, description, category, price_s, price_m, price_l, vegetarian,
                                     allergens, ingredients, image, position)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(DEMO_LOCATION_ID)
        .bind(item.name)
        .bind(item.description)
        .bind(item.category)
        .bind(item.prices.0)
        .bind(item.prices.1)
        .bind(item.prices.2)
        .bind(item.vegetarian)
        .bind(item.allergens)
        .bind(serde_json::to_string(item.ingredients).unwrap_or_else(|_| "[]".into()))
        .bind(item.image)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    for (position, (name, cents, vegetarian, allergens)) in DEMO_TOPPINGS.iter().enumerate() {
        sqlx::query(
            "INSERT INTO toppings (location_id, name, price_cents, vegetarian, allergens, position) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(DEMO_LOCATION_ID)
        .bind(name)
        .bind(cents)
        .bind(vegetarian)
        .bind(allergens)
        .bind(position as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::info!(timezone = %demo.timezone, hours = %demo.opening_hours, "seeded the demo pizzeria and its menu");
    Ok(())
}

//! A small menu for the domain's unit tests.

use super::menu::{Allergen, Category, ItemStation, Menu, MenuItem, SizePrices, Topping};
use super::money::Cents;
use super::order::{LineRequest, OrderRequest};
use super::pickup::{OpeningHours, PickupRules};
use super::Size;

pub fn item(id: i64, name: &str, category: Category, prices: (i64, i64, i64), available: bool) -> MenuItem {
    MenuItem {
        id,
        name: name.into(),
        description: String::new(),
        category,
        prices: SizePrices { s: Cents(prices.0), m: Cents(prices.1), l: Cents(prices.2) },
        available,
        vegetarian: false,
        allergens: vec![Allergen::Gluten],
        ingredients: vec!["basil".into(), "olive oil".into()],
        image: None,
        station: ItemStation::default_for(category),
        version: 1,
    }
}

pub fn topping(id: i64, name: &str, cents: i64, available: bool, allergens: Vec<Allergen>) -> Topping {
    Topping { id, name: name.into(), price: Cents(cents), available, vegetarian: true, allergens, version: 1 }
}

/// Margherita (1), Diavola (2), a sold-out Tartufo (3), a lemonade (4); toppings olives (10),
/// extra mozzarella (11), sold-out anchovies (12) and four more (13 to 16).
pub fn menu() -> Menu {
    let mut extras: Vec<Topping> = vec![
        topping(10, "Olives", 150, true, vec![]),
        topping(11, "Mozzarella", 200, true, vec![Allergen::Milk]),
        topping(12, "Anchovies", 250, false, vec![Allergen::Fish]),
    ];
    extras.extend((13..=16).map(|id| topping(id, &format!("Extra {id}"), 100, true, vec![])));
    Menu {
        location_id: 1,
        items: vec![
            item(1, "Margherita", Category::Pizza, (800, 1050, 1300), true),
            item(2, "Diavola", Category::Pizza, (950, 1200, 1450), true),
            item(3, "Tartufo", Category::Pizza, (1500, 1800, 2100), false),
            MenuItem {
                allergens: vec![],
                ingredients: vec![],
                ..item(4, "Lemonade", Category::Drink, (350, 350, 350), true)
            },
        ],
        toppings: extras,
        seq: 0,
    }
}

pub fn always_open() -> PickupRules {
    PickupRules::new(OpeningHours::ALWAYS, &chrono::Utc, chrono::Utc::now())
}

pub fn request(lines: Vec<(i64, Size, u32)>) -> OrderRequest {
    OrderRequest {
        customer_name: "Ada".into(),
        lines: lines.into_iter().map(|(item_id, size, quantity)| LineRequest::plain(item_id, size, quantity)).collect(),
        ..OrderRequest::default()
    }
}

/// An order with no lines, created and last changed at `at`.
pub fn order(id: i64, status: super::OrderStatus, at: chrono::DateTime<chrono::Utc>) -> super::Order {
    super::Order {
        id,
        location_id: 1,
        customer_name: format!("customer {id}"),
        phone: None,
        pickup_at: None,
        notes: String::new(),
        status,
        version: 1,
        lines: vec![],
        total: Cents(0),
        created_at: at,
        updated_at: at,
        previous_status: None,
        cancel_reason: None,
        fire_at: None,
    }
}

/// A plain pizza line.
pub fn line(name: &str, size: Size, quantity: u32) -> super::OrderLine {
    super::OrderLine {
        item_id: 1,
        item_name: name.into(),
        size,
        quantity,
        unit_price: Cents(0),
        category: Category::Pizza,
        station: ItemStation::Oven,
        added: vec![],
        removed: vec![],
        allergens: vec![],
        added_allergens: vec![],
        notes: String::new(),
    }
}

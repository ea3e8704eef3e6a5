//! The full menu, checkout details, idempotent checkout, sold-out items and price changes,
//! against the real server.

use crate::support::{spawn_app, spawn_app_with, TestServer};
use app::api::{EditMenu, GetOrder, GetPickupOptions};
use app::domain::{Allergen, Cents, Menu, MenuEdit, Order, Payload, PlacedOrder, SizePrices};
use serde_json::{json, Value};

const ADMIN_PASSWORD: &str = "admin password 123";

async fn admin_cookie(server: &TestServer) -> String {
    server.create_user("admin", "ada", ADMIN_PASSWORD).await;
    server.sign_in("ada", ADMIN_PASSWORD).await.expect("admin can sign in")
}

async fn menu(server: &TestServer) -> Menu {
    server.http.get(server.url("/api/v1/menu")).send().await.unwrap().json().await.unwrap()
}

async fn checkout(server: &TestServer, request: Value) -> (u16, Value) {
    server.call_as(None, "place_order", json!({ "request": request })).await
}

fn one_margherita(key: Option<&str>) -> Value {
    json!({ "customer_name": "Ada", "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }], "idempotency_key": key })
}

#[tokio::test]
async fn the_demo_menu_has_categories_labels_and_toppings() {
    let server = spawn_app().await;
    let menu = menu(&server).await;
    let margherita = menu.item(1).unwrap();
    assert!(margherita.vegetarian);
    assert_eq!(margherita.allergens, [Allergen::Gluten, Allergen::Milk]);
    assert!(margherita.ingredients.contains(&"basil".to_string()));
    assert!(margherita.image.as_deref().is_some_and(|path| path.starts_with("/menu/")));
    assert!(menu.items.iter().any(|item| item.category == app::domain::Category::Drink));
    assert!(menu.items.iter().any(|item| item.category == app::domain::Category::Dessert));
    assert!(menu.toppings.len() >= 5);
}

#[tokio::test]
async fn a_customised_pizza_is_priced_and_reaches_the_kitchen_with_its_details() {
    let server = spawn_app().await;
    let menu = menu(&server).await;
    let mozzarella = menu.toppings.iter().find(|t| t.name == "Extra mozzarella").unwrap();
    let anchovies = menu.toppings.iter().find(|t| t.name == "Anchovies").unwrap();
    let mut kitchen = server.connect("feed=kitchen").await;
    kitchen.expect_hello().await;

    let (status, body) = checkout(
        &server,
        json!({
            "customer_name": "Ada Lovelace",
            "phone": "+44 20 7946 0000",
            "notes": "Cut in eight",
            "lines": [
                { "item_id": 1, "size": "L", "quantity": 2, "add": [mozzarella.id, anchovies.id], "remove": ["basil"], "notes": "well done" },
                { "item_id": 7, "size": "M", "quantity": 1 }
            ]
        }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let placed: PlacedOrder = serde_json::from_value(body).unwrap();
    let pizza = &placed.order.lines[0];
    assert_eq!(pizza.unit_price.0, 1300 + mozzarella.price.0 + anchovies.price.0);
    assert_eq!(pizza.added, ["Extra mozzarella", "Anchovies"]);
    assert_eq!(pizza.removed, ["basil"]);
    assert_eq!(pizza.allergens, [Allergen::Gluten, Allergen::Fish, Allergen::Milk]);
    assert_eq!(pizza.notes, "well done");
    assert_eq!(placed.order.total.0, 2 * pizza.unit_price.0 + 350);
    assert_eq!(placed.order.phone.as_deref(), Some("+44 20 7946 0000"));
    assert_eq!(placed.order.notes, "Cut in eight");
    assert_eq!(placed.order.pickup_at, None, "as soon as possible");

    let event = kitchen.expect_event().await;
    let Payload::Order(seen) = &event.payload else { panic!("an order event") };
    assert_eq!(seen, &placed.order, "the kitchen sees every detail");
    let stored: Order =
        server.staff_get(&format!("/api/v1/orders/{}", placed.order.id)).send().await.unwrap().json().await.unwrap();
    assert_eq!(stored, placed.order, "and the details survive storage");
}

#[tokio::test]
async fn the_same_idempotency_key_gives_one_order_even_concurrently() {
    let server = spawn_app().await;
    let key = "3f0c2a61-7d0e-4a55-9d3b-5d7f3b8a2e10";
    let attempts = (0..8).map(|_| checkout(&server, one_margherita(Some(key))));
    let answers = futures::future::join_all(attempts).await;
    let placed: Vec<PlacedOrder> = answers
        .into_iter()
        .map(|(status, body)| {
            assert_eq!(status, 200, "{body}");
            serde_json::from_value(body).unwrap()
        })
        .collect();
    assert!(
        placed.windows(2).all(|pair| (&pair[0].order, &pair[0].token) == (&pair[1].order, &pair[1].token)),
        "every retry gets the same order and token"
    );
    assert_eq!(
        placed.iter().filter(|placed| !placed.repeated).count(),
        1,
        "one of them placed it; the others are told they repeat it"
    );
    let snapshot = server.open_orders().await;
    assert_eq!(snapshot.orders.len(), 1);
    assert_eq!(snapshot.seq, 1, "one order, one event");

    // A later retry still answers with the order; other details with the same key are refused.
    let (status, body) = checkout(&server, one_margherita(Some(key))).await;
    assert_eq!(status, 200);
    let later: PlacedOrder = serde_json::from_value(body).unwrap();
    assert_eq!((later.order, later.token, later.repeated), (placed[0].order.clone(), placed[0].token.clone(), true));
    let mut other = one_margherita(Some(key));
    other["customer_name"] = json!("Bob");
    let (status, body) = checkout(&server, other).await;
    assert_eq!(status, 409, "{body}");
    // Without a key, or with another key, orders are distinct.
    assert_eq!(checkout(&server, one_margherita(Some("another-key-1"))).await.0, 200);
    assert_eq!(checkout(&server, one_margherita(None)).await.0, 200);
    assert_eq!(server.open_orders().await.orders.len(), 3);
}

#[tokio::test]
async fn sold_out_items_are_refused_at_checkout_and_open_menus_hear_at_once() {
    let server = spawn_app().await;
    let mut menu_page = server.try_connect_as(None, "feed=menu").await.expect("the menu feed is public");
    menu_page.expect_hello().await;

    let edit = || EditMenu { edit: MenuEdit::ItemAvailability { item_id: 3, available: false } };
    assert_eq!(server.status_of(None, edit()).await, 401, "customers cannot edit the menu");
    server.staff_call(edit()).await;

    let event = menu_page.expect_event().await;
    let Payload::MenuItem(item) = &event.payload else { panic!("a menu event, got {event:?}") };
    assert_eq!((item.id, item.available), (3, false));
    assert_eq!(event.url, "/api/v1/menu");

    let (status, body) = checkout(
        &server,
        json!({ "customer_name": "Ada", "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }, { "item_id": 3, "size": "M", "quantity": 1 }] }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "lines[1].item_id");
    assert!(body["message"].as_str().unwrap().contains("sold out"), "{body}");
    assert!(server.open_orders().await.orders.is_empty(), "nothing written");

    // Toppings too, and back on the menu.
    let topping = menu(&server).await.toppings[0].clone();
    server
        .staff_call(EditMenu { edit: MenuEdit::ToppingAvailability { topping_id: topping.id, available: false } })
        .await;
    let (status, body) = checkout(
        &server,
        json!({ "customer_name": "Ada", "lines": [{ "item_id": 1, "size": "M", "quantity": 1, "add": [topping.id] }] }),
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("lines[0].add")), "{body}");
    server.staff_call(EditMenu { edit: MenuEdit::ItemAvailability { item_id: 3, available: true } }).await;
    assert!(menu(&server).await.item(3).unwrap().available);
}

#[tokio::test]
async fn a_price_change_applies_to_new_orders_only() {
    let server = spawn_app().await;
    let admin = admin_cookie(&server).await;
    let before = server.place_simple_order("Ada").await;
    assert_eq!(before.total.0, 1050);

    let prices = |s| EditMenu {
        edit: MenuEdit::ItemPrices { item_id: 1, prices: SizePrices { s: Cents(s), m: Cents(1150), l: Cents(1400) } },
    };
    assert_eq!(server.status_of(Some(&server.staff_cookie), prices(900)).await, 403, "staff cannot change prices");
    server.call_fn(Some(&admin), prices(900)).await.expect("an admin changes prices");
    let (status, body) = server.call_fn(Some(&admin), prices(-1)).await.expect_err("a negative price is refused");
    assert_eq!((status, body["field"].as_str()), (422, Some("prices.s")));
    let missing = EditMenu { edit: MenuEdit::ItemAvailability { item_id: 999, available: false } };
    assert_eq!(server.status_of(Some(&server.staff_cookie), missing).await, 404);

    let after = server.place_simple_order("Bob").await;
    assert_eq!(after.total.0, 1150);
    let old: Order =
        server.staff_get(&format!("/api/v1/orders/{}", before.id)).send().await.unwrap().json().await.unwrap();
    assert_eq!(old.total.0, 1050, "an order keeps the price it was placed at");
}

#[tokio::test]
async fn admins_reword_items_and_orders_keep_the_name_they_were_placed_with() {
    let server = spawn_app().await;
    let admin = admin_cookie(&server).await;
    let before = server.place_simple_order("Ada").await;
    let mut menu_page = server.try_connect_as(None, "feed=menu").await.unwrap();
    menu_page.expect_hello().await;

    let reword = |name: &str, description: &str| EditMenu {
        edit: MenuEdit::ItemText { item_id: 1, name: name.to_string(), description: description.to_string() },
    };
    let rename = || reword("  Margherita DOP ", "San Marzano, buffalo mozzarella");
    assert_eq!(server.status_of(Some(&server.staff_cookie), rename()).await, 403, "staff cannot reword the menu");
    server.call_fn(Some(&admin), rename()).await.expect("an admin rewords an item");
    let event = menu_page.expect_event().await;
    assert!(matches!(&event.payload, Payload::MenuItem(item) if item.name == "Margherita DOP"), "{event:?}");
    assert_eq!(menu(&server).await.item(1).unwrap().description, "San Marzano, buffalo mozzarella");

    let (status, body) = server.call_fn(Some(&admin), reword("Marinara", "")).await.expect_err("a taken name");
    assert_eq!((status, body["field"].as_str()), (422, Some("name")), "{body}");
    assert_eq!(server.status_of(Some(&admin), reword(" ", "")).await, 422);
    assert_eq!(menu(&server).await.item(1).unwrap().name, "Margherita DOP", "refused edits write nothing");
    menu_page.expect_silence(std::time::Duration::from_millis(300)).await;

    let after = server.place_simple_order("Bob").await;
    assert_eq!(after.lines[0].item_name, "Margherita DOP");
    let old: Order =
        server.staff_get(&format!("/api/v1/orders/{}", before.id)).send().await.unwrap().json().await.unwrap();
    assert_eq!(old.lines[0].item_name, "Margherita");
}

#[tokio::test]
async fn the_menu_feed_carries_menu_changes_and_never_orders() {
    let server = spawn_app().await;
    server.place_simple_order("Ada").await;
    server.staff_call(EditMenu { edit: MenuEdit::ItemAvailability { item_id: 2, available: false } }).await;
    server.place_simple_order("Bob").await;

    // Resuming from the start replays the menu change only.
    let mut menu_page = server.try_connect_as(None, "feed=menu&since=0").await.unwrap();
    // The hub publishes after the commit, woken but not awaited, so the head may not have
    // reached the last writes yet (the menu change then arrives live); never past them.
    let head = menu_page.expect_hello().await;
    assert!(head <= 3, "head {head}");
    let event = menu_page.expect_event().await;
    assert_eq!((event.seq, event.kind.as_str()), (2, "menu_item.updated"));
    server.place_simple_order("Cy").await;
    menu_page.expect_silence(std::time::Duration::from_millis(500)).await;

    // The menu snapshot says which seq it is current at.
    assert_eq!(menu(&server).await.seq, 4);
}

#[tokio::test]
async fn pickup_times_must_fall_within_opening_hours() {
    // Opening hours that exclude the current time, whatever it is: open for one hour starting
    // two hours from now.
    let now = chrono::Utc::now();
    let opens = (now + chrono::Duration::hours(2)).format("%H:00").to_string();
    let closes = (now + chrono::Duration::hours(3)).format("%H:00").to_string();
    let hours = format!("{opens}-{closes}");
    let server = spawn_app_with(&[("PIZZERIA_OPENING_HOURS", &hours), ("PIZZERIA_TIMEZONE", "UTC")]).await;

    let options = server.call_fn(None, GetPickupOptions {}).await.expect("pickup options");
    assert!(!options.open_now);
    assert_eq!(options.slots.len(), 4, "four quarter-hours in the one open hour: {options:?}");

    let (status, body) = checkout(&server, one_margherita(None)).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("pickup_at")), "closed now: {body}");
    let mut at_slot = one_margherita(None);
    at_slot["pickup_at"] = json!(options.slots[1].at);
    let (status, body) = checkout(&server, at_slot).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_value::<PlacedOrder>(body).unwrap().order.pickup_at, Some(options.slots[1].at));
    let mut after_closing = one_margherita(None);
    after_closing["pickup_at"] = json!(now + chrono::Duration::hours(5));
    let (status, body) = checkout(&server, after_closing).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("pickup_at")), "{body}");
}

#[tokio::test]
async fn checkout_details_are_validated_and_nothing_is_written_on_refusal() {
    let server = spawn_app().await;
    let cases = [
        (
            json!({ "customer_name": "Ada", "phone": "not a phone", "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }] }),
            "phone",
        ),
        (
            json!({ "customer_name": "Ada", "notes": "x".repeat(301), "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }] }),
            "notes",
        ),
        (
            json!({ "customer_name": "Ada", "lines": [{ "item_id": 1, "size": "M", "quantity": 1, "add": [1, 2, 3, 4, 5, 6] }] }),
            "lines[0].add",
        ),
        (
            json!({ "customer_name": "Ada", "lines": [{ "item_id": 1, "size": "M", "quantity": 1, "remove": ["pineapple"] }] }),
            "lines[0].remove",
        ),
        (json!({ "customer_name": "Ada", "lines": [{ "item_id": 7, "size": "L", "quantity": 1 }] }), "lines[0].size"),
        (
            json!({ "customer_name": "Ada", "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }], "idempotency_key": "x" }),
            "idempotency_key",
        ),
        // Characters that reorder the text around them would make the kitchen misread a name.
        (
            json!({ "customer_name": "Ada\u{202E}rotca", "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }] }),
            "customer_name",
        ),
        (
            json!({ "customer_name": "Ada", "notes": "no \u{2066}garlic", "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }] }),
            "notes",
        ),
        (
            json!({ "customer_name": "Ada", "lines": [{ "item_id": 1, "size": "M", "quantity": 1, "notes": "well\u{202D} done" }] }),
            "lines[0].notes",
        ),
    ];
    for (request, field) in cases {
        let (status, body) = checkout(&server, request).await;
        assert_eq!((status, body["field"].as_str()), (422, Some(field)), "{body}");
        assert!(!body["message"].as_str().unwrap_or_default().is_empty());
    }
    assert!(server.open_orders().await.orders.is_empty());
}

#[tokio::test]
async fn a_customer_sees_when_the_order_should_be_ready_and_how_many_are_ahead() {
    let server = spawn_app().await;
    let first = server.place_simple("Ada").await;
    let second = server.place_simple("Bob").await;
    let estimate_of = |token: String| {
        let server = &server;
        async move { server.call_fn(None, GetOrder { token: token.to_string() }).await.expect("the order").estimate }
    };
    let mine = estimate_of(second.token.clone()).await.expect("an estimate while the order is made");
    assert_eq!(mine.ahead, 1);
    let theirs = estimate_of(first.token.clone()).await.unwrap();
    assert_eq!(theirs.ahead, 0);
    assert!(mine.ready_at > theirs.ready_at, "the order behind is ready later");

    // Once the first order is out of the way, the second moves up.
    let mut order = first.order;
    while order.status != app::domain::OrderStatus::Ready {
        order = server.advance(&order).await;
    }
    assert_eq!(estimate_of(second.token.clone()).await.unwrap().ahead, 0);
    assert_eq!(estimate_of(first.token).await, None, "nothing to estimate once ready");
}

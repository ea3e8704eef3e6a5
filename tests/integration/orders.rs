//! Placing and advancing orders over HTTP, against the real server.

use crate::support::{order_of, spawn_app, spawn_app_with, TestServer};
use app::api::{ChangeOrderStatus, GetKitchenSettings, GetOrder, GetOrderPizzeria, PlaceOrder, SetOrderStatus};
use app::domain::{LineRequest, Order, OrderRequest, OrderStatus, PlacedOrder, Size, Snapshot, StatusChange};
use serde_json::json;

#[tokio::test]
async fn health_and_readiness_checks_answer() {
    let server = spawn_app().await;
    let response = server.http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let response = server.http.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "ready");

    // Pretend the last migration was never applied: the instance must not take traffic.
    server
        .database
        .execute(
            "UPDATE _sqlx_migrations SET success = FALSE WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
        )
        .await;
    let response = server.http.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["message"], "database migrations are pending");
}

#[tokio::test]
async fn an_order_placed_over_http_is_priced_by_the_server() {
    let server = spawn_app().await;
    // The client sends no prices at all; any it sent would be ignored.
    let (status, body) = server
        .place_order(
            "Ada",
            json!([
                { "item_id": 1, "size": "S", "quantity": 2, "unit_price": 1 },
                { "item_id": 3, "size": "L", "quantity": 1 }
            ]),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let placed: PlacedOrder = serde_json::from_value(body).unwrap();
    assert_eq!(placed.token.len(), 32, "a 128-bit token");
    let order = placed.order;
    assert_eq!(order.status, OrderStatus::Received);
    assert_eq!(order.version, 1);
    assert_eq!(order.customer_name, "Ada");
    // Demo menu: Margherita S €8.00, Diavola L €14.50.
    assert_eq!(order.lines[0].unit_price.0, 800);
    assert_eq!(order.lines[1].item_name, "Diavola");
    assert_eq!(order.total.0, 2 * 800 + 1450);

    let fetched: Order =
        server.staff_get(&format!("/api/v1/orders/{}", order.id)).send().await.unwrap().json().await.unwrap();
    assert_eq!(fetched, order);
    let snapshot = server.open_orders().await;
    assert_eq!(snapshot.orders, vec![order]);
    assert_eq!(snapshot.seq, 1);
}

#[tokio::test]
async fn a_connected_screen_gets_each_change_with_the_order_and_its_version() {
    let server = spawn_app().await;
    let mut kitchen = server.connect("feed=kitchen&since=0").await;
    kitchen.expect_hello().await;

    let placed = server.place_simple_order("Grace").await;
    let created = kitchen.expect_event().await;
    assert_eq!(created.seq, 1);
    assert_eq!(created.url, format!("/api/v1/orders/{}", placed.id));
    assert_eq!(order_of(&created), &placed);

    let preparing = server.advance(&placed).await;
    let updated = kitchen.expect_event().await;
    assert_eq!(updated.seq, 2);
    assert_eq!(order_of(&updated).status, OrderStatus::Preparing);
    assert_eq!(order_of(&updated).version, 2);
    assert_eq!(order_of(&updated), &preparing);
}

#[tokio::test]
async fn a_customer_feed_carries_only_that_order() {
    let server = spawn_app().await;
    let placed = server.place_simple("Mine").await;
    let mine = placed.order;
    let mut customer =
        server.try_connect_as(None, &format!("feed=order&token={}&since=1", placed.token)).await.unwrap();
    customer.expect_hello().await;
    let other = server.place_simple_order("Other").await;
    server.advance(&other).await;
    server.advance(&mine).await;
    let event = customer.expect_event().await;
    assert_eq!(order_of(&event).id, mine.id);
    assert_eq!(order_of(&event).status, OrderStatus::Preparing);
    customer.expect_silence(std::time::Duration::from_millis(300)).await;
}

#[tokio::test]
async fn status_moves_only_along_allowed_transitions() {
    let server = spawn_app().await;
    let order = server.place_simple_order("Linus").await;

    for skipped in ["baking", "ready", "collected", "received"] {
        let (status, body) = server.set_status(order.id, skipped, None).await;
        assert_eq!(status, 422, "received -> {skipped}: {body}");
        assert_eq!(body["error"], "invalid_transition");
        assert!(body["message"].as_str().unwrap().contains("cannot become"));
    }

    let mut current = order;
    for expected in [OrderStatus::Preparing, OrderStatus::Baking, OrderStatus::Ready, OrderStatus::Collected] {
        current = server.advance(&current).await;
        assert_eq!(current.status, expected);
    }
    assert_eq!(current.version, 5);
    let (status, body) = server.set_status(current.id, "cancelled", None).await;
    assert_eq!(status, 422, "a collected order cannot be cancelled: {body}");

    let (status, body) = server.set_status(9999, "preparing", None).await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["message"], "order 9999 not found");

    let (status, body) = server.set_status(current.id, "burnt", None).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn a_stale_version_is_refused_with_the_current_order() {
    let server = spawn_app().await;
    let order = server.place_simple_order("Barbara").await;
    let preparing = server.advance(&order).await;
    // A second member of staff still looking at version 1.
    let (status, body) = server.set_status(order.id, "preparing", Some(order.version)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "conflict");
    let current: Order = serde_json::from_value(body["current"].clone()).unwrap();
    assert_eq!(current, preparing);
}

#[tokio::test]
async fn cancelling_is_allowed_until_collection() {
    let server = spawn_app().await;
    let order = server.place_simple_order("Edsger").await;
    let baking = server.advance(&server.advance(&order).await).await;
    let (status, body) = server.set_status(baking.id, "cancelled", Some(baking.version)).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("reason")), "a cancellation needs a reason: {body}");
    let cancel = SetOrderStatus {
        order_id: baking.id,
        status: OrderStatus::Cancelled,
        expected_version: Some(baking.version),
        reason: Some("oven broke".into()),
    };
    assert_eq!(server.staff_call(cancel).await.cancel_reason.as_deref(), Some("oven broke"));
    assert!(server.open_orders().await.orders.is_empty());
    // The customer sees why.
    let snapshot = server.call_fn(None, GetOrder { token: placed_token(&server, baking.id).await }).await;
    assert_eq!(snapshot.expect("the order").orders[0].cancel_reason.as_deref(), Some("oven broke"));
}

/// The customer token of an order, read from the database as only the customer would have it.
async fn placed_token(server: &TestServer, order_id: i64) -> String {
    server.database.strings("SELECT token FROM orders WHERE id = $1", Some(order_id)).await.remove(0)
}

#[tokio::test]
async fn the_last_change_can_be_undone_and_collected_orders_recalled() {
    let server = spawn_app().await;
    let order = server.place_simple_order("Oops").await;
    let preparing = server.advance(&order).await;
    let change = |change: StatusChange, version: i64| ChangeOrderStatus {
        order_id: order.id,
        change,
        expected_version: Some(version),
    };
    let undone = server.staff_call(change(StatusChange::Undo, preparing.version)).await;
    assert_eq!(undone.status, OrderStatus::Received);
    assert_eq!(undone.version, 3, "an undo is a change like any other");
    let again = server.status_of(Some(&server.staff_cookie), change(StatusChange::Undo, 3)).await;
    assert_eq!(again, 422, "only the last change can be undone");

    let mut current = undone;
    for _ in 0..4 {
        current = server.advance(&current).await;
    }
    assert_eq!(current.status, OrderStatus::Collected);
    let snapshot = server.open_orders().await;
    assert_eq!(snapshot.orders.len(), 1, "recently collected orders stay in the staff snapshot for recall");
    let recalled = server.staff_call(change(StatusChange::Recall, current.version)).await;
    assert_eq!(recalled.status, OrderStatus::Ready);
    let again = server.status_of(Some(&server.staff_cookie), change(StatusChange::Recall, current.version + 1)).await;
    assert_eq!(again, 422, "only collected orders can be recalled");
}

#[tokio::test]
async fn bad_input_is_refused_clearly_and_writes_nothing() {
    let server = spawn_app().await;
    let mut kitchen = server.connect("feed=kitchen&since=0").await;
    kitchen.expect_hello().await;
    let line = |item_id: i64, quantity: u32| json!([{ "item_id": item_id, "size": "M", "quantity": quantity }]);
    let cases = [
        ("Ada".to_string(), line(999, 1), "lines[0].item_id", "not on the menu"),
        ("Ada".to_string(), line(1, 0), "lines[0].quantity", "between 1 and"),
        ("Ada".to_string(), line(1, 1000), "lines[0].quantity", "between 1 and"),
        ("Ada".to_string(), json!([]), "lines", "empty"),
        ("x".repeat(10 * 1024), line(1, 1), "customer_name", "at most"),
        ("".to_string(), line(1, 1), "customer_name", "your name"),
    ];
    for (name, lines, field, message) in cases {
        let (status, body) = server.place_order(&name, lines).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"], "validation");
        assert_eq!(body["field"], field);
        assert!(body["message"].as_str().unwrap().contains(message), "{body}");
    }

    // Not even valid requests.
    let (status, body) = server.call("place_order", json!({ "request": { "lines": "many" } })).await;
    assert!((400..500).contains(&status), "{status} {body}");
    let (status, _) = server.place_order("Ada", json!([{ "item_id": 1, "size": "XXL", "quantity": 1 }])).await;
    assert!((400..500).contains(&status));
    // A client of its own: the server closes a connection whose body it refused to read.
    let response = reqwest::Client::new()
        .post(server.url("/api/place_order"))
        .header("content-type", "application/json")
        .body(vec![b' '; 200 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413, "an oversized body is refused");

    let snapshot: Snapshot = server.open_orders().await;
    assert!(snapshot.orders.is_empty());
    assert_eq!(snapshot.seq, 0, "no event was written");
    kitchen.expect_silence(std::time::Duration::from_millis(300)).await;
}

#[tokio::test]
async fn unknown_orders_and_feeds_are_clear_errors() {
    let server = spawn_app().await;
    let response = server.staff_get("/api/v1/orders/12345").send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = server.staff_get("/api/v1/orders/abc").send().await.unwrap();
    assert_eq!(response.status(), 400);
    let response = server.staff_get("/events?feed=order&order=777").send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response =
        server.http.get(server.url("/events?feed=order&token=0123456789abcdef0123456789abcdef")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let response = server.http.get(server.url("/events?feed=nonsense")).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let page = server.http.get(server.url("/orders/0123456789abcdef0123456789abcdef")).send().await.unwrap();
    assert_eq!(page.status(), 404);
    let page = server.http.get(server.url("/no/such/page")).send().await.unwrap();
    assert_eq!(page.status(), 404);
}

#[tokio::test]
async fn a_board_read_again_shows_every_change_at_once() {
    // Boards are kept in memory between events (`service::BoardCache`): a board read twice
    // with nothing in between is the same, and each write shows on the very next read.
    let server = spawn_app().await;
    let first = server.place_simple_order("First").await;
    let before = server.open_orders().await;
    let again = server.open_orders().await;
    assert_eq!((again.seq, &again.orders), (before.seq, &before.orders));
    assert!(again.taken_at >= before.taken_at, "each answer says when it is from");

    let preparing = server.advance(&first).await;
    let second = server.place_simple_order("Second").await;
    let after = server.open_orders().await;
    assert_eq!(after.orders, vec![preparing.clone(), second.clone()], "read right after the writes");
    assert_eq!(after.seq, before.seq + 2);

    // Cancelled orders leave the board at once, from memory or not.
    let cancel = StatusChange::Cancel { reason: "no show".into() };
    server
        .staff_call(ChangeOrderStatus { order_id: second.id, change: cancel, expected_version: Some(second.version) })
        .await;
    assert_eq!(server.open_orders().await.orders, vec![preparing.clone()]);
    assert_eq!(server.open_orders().await.orders, vec![preparing]);
}

#[tokio::test]
async fn the_demo_trickle_places_and_moves_orders_through_the_same_channel() {
    let server = spawn_app_with(&[("PIZZERIA_DEMO_TRICKLE_SECS", "0.1")]).await;
    let mut kitchen = server.connect("feed=kitchen&since=0").await;
    kitchen.expect_hello().await;
    // Simulated customers order, and simulated staff move orders along, as live events.
    let events = kitchen.expect_events(8).await;
    assert!(events.iter().any(|event| event.kind == app::domain::EventKind::OrderCreated));
    assert!(events.iter().any(|event| order_of(event).status != OrderStatus::Received), "some order moved along");
    for event in &events {
        let order = order_of(event);
        assert!(!order.lines.is_empty() && order.total.0 > 0, "a real, priced order: {order:?}");
    }
}

#[tokio::test]
async fn without_the_demo_setting_nothing_is_simulated() {
    let server = spawn_app().await;
    let mut kitchen = server.connect("feed=kitchen&since=0").await;
    kitchen.expect_hello().await;
    kitchen.expect_silence(std::time::Duration::from_secs(2)).await;
    assert!(server.open_orders().await.orders.is_empty());
}

#[tokio::test]
async fn every_kitchen_screen_gets_its_fire_and_paging_settings_from_the_server() {
    let server = spawn_app_with(&[("PIZZERIA_PREP_SECS", "1200"), ("PIZZERIA_WALL_PAGE_SECS", "7")]).await;
    let settings = server.staff_call(GetKitchenSettings {}).await;
    assert_eq!((settings.prep_secs, settings.page_secs), (1200, 7), "no history yet: the configured preparation time");

    // Once enough orders went through every stage, the preparation time is what they took,
    // kept within half and twice the setting: these took seconds, so half of it.
    let settings_now = || server.staff_call(GetKitchenSettings {});
    for n in 0..app::domain::eta::MIN_TIMED {
        assert_eq!(settings_now().await.prep_secs, 1200, "not measured yet, after {n} orders");
        let mut order = server.place_simple_order(&format!("Timed {n}")).await;
        for _ in 0..3 {
            order = server.advance(&order).await;
        }
        assert_eq!(order.status, app::domain::OrderStatus::Ready);
    }
    let settings = settings_now().await;
    assert_eq!(settings.prep_secs, 600, "measured, and kept within half the setting");

    // An order for later gets its fire time as it is placed, from the preparation time then,
    // and keeps it: every screen, whenever it loaded, fires it at the same moment.
    let slot_secs = 15 * 60;
    let pickup_secs = (chrono::Utc::now().timestamp() + 21 * 60 + slot_secs - 1) / slot_secs * slot_secs;
    let pickup = chrono::DateTime::from_timestamp(pickup_secs, 0).unwrap();
    let request = OrderRequest {
        customer_name: "Later".into(),
        pickup_at: Some(pickup),
        lines: vec![LineRequest::plain(1, Size::M, 1)],
        ..OrderRequest::default()
    };
    let later = server.staff_call(PlaceOrder { request }).await;
    let fire = later.order.fire_at.expect("decided when placed");
    assert_eq!(fire, pickup - chrono::Duration::seconds(settings.prep_secs));
    let on_board = server.open_orders().await.orders.into_iter().find(|order| order.id == later.order.id).unwrap();
    assert_eq!(on_board.fire_at, Some(fire), "read back as decided");
    let another_screen = app::domain::KitchenSettings { prep_secs: 1200, ..settings };
    assert_eq!(another_screen.fire_at(&on_board), fire, "whatever a screen's own setting");
}

/// `pizzeria backup` while orders keep coming: the copy holds every order confirmed before it
/// began, each with its lines and its events, and opens as a database of this version.
#[tokio::test]
async fn a_backup_taken_under_load_holds_every_order_confirmed_before_it() {
    let server = spawn_app_with(&[("PIZZERIA_ORDERS_PER_MINUTE", "100000")]).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let file_name = file.to_str().unwrap().to_string();
    if crate::support::database::on_postgres() {
        let output = server.cli(&["backup", &file_name]);
        assert!(!output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains("pg_dump"), "says what to use instead");
        return;
    }
    let confirmed = std::sync::Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let placing = async {
        for n in 0..150 {
            let order = server.place_simple_order(&format!("Load {n}")).await;
            confirmed.lock().unwrap().push(order.id);
        }
    };
    let backing_up = async {
        while confirmed.lock().unwrap().len() < 40 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let before: Vec<i64> = confirmed.lock().unwrap().clone();
        let mut command = server.cli_command(&["backup", &file_name]);
        let output = tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        before
    };
    let ((), before) = tokio::join!(placing, backing_up);
    assert!(confirmed.lock().unwrap().len() > before.len(), "orders kept coming during the backup");

    let copy = crate::support::database::TestDatabase::Sqlite { url: format!("sqlite://{file_name}") };
    let ids: Vec<i64> =
        copy.strings("SELECT CAST(id AS TEXT) FROM orders", None).await.iter().map(|id| id.parse().unwrap()).collect();
    for id in &before {
        assert!(ids.contains(id), "order {id}, confirmed before the backup began, is in it");
    }
    for id in &ids {
        let lines = copy.strings("SELECT item_name FROM order_lines WHERE order_id = $1", Some(*id)).await;
        let events = copy.strings("SELECT kind FROM events WHERE order_id = $1", Some(*id)).await;
        assert!(
            !lines.is_empty() && events.contains(&"order.created".to_string()),
            "order {id} is whole: {lines:?} {events:?}"
        );
    }
    // Restoring is putting the file in the database's place: it opens, at this version's schema.
    let migrate = std::process::Command::new(env!("CARGO_BIN_EXE_pizzeria"))
        .arg("migrate")
        .env("DATABASE_URL", copy.url())
        .output()
        .unwrap();
    assert!(migrate.status.success() && String::from_utf8_lossy(&migrate.stdout).contains("up to date"));
    // A second backup into the same file is refused, not overwritten.
    let again = server.cli(&["backup", &file_name]);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn an_order_page_shows_where_its_pizzeria_is_and_only_an_admin_changes_that() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();
    let placed = server.place_simple("Card").await;
    let card = || GetOrderPizzeria { token: placed.token.clone() };
    let before = server.call_fn(None, card()).await.expect("the order's pizzeria");
    assert_eq!((before.address.as_str(), before.phone.as_str()), ("", ""), "nothing set yet");
    assert!(!before.name.is_empty());

    let contact = [("address", "Via Roma 1\n00100 Roma"), ("phone", "+39 06 1234 5678")];
    assert_eq!(server.form_as(None, "set_pizzeria_contact", &contact).await.0, 401);
    assert_eq!(server.form_as(Some(&server.staff_cookie), "set_pizzeria_contact", &contact).await.0, 403);
    let (status, refused) =
        server.form_as(Some(&admin), "set_pizzeria_contact", &[("address", "Via Roma 1"), ("phone", "call us")]).await;
    assert_eq!((status, refused["field"].as_str()), (422, Some("phone")), "{refused}");
    assert_eq!(server.call_fn(None, card()).await.unwrap(), before, "a refused change writes nothing");

    let (status, body) = server.form_as(Some(&admin), "set_pizzeria_contact", &contact).await;
    assert_eq!(status, 200, "{body}");
    let after = server.call_fn(None, card()).await.unwrap();
    assert_eq!((after.address.as_str(), after.phone.as_str()), ("Via Roma 1\n00100 Roma", "+39 06 1234 5678"));
    // The tracker page carries it, with a number to call.
    let page = server.http.get(server.url(&format!("/orders/{}", placed.token))).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("Via Roma 1") && page.contains("href=\"tel:+390612345678\""), "{page}");
    assert_eq!(server.status_of(None, GetOrderPizzeria { token: "f".repeat(32) }).await, 404);
}

/// Pages read the database while they are drawn. Many opened at once must all be drawn whole:
/// none may hold a connection while it waits for another (a handful of customers opening their
/// order pages together once took every connection and each waited for the others).
#[tokio::test]
async fn pages_opened_all_at_once_are_all_drawn_whole() {
    let server = spawn_app().await;
    let placed = server.place_simple("Crowd").await;
    let order_page = format!("/orders/{}", placed.token);
    // What each page shows once its data has arrived.
    let pages: [(&str, Option<&str>, &str); 5] = [
        (&order_page, None, "pizzeria-card"),
        (&order_page, None, "\"customer_name\":\"Crowd\""),
        ("/", None, "menu-card"),
        ("/kitchen", Some(&server.staff_cookie), "\"customer_name\":\"Crowd\""),
        ("/staff", Some(&server.staff_cookie), "\"customer_name\":\"Crowd\""),
    ];
    let loads = (0..30).map(|index| {
        let (path, cookie, shows) = pages[index % pages.len()];
        let mut request = server.http.get(server.url(path));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        async move {
            let response = request.send().await.map_err(|err| format!("{path}: {err}"))?;
            let status = response.status();
            let html = response.text().await.map_err(|err| format!("{path}: {err}"))?;
            if status != 200 || !html.contains(shows) {
                return Err(format!("{path}: {status}, without {shows:?}"));
            }
            Ok(())
        }
    });
    let failed: Vec<String> = futures::future::join_all(loads).await.into_iter().filter_map(Result::err).collect();
    assert!(failed.is_empty(), "{} of 30 pages not drawn whole: {failed:?}", failed.len());
}

#[tokio::test]
async fn an_admin_sets_the_currency_and_every_page_shows_prices_in_it() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();
    let placed = server.place_simple("Pounds").await;
    let page = |path: String, lang: &'static str| {
        let request = server
            .http
            .get(server.url(&path))
            .header("accept", "text/html,application/xhtml+xml")
            .header("cookie", format!("pizzeria_lang={lang}"));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let menu = page("/".into(), "en").await;
    assert!(menu.contains("data-currency=\"EUR\"") && menu.contains("€"), "euros until an admin says otherwise");

    let pounds = [("currency", "gbp")];
    assert_eq!(server.form_as(None, "set_pizzeria_currency", &pounds).await.0, 401);
    assert_eq!(server.form_as(Some(&server.staff_cookie), "set_pizzeria_currency", &pounds).await.0, 403);
    let (status, refused) = server.form_as(Some(&admin), "set_pizzeria_currency", &[("currency", "XYZ")]).await;
    assert_eq!((status, refused["field"].as_str()), (422, Some("currency")), "{refused}");
    assert!(page("/".into(), "en").await.contains("data-currency=\"EUR\""), "a refused change writes nothing");

    let (status, card) = server.form_as(Some(&admin), "set_pizzeria_currency", &pounds).await;
    assert_eq!((status, card["currency"].as_str()), (200, Some("GBP")), "{card}");
    for (path, lang, price) in [
        ("/".to_string(), "en", "£"),
        ("/".to_string(), "fr", "\u{A0}£"),
        ("/order-now".to_string(), "en", "£"),
        (format!("/orders/{}", placed.token), "en", "£"),
    ] {
        let html = page(path.clone(), lang).await;
        assert!(html.contains("data-currency=\"GBP\"") && html.contains(price), "{path} in {lang}: no {price:?}");
        assert!(!html.contains('€'), "{path} in {lang} still shows euros");
    }
}

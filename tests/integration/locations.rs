//! Several pizzerias in one deployment: each has its own menu, staff, kitchen and channels,
//! customers reach one by its host name, and nothing of one ever shows at another.

use crate::support::{order_of, spawn_app, spawn_app_with, LiveClient, TestServer, STAFF_PASSWORD};
use app::api::{GetKitchenSettings, GetMenu, ListOpenOrders, ListStaffAccounts};
use serde_json::{json, Value};
use std::time::Duration;

const SOUTH_HOST: &str = "south.pizza.test";

/// The demo pizzeria (reached by any host) and "south", with an admin of its own.
async fn two_pizzerias() -> (TestServer, String) {
    let server = spawn_app().await;
    server.run_cli(&["create-location", "--slug", "south", "--name", "Pizzeria Sud", "--host", "South.Pizza.test"]);
    server.create_user_at("south", "admin", "sam", STAFF_PASSWORD).await;
    let south_admin = server.sign_in("sam", STAFF_PASSWORD).await.expect("south's admin signs in");
    // Running instances learn of a new location within a second.
    let deadline = tokio::time::Instant::now() + crate::support::WAIT;
    while call_on_host(&server, SOUTH_HOST, None, "menu", json!({})).await.1["location_id"] == json!(1) {
        assert!(tokio::time::Instant::now() < deadline, "the new location was never served");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (server, south_admin)
}

/// An HTTP client that reaches the server through `host`, as a browser would through DNS, and
/// the base URL to use with it.
fn client_for(server: &TestServer, host: &str) -> (reqwest::Client, String) {
    let client =
        reqwest::Client::builder().resolve(host, server.addr).timeout(Duration::from_secs(30)).build().unwrap();
    (client, format!("http://{host}:{}", server.addr.port()))
}

async fn call_on_host(
    server: &TestServer,
    host: &str,
    cookie: Option<&str>,
    function: &str,
    body: Value,
) -> (u16, Value) {
    let (client, base) = client_for(server, host);
    let mut request = client.post(format!("{base}/api/{function}")).json(&body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Orders the first pizza on the menu customers see at `host`.
async fn order_on_host(server: &TestServer, host: &str, name: &str) -> app::domain::PlacedOrder {
    let (_, menu) = call_on_host(server, host, None, "menu", json!({})).await;
    let item_id = menu["items"][0]["id"].as_i64().expect("a menu with items");
    let request =
        json!({ "request": { "customer_name": name, "lines": [{ "item_id": item_id, "size": "M", "quantity": 1 }] } });
    let (status, body) = call_on_host(server, host, None, "place_order", request).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).unwrap()
}

async fn connect_on_host(server: &TestServer, host: &str, cookie: Option<&str>, query: &str) -> LiveClient {
    let mut headers = vec![("host", host.to_string())];
    if let Some(cookie) = cookie {
        headers.push(("cookie", cookie.to_string()));
    }
    let mut client = server.try_connect_with(&headers, query).await.expect("websocket handshake");
    client.expect_hello().await;
    client
}

#[tokio::test]
async fn events_stay_in_their_pizzeria() {
    let (server, south_admin) = two_pizzerias().await;
    let host = "127.0.0.1".to_string();
    // Kitchen screens follow their own pizzeria, whatever host they use.
    let mut north_kitchen =
        connect_on_host(&server, SOUTH_HOST, Some(&server.staff_cookie), "feed=kitchen&since=0").await;
    let mut south_kitchen = connect_on_host(&server, &host, Some(&south_admin), "feed=kitchen&since=0").await;
    let mut north_menu = connect_on_host(&server, &host, None, "feed=menu&since=0").await;
    let mut south_menu = connect_on_host(&server, SOUTH_HOST, None, "feed=menu&since=0").await;

    let south_order = order_on_host(&server, SOUTH_HOST, "Sud customer").await;
    let event = south_kitchen.expect_event().await;
    assert_eq!(order_of(&event).id, south_order.order.id);
    assert_ne!(south_order.order.location_id, 1, "the south host reached the south pizzeria");
    let north_order = order_on_host(&server, &host, "Nord customer").await;
    let event = north_kitchen.expect_event().await;
    assert_eq!((order_of(&event).id, order_of(&event).location_id), (north_order.order.id, 1));

    // South's admin renames an item on south's menu: only south's menu pages hear of it.
    let south_item = server.call_fn(Some(&south_admin), GetMenu {}).await.expect("south's menu").items[0].id;
    let edit = json!({ "edit": { "action": "item_text", "item_id": south_item, "name": "Pizza del Sud", "description": "Only in the south" } });
    let (status, body) = server.call_as(Some(&south_admin), "edit_menu", edit).await;
    assert_eq!(status, 200, "{body}");
    // Its menu pages hear of it, and so do its kitchen screens (sold-out items matter there).
    for client in [&mut south_menu, &mut south_kitchen] {
        let event = client.expect_event().await;
        assert!(matches!(event.payload, app::domain::Payload::MenuItem(ref item) if item.name == "Pizza del Sud"));
    }

    for client in [&mut north_kitchen, &mut south_kitchen, &mut north_menu, &mut south_menu] {
        client.expect_silence(Duration::from_millis(400)).await;
    }

    // Staff cannot see or move another pizzeria's orders: they do not exist for them.
    let (status, _) = server.set_status(south_order.order.id, "preparing", None).await;
    assert_eq!(status, 404);
    let refused = server
        .try_connect_as(Some(&server.staff_cookie), &format!("feed=order&order={}&since=0", south_order.order.id))
        .await;
    assert_eq!(refused.err(), Some(404));
    let (status, _) = call_on_host(
        &server,
        &host,
        Some(&south_admin),
        "set_order_status",
        json!({ "order_id": north_order.order.id, "status": "preparing", "expected_version": null }),
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn each_pizzeria_numbers_its_own_events_and_its_screens_resume_from_them() {
    let (server, south_admin) = two_pizzerias().await;
    let north = "127.0.0.1";
    // North is busy first: south's numbering does not follow it.
    for n in 0..3 {
        order_on_host(&server, north, &format!("Nord {n}")).await;
    }
    let board = server.call_fn(Some(&south_admin), ListOpenOrders {}).await.expect("south's board");
    assert_eq!(board.seq, 0, "south has no event yet");
    let mut south_kitchen = connect_on_host(&server, north, Some(&south_admin), "feed=kitchen&since=0").await;
    let first = order_on_host(&server, SOUTH_HOST, "Sud 1").await;
    let event = south_kitchen.expect_event().await;
    assert_eq!((event.seq, order_of(&event).id), (1, first.order.id), "south's first event is its seq 1");
    south_kitchen.close().await;

    // While south's screen is away, both pizzerias take orders.
    order_on_host(&server, north, "Nord 3").await;
    let second = order_on_host(&server, SOUTH_HOST, "Sud 2").await;
    order_on_host(&server, north, "Nord 4").await;
    // It comes back from its own seq: south's one missed event, none of north's.
    let mut south_kitchen = connect_on_host(&server, north, Some(&south_admin), "feed=kitchen&since=1").await;
    let event = south_kitchen.expect_event().await;
    assert_eq!((event.seq, order_of(&event).id), (2, second.order.id));
    south_kitchen.expect_silence(Duration::from_millis(300)).await;
    // A customer resumes in the same numbering, and each board is current at its own seq.
    let mut customer =
        server.try_connect_as(None, &format!("feed=order&token={}&since=1", second.token)).await.unwrap();
    customer.expect_hello().await;
    assert_eq!(order_of(&customer.expect_event().await).id, second.order.id);
    assert_eq!(server.call_fn(Some(&south_admin), ListOpenOrders {}).await.expect("south's board").seq, 2);
    assert_eq!(server.open_orders().await.seq, 5, "north's five orders");
}

/// On PostgreSQL an append holds its pizzeria's place in the log until it commits, possibly
/// from another instance: only that pizzeria's orders may wait for it.
#[tokio::test]
async fn an_order_never_waits_for_another_pizzerias_commit() {
    if !crate::support::database::on_postgres() {
        return; // One SQLite writer commits everything in turn.
    }
    use sqlx::Connection;
    let server = std::sync::Arc::new(two_pizzerias().await.0);
    let mut other_instance = sqlx::PgConnection::connect(server.database_url()).await.unwrap();
    let mut append_in_flight = other_instance.begin().await.unwrap();
    sqlx::query("SELECT head FROM event_heads WHERE location_id = 1 FOR UPDATE")
        .execute(&mut *append_in_flight)
        .await
        .unwrap();

    // North's order waits for the append in flight ...
    let north = tokio::spawn({
        let server = server.clone();
        async move { order_on_host(&server, "127.0.0.1", "Nord").await }
    });
    // ... south's does not: it is placed and answered meanwhile.
    let south = tokio::time::timeout(crate::support::WAIT, order_on_host(&server, SOUTH_HOST, "Sud"))
        .await
        .expect("south's order was held up by north's append");
    assert_ne!(south.order.location_id, 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!north.is_finished(), "north's order waits for its own pizzeria's append in flight");

    append_in_flight.rollback().await.unwrap();
    let north = tokio::time::timeout(crate::support::WAIT, north).await.expect("north's order goes through").unwrap();
    assert_eq!(north.order.location_id, 1);
}

#[tokio::test]
async fn pages_show_only_their_pizzeria() {
    let (server, south_admin) = two_pizzerias().await;
    let host = "127.0.0.1".to_string();
    order_on_host(&server, SOUTH_HOST, "Sudwest").await;
    order_on_host(&server, &host, "Nordost").await;
    let south_item = server.call_fn(Some(&south_admin), GetMenu {}).await.expect("south's menu").items[0].id;
    let edit = json!({ "edit": { "action": "item_text", "item_id": south_item, "name": "Pizza del Sud", "description": "Only in the south" } });
    assert_eq!(server.call_as(Some(&south_admin), "edit_menu", edit).await.0, 200);

    let page = |host: String, cookie: Option<String>, path: &'static str| {
        let (client, base) = client_for(&server, &host);
        let request = client.get(format!("{base}{path}"));
        let request = match cookie {
            Some(cookie) => request.header("cookie", cookie),
            None => request,
        };
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let south_menu = page(SOUTH_HOST.into(), None, "/").await;
    let north_menu = page(host.clone(), None, "/").await;
    assert!(south_menu.contains("Pizza del Sud"));
    assert!(!north_menu.contains("Pizza del Sud"));
    assert!(north_menu.contains("Margherita"));

    let south_kitchen = page(host.clone(), Some(south_admin.clone()), "/kitchen").await;
    let north_kitchen = page(SOUTH_HOST.into(), Some(server.staff_cookie.clone()), "/kitchen").await;
    assert!(south_kitchen.contains("Sudwest") && !south_kitchen.contains("Nordost"));
    assert!(north_kitchen.contains("Nordost") && !north_kitchen.contains("Sudwest"));
    let south_staff = page(host, Some(south_admin), "/admin/users").await;
    assert!(south_staff.contains(">sam<") && !south_staff.contains(">pat<"), "{south_staff}");
}

#[tokio::test]
async fn a_taken_slug_or_host_is_refused() {
    let (server, _) = two_pizzerias().await;
    for clash in [["--slug", "south", "--host", "other.test"], ["--slug", "east", "--host", SOUTH_HOST]] {
        let output = server.cli(&["create-location", "--name", "Clash", clash[0], clash[1], clash[2], clash[3]]);
        assert!(!output.status.success());
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("already has"),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = server.cli(&["create-user", "--location", "nowhere", "--role", "staff", "--username", "lost"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("known: demo, south"));
}

#[tokio::test]
async fn an_admin_cannot_end_another_pizzerias_sessions() {
    let (server, south_admin) = two_pizzerias().await;
    // The demo pizzeria's own admin finds the id of its staff member "pat".
    server.create_user("admin", "ada", STAFF_PASSWORD).await;
    let demo_admin = server.sign_in("ada", STAFF_PASSWORD).await.unwrap();
    let accounts = server.call_fn(Some(&demo_admin), ListStaffAccounts {}).await.expect("the accounts");
    let pat_id = accounts.iter().find(|account| account.username == "pat").expect("pat's account").id;
    let mut pats_screen = server.try_connect_as(Some(&server.staff_cookie), "feed=kitchen&since=0").await.unwrap();
    pats_screen.expect_hello().await;

    let (status, _) =
        server.form_as(Some(&south_admin), "disable_staff_account", &[("user_id", &pat_id.to_string())]).await;
    assert_eq!(status, 404, "another pizzeria's account does not exist for south's admin");
    assert_eq!(server.status_of(Some(&server.staff_cookie), ListOpenOrders {}).await, 200, "pat is still signed in");
    server.place_simple_order("still watched").await;
    assert_eq!(pats_screen.expect_event().await.seq, 1, "pat's screen stays open");
}

/// A pizzeria may set its own preparation time for before it has a history of its own; the
/// others keep the server's.
#[tokio::test]
async fn each_pizzeria_may_have_its_own_preparation_time_until_it_has_a_history() {
    let server = spawn_app_with(&[("PIZZERIA_PREP_SECS", "900")]).await;
    let create = ["create-location", "--slug", "slow", "--name", "Slow Dough", "--host", "slow.pizza.test"];
    let refused = server.cli(&[&create[..], &["--location-prep-secs", "5"]].concat());
    assert!(!refused.status.success(), "five seconds is not a preparation time");
    server.run_cli(&[&create[..], &["--location-prep-secs", "1800"]].concat());
    server.create_user_at("slow", "staff", "sol", STAFF_PASSWORD).await;
    let sol = server.sign_in("sol", STAFF_PASSWORD).await.unwrap();
    let prep_secs = |cookie: String| {
        let server = &server;
        async move { server.call_fn(Some(&cookie), GetKitchenSettings {}).await.expect("kitchen settings").prep_secs }
    };
    assert_eq!(prep_secs(sol).await, 1800, "its own");
    assert_eq!(prep_secs(server.staff_cookie.clone()).await, 900, "the server's, for the demo pizzeria");
}

//! Who may see and change what: every endpoint and channel, tried as each kind of caller.

use crate::support::{spawn_app, spawn_app_with, TestServer};
use app::api::{
    ChangeOrderStatus, GetKitchenSettings, GetMenu, GetOrder, ListConnectedScreens, ListDevices, ListOpenOrders,
    ListStaffAccounts, RequestScreenCode, SetOrderStatus,
};
use app::domain::{OrderStatus, StatusChange};
use serde_json::json;
use std::time::Duration;

/// A caller in the matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Anonymous,
    /// A customer holding their own order's token.
    OwnCustomer,
    /// A customer holding the token of a different order than the one tried.
    OtherCustomer,
    /// A paired kitchen screen.
    Device,
    Staff,
    Admin,
}

const CALLERS: [Caller; 6] =
    [Caller::Anonymous, Caller::OwnCustomer, Caller::OtherCustomer, Caller::Device, Caller::Staff, Caller::Admin];

struct World {
    server: TestServer,
    admin_cookie: String,
    device_cookie: String,
    /// The order being tried, and its token.
    order_id: i64,
    token: String,
    /// Another customer's order token.
    other_token: String,
}

impl World {
    async fn new() -> World {
        let server = spawn_app().await;
        server.create_user("admin", "ada", "admin password 123").await;
        let admin_cookie = server.sign_in("ada", "admin password 123").await.unwrap();
        let (_, device_cookie) = server.pair_screen(&admin_cookie).await;
        let mine = server.place_simple("Mine").await;
        let other = server.place_simple("Other").await;
        World {
            server,
            admin_cookie,
            device_cookie,
            order_id: mine.order.id,
            token: mine.token,
            other_token: other.token,
        }
    }

    fn cookie(&self, caller: Caller) -> Option<&str> {
        match caller {
            Caller::Staff => Some(&self.server.staff_cookie),
            Caller::Admin => Some(&self.admin_cookie),
            Caller::Device => Some(&self.device_cookie),
            _ => None,
        }
    }

    /// The order token the caller holds, if any.
    fn token(&self, caller: Caller) -> &str {
        match caller {
            Caller::OtherCustomer => &self.other_token,
            _ => &self.token,
        }
    }

    async fn get(&self, caller: Caller, path: &str) -> u16 {
        let mut request = self.server.http.get(self.server.url(path));
        if let Some(cookie) = self.cookie(caller) {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap().status().as_u16()
    }

    async fn ws(&self, caller: Caller, query: &str) -> u16 {
        match self.server.try_connect_as(self.cookie(caller), query).await {
            Ok(client) => {
                client.close().await;
                101
            }
            Err(status) => status,
        }
    }
}

/// Kitchen view: staff, admins and devices.
fn kitchen_only(caller: Caller) -> u16 {
    match caller {
        Caller::Device | Caller::Staff | Caller::Admin => 200,
        _ => 401,
    }
}

/// Changing orders: staff and admins; a device is signed in but not allowed.
fn staff_only(caller: Caller) -> u16 {
    match caller {
        Caller::Staff | Caller::Admin => 200,
        Caller::Device => 403,
        _ => 401,
    }
}

/// Managing kitchen screens: admins only.
fn admin_only(caller: Caller) -> u16 {
    match caller {
        Caller::Admin => 200,
        Caller::Device | Caller::Staff => 403,
        _ => 401,
    }
}

#[tokio::test]
async fn every_endpoint_and_channel_allows_exactly_who_it_should() {
    let world = World::new().await;
    let server = &world.server;
    for caller in CALLERS {
        let cookie = world.cookie(caller);
        let token = world.token(caller).to_string();
        let holds_this_order = caller != Caller::OtherCustomer;

        // Anyone may read the menu and place an order.
        assert_eq!(server.status_of(cookie, GetMenu {}).await, 200, "{caller:?} menu");
        let (status, _) = server
            .call_as(cookie, "place_order", json!({ "request": { "customer_name": "Any", "lines": [{ "item_id": 2, "size": "S", "quantity": 1 }] } }))
            .await;
        assert_eq!(status, 200, "{caller:?} place_order");

        // An order by its token: whoever holds that token sees that order, and only that one.
        let seen = server.call_fn(cookie, GetOrder { token: token.to_string() }).await;
        let seen_id = seen.unwrap_or_else(|refused| panic!("{caller:?} order by token: {refused:?}")).orders[0].id;
        assert_eq!(seen_id == world.order_id, holds_this_order, "{caller:?} sees only the order of its token");
        let unknown = server.status_of(cookie, GetOrder { token: "f".repeat(32) }).await;
        assert_eq!(unknown, 404, "{caller:?} unknown token");

        // The kitchen's view: staff, admins and kitchen devices.
        assert_eq!(server.status_of(cookie, ListOpenOrders {}).await, kitchen_only(caller), "{caller:?} open_orders");
        assert_eq!(
            server.status_of(cookie, GetKitchenSettings {}).await,
            kitchen_only(caller),
            "{caller:?} kitchen_settings"
        );
        assert_eq!(world.get(caller, "/api/v1/orders").await, kitchen_only(caller), "{caller:?} GET /api/v1/orders");
        assert_eq!(
            world.get(caller, &format!("/api/v1/orders/{}", world.order_id)).await,
            kitchen_only(caller),
            "{caller:?} GET /api/v1/orders/id"
        );
        assert_eq!(world.get(caller, "/events?feed=kitchen").await, kitchen_only(caller), "{caller:?} SSE kitchen");
        let ws_expected = if kitchen_only(caller) == 200 { 101 } else { 401 };
        assert_eq!(world.ws(caller, "feed=kitchen&since=0").await, ws_expected, "{caller:?} WS kitchen");
        assert_eq!(
            world.ws(caller, &format!("feed=order&order={}&since=0", world.order_id)).await,
            ws_expected,
            "{caller:?} WS order by id"
        );

        // An order's channel: its token, whoever holds it.
        assert_eq!(
            world.ws(caller, &format!("feed=order&token={token}&since=0")).await,
            101,
            "{caller:?} WS own token"
        );
        assert_eq!(
            world.ws(caller, &format!("feed=order&token={}&since=0", "0".repeat(32))).await,
            404,
            "{caller:?} WS bad token"
        );

        // Kitchen screens are managed by admins.
        assert_eq!(server.status_of(cookie, ListDevices {}).await, admin_only(caller), "{caller:?} devices");
        let (status, _) = server.form_as(cookie, "add_device", &[("name", "Extra screen")]).await;
        assert_eq!(status, admin_only(caller), "{caller:?} add_device");

        // So are staff accounts.
        assert_eq!(
            server.status_of(cookie, ListStaffAccounts {}).await,
            admin_only(caller),
            "{caller:?} staff_accounts"
        );
        let username = format!("new-{caller:?}");
        let (status, _) = server
            .form_as(
                cookie,
                "add_staff_account",
                &[("username", &username), ("password", "long enough password"), ("role", "staff")],
            )
            .await;
        assert_eq!(status, admin_only(caller), "{caller:?} add_staff_account");

        // Changing orders: staff only, and refusals write nothing.
        let before = server.open_orders().await.seq;
        let cancel = SetOrderStatus {
            order_id: world.order_id,
            status: OrderStatus::Cancelled,
            expected_version: None,
            reason: None,
        };
        let status = server.status_of(cookie, cancel).await;
        let undo = ChangeOrderStatus { order_id: world.order_id, change: StatusChange::Undo, expected_version: None };
        let undo_status = server.status_of(cookie, undo).await;
        if staff_only(caller) == 200 {
            assert!(status == 200 || status == 422, "{caller:?} set_order_status: {status}");
            assert!(undo_status == 200 || undo_status == 422, "{caller:?} change_order_status: {undo_status}");
        } else {
            assert_eq!(status, staff_only(caller), "{caller:?} set_order_status");
            assert_eq!(undo_status, staff_only(caller), "{caller:?} change_order_status");
            assert_eq!(server.open_orders().await.seq, before, "a refused change writes nothing");
        }
    }
}

#[tokio::test]
async fn sign_in_refuses_wrong_passwords_and_unknown_users_alike() {
    let server = spawn_app().await;
    let wrong_password = server.sign_in("pat", "not the password").await.unwrap_err();
    let unknown_user = server.sign_in("nobody", "whatever it is").await.unwrap_err();
    assert_eq!(wrong_password.0, 401);
    assert_eq!(unknown_user.0, 401);
    assert!(wrong_password.1.contains("wrong username or password"));
    assert_eq!(wrong_password.1, unknown_user.1, "no hint about which was wrong");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let server = spawn_app().await;
    let cookie = server.sign_in("pat", crate::support::STAFF_PASSWORD).await.unwrap();
    assert_eq!(server.status_of(Some(&cookie), ListOpenOrders {}).await, 200);
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(server.url("/api/sign_out"))
        .header("cookie", &cookie)
        .form(&[("", "")])
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection() || response.status().is_success(), "{}", response.status());
    let cleared = response.headers().get("set-cookie").unwrap().to_str().unwrap();
    assert!(cleared.contains("Max-Age=0") && cleared.contains("HttpOnly"));
    assert_eq!(server.status_of(Some(&cookie), ListOpenOrders {}).await, 401, "the old cookie is dead");
}

#[tokio::test]
async fn sessions_expire() {
    let server = spawn_app_with(&[("PIZZERIA_SESSION_SECS", "2")]).await;
    let cookie = server.sign_in("pat", crate::support::STAFF_PASSWORD).await.unwrap();
    // Used once while valid, so the server remembers who holds it; that must not outlive it.
    assert_eq!(server.status_of(Some(&cookie), ListOpenOrders {}).await, 200);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(server.status_of(Some(&cookie), ListOpenOrders {}).await, 401);
}

#[tokio::test]
async fn requests_from_other_sites_are_refused() {
    let server = spawn_app().await;
    let response = server
        .http
        .post(server.url("/api/set_order_status"))
        .header("cookie", &server.staff_cookie)
        .header("origin", "https://evil.example")
        .json(&json!({ "order_id": 1, "status": "cancelled", "expected_version": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let same_site = server
        .http
        .post(server.url("/api/menu"))
        .header("origin", server.base.clone())
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 200);
}

#[tokio::test]
async fn create_user_refuses_weak_passwords_and_taken_names() {
    let server = spawn_app().await;
    for (username, password) in [("pat", "long enough password"), ("newbie", "short")] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_pizzeria"))
            .args(["create-user", "--role", "staff", "--username", username])
            .env("DATABASE_URL", server.database_url())
            .env("PIZZERIA_NEW_PASSWORD", password)
            .output()
            .unwrap();
        assert!(!output.status.success(), "{username} should be refused");
        assert!(!String::from_utf8_lossy(&output.stderr).is_empty());
    }
}

#[tokio::test]
async fn a_kitchen_device_watches_but_changes_nothing_until_revoked() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();
    let order = server.place_simple_order("Watched").await;
    let (device_id, device) = server.pair_screen(&admin).await;

    assert_eq!(server.status_of(Some(&device), ListOpenOrders {}).await, 200);
    assert_eq!(server.status_of(Some(&device), start_preparing(order.id)).await, 403, "devices are read-only");
    assert_eq!(server.status_of(Some(&device), ListDevices {}).await, 403);
    assert_eq!(server.status_of(Some(&server.staff_cookie), ListDevices {}).await, 403, "staff are not admins");
    assert_eq!(server.status_of(None, ListDevices {}).await, 401);

    // A bearer token works too, for screens that are not browsers.
    let token = device.trim_start_matches("pizzeria_session=");
    let response = server.http.get(server.url("/api/v1/orders")).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200);

    let mut screen = server.try_connect_as(Some(&device), "feed=kitchen&since=0").await.unwrap();
    screen.expect_hello().await;
    let (status, _) = server.form_as(Some(&admin), "revoke_device", &[("device_id", &device_id.to_string())]).await;
    assert_eq!(status, 200);
    screen.expect_closed_with(4401).await;
    assert_eq!(server.status_of(Some(&device), ListOpenOrders {}).await, 401, "a revoked device is signed out");
    assert_eq!(server.try_connect_as(Some(&device), "feed=kitchen&since=0").await.err(), Some(401));
}

#[tokio::test]
async fn a_screen_with_a_bump_bar_moves_tickets_one_step_and_does_nothing_else() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();
    let order = server.place_simple_order("Bumped").await;
    let (device_id, device) = server.pair_screen(&admin).await;
    let device_field = device_id.to_string();
    let settings = |cookie: &str| {
        let cookie = cookie.to_string();
        let server = &server;
        async move { server.call_fn(Some(&cookie), GetKitchenSettings {}).await.expect("kitchen settings").screen }
    };

    // Off by default: the screen is read-only and says nothing aloud.
    assert_eq!(settings(&device).await, app::domain::ScreenOptions::default());

    // Only an admin turns a screen's extras on.
    let fields = [("device_id", device_field.as_str()), ("announce", "on"), ("bump_bar", "on")];
    assert_eq!(server.form_as(Some(&server.staff_cookie), "set_screen_options", &fields).await.0, 403);
    assert_eq!(server.form_as(Some(&device), "set_screen_options", &fields).await.0, 403);
    let (status, body) = server.form_as(Some(&admin), "set_screen_options", &fields).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(settings(&device).await, app::domain::ScreenOptions { announce: true, bump_bar: true });
    let listed = server.call_fn(Some(&admin), ListDevices {}).await.expect("devices");
    assert!(listed[0].options.bump_bar);
    // Staff see no screen's extras as theirs.
    assert_eq!(settings(&server.staff_cookie).await, app::domain::ScreenOptions::default());

    // One step along: allowed. Cancelling, or a step it is not at: refused, and nothing changes.
    let move_to = |status: OrderStatus, version: i64| SetOrderStatus {
        order_id: order.id,
        status,
        expected_version: Some(version),
        reason: (status == OrderStatus::Cancelled).then(|| "pedal".to_string()),
    };
    let moved = server.call_fn(Some(&device), move_to(OrderStatus::Preparing, 1)).await.expect("one step along");
    assert_eq!(moved.version, 2);
    assert_eq!(server.status_of(Some(&device), move_to(OrderStatus::Cancelled, 2)).await, 403);
    assert_eq!(server.status_of(Some(&device), move_to(OrderStatus::Ready, 2)).await, 422);
    let fetched = server.call_fn(Some(&admin), ListOpenOrders {}).await.expect("open orders");
    assert_eq!(fetched.orders[0].version, 2, "refused changes wrote nothing");

    // Turned off again: read-only again. A screen that does not exist is not found.
    let off = [("device_id", device_field.as_str())];
    assert_eq!(server.form_as(Some(&admin), "set_screen_options", &off).await.0, 200);
    assert_eq!(server.status_of(Some(&device), move_to(OrderStatus::Baking, 2)).await, 403);
    let missing = [("device_id", "999999")];
    assert_eq!(server.form_as(Some(&admin), "set_screen_options", &missing).await.0, 404);
}

#[tokio::test]
async fn a_tv_pairs_itself_by_a_short_code_that_an_admin_types() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();

    // The unpaired TV asks for a code: short, with a QR code of the admin's page.
    let shown = server.call_fn(None, RequestScreenCode {}).await.expect("a screen code");
    let (user_code, poll_token) = (shown.user_code.clone(), shown.poll_token.clone());
    assert_eq!(user_code.len(), 9);
    assert!(shown.qr_svg.contains("<svg"), "a QR code");
    let poll = || async {
        server
            .http
            .post(server.url("/api/poll_screen_code"))
            .json(&json!({ "poll_token": poll_token }))
            .send()
            .await
            .unwrap()
    };
    let waiting = poll().await;
    assert_eq!(waiting.status(), 200);
    assert_eq!(waiting.text().await.unwrap(), "false", "not approved yet");

    // A wrong code, a member of staff, or no name: refused, and no screen is created.
    let wrong = [("code", "BCDF-GHJK"), ("name", "Oven wall")];
    let (status, body) = server.form_as(Some(&admin), "approve_screen_code", &wrong).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["message"].as_str().unwrap().contains("no screen is waiting with that code"), "{body}");
    let typed = user_code.to_lowercase().replace('-', "");
    assert_eq!(
        server
            .form_as(Some(&server.staff_cookie), "approve_screen_code", &[("code", &typed), ("name", "Oven wall")])
            .await
            .0,
        403
    );
    assert_eq!(server.form_as(Some(&admin), "approve_screen_code", &[("code", &typed), ("name", " ")]).await.0, 422);
    let devices = server.call_fn(Some(&admin), ListDevices {}).await.expect("devices");
    assert!(devices.is_empty(), "nothing was written");

    // The admin types it as they read it; the TV's next question signs it in, once.
    let (status, device) =
        server.form_as(Some(&admin), "approve_screen_code", &[("code", &typed), ("name", "Oven wall")]).await;
    assert_eq!(status, 200, "{device}");
    assert_eq!(device["name"], "Oven wall");
    let paired = poll().await;
    assert_eq!(paired.status(), 200);
    let cookie = paired.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    assert_eq!(paired.text().await.unwrap(), "true");
    let mut screen = server.try_connect_as(Some(&cookie), "feed=kitchen&since=0").await.unwrap();
    screen.expect_hello().await;
    assert_eq!(server.status_of(Some(&cookie), start_preparing(1)).await, 403, "a paired screen is read-only");

    // The code and the poll token work once only.
    assert_eq!(poll().await.status(), 401);
    assert_eq!(
        server.form_as(Some(&admin), "approve_screen_code", &[("code", &typed), ("name", "Again")]).await.0,
        422
    );
}

#[tokio::test]
async fn signing_out_closes_that_sessions_live_connections_only() {
    let server = spawn_app().await;
    let other = server.sign_in("pat", crate::support::STAFF_PASSWORD).await.unwrap();
    let mut mine = server.connect("feed=kitchen&since=0").await;
    mine.expect_hello().await;
    let mut theirs = server.try_connect_as(Some(&other), "feed=kitchen&since=0").await.unwrap();
    theirs.expect_hello().await;
    // Signing out with a cookie that is no current session ends nothing and announces nothing.
    for n in 0..100 {
        let (status, _) = server.form_as(Some(&format!("pizzeria_session=no-such-session-{n}")), "sign_out", &[]).await;
        assert!(status < 400, "{status}");
    }
    server.place_simple_order("after unknown sign-outs").await;
    assert_eq!(mine.expect_event().await.seq, 1);
    assert_eq!(theirs.expect_event().await.seq, 1);
    let (status, _) = server.form_as(Some(&server.staff_cookie), "sign_out", &[]).await;
    assert!(status < 400);
    mine.expect_closed_with(4401).await;
    server.place_simple_order("still live").await;
    assert_eq!(theirs.expect_event().await.seq, 2, "another session stays open");
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited_per_address() {
    let server = spawn_app_with(&[("PIZZERIA_SIGN_INS_PER_MINUTE", "3")]).await;
    // The start-up sign-in used one attempt.
    for _ in 0..2 {
        assert_eq!(server.sign_in("pat", "wrong password!").await.unwrap_err().0, 401);
    }
    let response = server
        .http
        .post(server.url("/api/sign_in"))
        .form(&[("username", "pat"), ("password", crate::support::STAFF_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
}

#[tokio::test]
async fn orders_are_rate_limited_per_address() {
    let server = spawn_app_with(&[("PIZZERIA_ORDERS_PER_MINUTE", "2")]).await;
    server.place_simple_order("one").await;
    server.place_simple_order("two").await;
    let (status, body) = server.place_order("three", json!([{ "item_id": 1, "size": "M", "quantity": 1 }])).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(server.open_orders().await.orders.len(), 2, "the refused order was not written");
}

#[tokio::test]
async fn live_connections_per_address_are_capped() {
    let server = spawn_app_with(&[("PIZZERIA_MAX_SOCKETS_PER_IP", "2")]).await;
    let first = server.connect("feed=kitchen&since=0").await;
    let _second = server.connect("feed=kitchen&since=0").await;
    assert_eq!(server.try_connect_as(Some(&server.staff_cookie), "feed=kitchen&since=0").await.err(), Some(429));
    first.close().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        server.try_connect_as(Some(&server.staff_cookie), "feed=kitchen&since=0").await.is_ok(),
        "a slot was given back"
    );
}

#[tokio::test]
async fn every_change_records_who_made_it() {
    let server = spawn_app().await;
    let order = server.place_simple_order("Audited").await;
    server.advance(&order).await;
    let actors = server.database.strings("SELECT actor FROM events ORDER BY seq", None).await;
    assert_eq!(actors, vec!["customer".to_string(), "user:1".to_string()]);
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let server = spawn_app().await;
    let page = server.http.get(server.url("/")).send().await.unwrap();
    let headers = page.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self' 'nonce-"), "{csp}");
    let api = server.http.post(server.url("/api/menu")).json(&json!({})).send().await.unwrap();
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");

    // Every page, every time: the header's nonce is the one its scripts carry, so none is
    // ever blocked.
    let placed = server.place_simple("Nonce").await;
    for _ in 0..20 {
        for path in [
            "/".to_string(),
            "/kitchen".into(),
            format!("/orders/{}", placed.token),
            "/login".into(),
            "/no-such-page".into(),
        ] {
            let page = server.http.get(server.url(&path)).header("cookie", &server.staff_cookie).send().await.unwrap();
            let csp = page
                .headers()
                .get("content-security-policy")
                .map(|value| value.to_str().unwrap().to_string())
                .unwrap_or_default();
            let nonce = csp
                .split("'nonce-")
                .nth(1)
                .and_then(|rest| rest.split('\'').next())
                .unwrap_or_else(|| panic!("{path}: {csp:?}"))
                .to_string();
            let html = page.text().await.unwrap();
            let carried: Vec<&str> = html.split("nonce=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
            assert!(
                !carried.is_empty() && carried.iter().all(|value| *value == nonce),
                "{path}: {nonce} vs {carried:?}"
            );
        }
    }
}

#[tokio::test]
async fn disabling_an_account_signs_it_out_everywhere() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();
    let sam_id = server.add_staff_account(&admin, "sam", "sam's password").await;
    let (status, body) = server
        .form_as(
            Some(&admin),
            "add_staff_account",
            &[("username", "sam"), ("password", "another password"), ("role", "staff")],
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("username")), "names are unique");
    let (status, body) = server
        .form_as(Some(&admin), "add_staff_account", &[("username", "tim"), ("password", "short"), ("role", "staff")])
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("password")));

    let sam = server.sign_in("sam", "sam's password").await.unwrap();
    let mut sams_screen = server.try_connect_as(Some(&sam), "feed=kitchen&since=0").await.unwrap();
    sams_screen.expect_hello().await;
    let (status, _) = server.form_as(Some(&admin), "disable_staff_account", &[("user_id", &sam_id.to_string())]).await;
    assert_eq!(status, 200);
    sams_screen.expect_closed_with(4401).await;
    assert_eq!(server.status_of(Some(&sam), ListOpenOrders {}).await, 401);
    assert_eq!(server.sign_in("sam", "sam's password").await.unwrap_err().0, 401, "a disabled account cannot sign in");

    let accounts = server.call_fn(Some(&admin), ListStaffAccounts {}).await.expect("staff accounts");
    assert_eq!(accounts.iter().filter(|account| account.disabled_at.is_some()).count(), 1);
    let me = accounts.iter().find(|account| account.username == "ada").expect("the admin's own account").id;
    let (status, _) = server.form_as(Some(&admin), "disable_staff_account", &[("user_id", &me.to_string())]).await;
    assert_eq!(status, 422, "admins cannot lock themselves out");
}

#[tokio::test]
async fn kitchen_screens_are_never_sent_customers_phone_numbers() {
    const PHONE: &str = "+33 6 12 34 56 78";
    let server = spawn_app().await;
    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();
    let (_, device) = server.pair_screen(&admin).await;
    let mut screen = server.try_connect_as(Some(&device), "feed=kitchen").await.unwrap();
    screen.expect_hello().await;
    let mut staff = server.connect("feed=kitchen").await;
    staff.expect_hello().await;

    let lines = json!([{ "item_id": 1, "size": "M", "quantity": 1 }]);
    let (status, placed) = server
        .call_as(
            None,
            "place_order",
            json!({ "request": { "customer_name": "Callable", "phone": PHONE, "lines": lines } }),
        )
        .await;
    assert_eq!(status, 200, "{placed}");
    let order_id = placed["order"]["id"].as_i64().unwrap();
    assert_eq!(placed["order"]["phone"], PHONE, "the customer sees their own number");

    // Live, as it happens: staff get the number, the screen gets everything else.
    let for_staff = crate::support::order_of(&staff.expect_event().await).clone();
    let on_screen = crate::support::order_of(&screen.expect_event().await).clone();
    assert_eq!(for_staff.phone.as_deref(), Some(PHONE));
    assert_eq!(on_screen, for_staff.clone().without_customer_contact());
    // Replayed after an absence, over WebSocket and over SSE.
    let mut back = server.try_connect_as(Some(&device), "feed=kitchen&since=0").await.unwrap();
    back.expect_hello().await;
    assert_eq!(crate::support::order_of(&back.expect_event().await).phone, None);
    let token = device.trim_start_matches("pizzeria_session=");
    let mut sse = server.http.get(server.url("/events?feed=kitchen&since=0")).bearer_auth(token).send().await.unwrap();
    let mut body = String::new();
    while !body.contains("event: order.created") || !body.ends_with("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(10), sse.chunk())
            .await
            .expect("SSE in time")
            .unwrap()
            .expect("more SSE");
        body.push_str(std::str::from_utf8(&chunk).unwrap());
    }
    assert!(body.contains("Callable") && !body.contains(PHONE), "{body}");

    // Snapshots: the kitchen page's server function and the REST API.
    let snapshot = server.call_fn(Some(&device), ListOpenOrders {}).await.expect("open orders");
    assert_eq!((snapshot.orders[0].customer_name.as_str(), snapshot.orders[0].phone.as_deref()), ("Callable", None));
    assert_eq!(server.open_orders().await.orders[0].phone.as_deref(), Some(PHONE));
    for path in ["/api/v1/orders".to_string(), format!("/api/v1/orders/{order_id}")] {
        let body = server.http.get(server.url(&path)).bearer_auth(token).send().await.unwrap().text().await.unwrap();
        assert!(body.contains("Callable") && !body.contains(PHONE), "{path}: {body}");
    }
    // Nor through the customer's own link, should a screen hold its token.
    let customer_token = placed["token"].as_str().unwrap();
    let by_token = || GetOrder { token: customer_token.to_string() };
    let tracked = server.call_fn(Some(&device), by_token()).await.expect("the order");
    assert_eq!((tracked.orders[0].customer_name.as_str(), tracked.orders[0].phone.as_deref()), ("Callable", None));
    let tracked = server.call_fn(None, by_token()).await.expect("the order");
    assert_eq!(tracked.orders[0].phone.as_deref(), Some(PHONE), "the customer still sees it");
}

/// Connections opened while their token is being revoked, over WebSocket and SSE, many times
/// over: whatever the timing, none that opened outlives the revocation.
#[tokio::test]
async fn no_connection_opened_around_a_revocation_outlives_it() {
    let server =
        spawn_app_with(&[("PIZZERIA_SIGN_INS_PER_MINUTE", "10000"), ("PIZZERIA_MAX_SOCKETS_PER_IP", "10000")]).await;
    const ROUNDS: u64 = 12;
    const CONNECTIONS: usize = 24;
    let (mut sockets, mut streams) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let cookie = server.sign_in("pat", crate::support::STAFF_PASSWORD).await.unwrap();
        let connects = (0..CONNECTIONS).map(|n| {
            let cookie = cookie.clone();
            let server = &server;
            async move {
                // Spread over the revocation's moment: some before, some during, some after.
                tokio::time::sleep(Duration::from_millis((n as u64 * 2) % 25)).await;
                if n % 2 == 0 {
                    (server.try_connect_as(Some(&cookie), "feed=kitchen").await.ok(), None)
                } else {
                    let response = server
                        .http
                        .get(server.url("/events?feed=kitchen"))
                        .header("cookie", &cookie)
                        .send()
                        .await
                        .unwrap();
                    (None, (response.status() == 200).then_some(response))
                }
            }
        });
        let revoke = async {
            tokio::time::sleep(Duration::from_millis(2 + round)).await;
            let (status, _) = server.form_as(Some(&cookie), "sign_out", &[]).await;
            assert!(status < 400, "{status}");
        };
        let (opened, ()) = futures::join!(futures::future::join_all(connects), revoke);
        for (socket, stream) in opened {
            sockets.extend(socket);
            streams.extend(stream);
        }
    }
    assert!(!sockets.is_empty() && !streams.is_empty(), "some connections opened before their revocation");
    // Each one that opened is closed, as signed out; an SSE stream ends.
    futures::future::join_all(sockets.iter_mut().map(|socket| socket.expect_closed_with(4401))).await;
    futures::future::join_all(streams.iter_mut().map(|stream| async move {
        let ended = tokio::time::timeout(crate::support::WAIT, async {
            while let Some(chunk) = stream.chunk().await.ok().flatten() {
                assert!(!String::from_utf8_lossy(&chunk).contains("order.created"), "a revoked stream got an order");
            }
        })
        .await;
        assert!(ended.is_ok(), "an SSE stream outlived its revocation");
    }))
    .await;
}

/// Another site's page cannot open the live channel with our cookie (a sibling subdomain would
/// otherwise read every order); our own pages can, and a bearer token is not a cookie.
#[tokio::test]
async fn live_channels_opened_with_a_cookie_must_come_from_this_site() {
    let server = spawn_app().await;
    let cookie = ("cookie", server.staff_cookie.clone());
    let evil = ("origin", "http://evil.example".to_string());
    assert_eq!(server.try_connect_with(&[cookie.clone(), evil.clone()], "feed=kitchen").await.err(), Some(403));
    let own = ("origin", server.base.clone());
    let mut live = server.try_connect_with(&[cookie.clone(), own], "feed=kitchen").await.expect("our own page");
    live.expect_hello().await;
    let sse = server
        .http
        .get(server.url("/events?feed=kitchen"))
        .header("cookie", &server.staff_cookie)
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(sse.status(), 403);

    server.create_user("admin", "ada", "admin password 123").await;
    let admin = server.sign_in("ada", "admin password 123").await.unwrap();
    let (_, device) = server.pair_screen(&admin).await;
    let bearer = ("authorization", format!("Bearer {}", device.trim_start_matches("pizzeria_session=")));
    let mut screen =
        server.try_connect_with(&[bearer, evil], "feed=kitchen").await.expect("a bearer token from anywhere");
    screen.expect_hello().await;
}

/// Behind the reverse proxy an operator named, limits count each client it forwards for, not
/// the proxy; with no proxy named, a client's own `X-Forwarded-For` is not believed.
#[tokio::test]
async fn behind_a_trusted_proxy_limits_count_each_client_not_the_proxy() {
    async fn attempt(server: &TestServer, client: &str) -> u16 {
        let response = server
            .http
            .post(server.url("/api/sign_in"))
            .header("x-forwarded-for", client)
            .form(&[("username", "pat"), ("password", "wrong password!")])
            .send()
            .await
            .unwrap();
        response.status().as_u16()
    }
    let proxied =
        spawn_app_with(&[("PIZZERIA_TRUSTED_PROXIES", "127.0.0.1,::1"), ("PIZZERIA_SIGN_INS_PER_MINUTE", "3")]).await;
    for _ in 0..3 {
        assert_eq!(attempt(&proxied, "203.0.113.1").await, 401);
    }
    assert_eq!(attempt(&proxied, "203.0.113.1").await, 429, "that client is slowed down");
    assert_eq!(attempt(&proxied, "203.0.113.2").await, 401, "another client behind the same proxy is not");
    assert_eq!(attempt(&proxied, "6.6.6.6, 203.0.113.1").await, 429, "what a client writes itself is not believed");

    // The screens list shows the client's address, not the proxy's.
    proxied.create_user("admin", "ada", "admin password 123").await;
    let admin = proxied.sign_in("ada", "admin password 123").await.unwrap();
    let mut wall = proxied
        .try_connect_with(
            &[("cookie", proxied.staff_cookie.clone()), ("x-forwarded-for", "198.51.100.7".into())],
            "feed=kitchen",
        )
        .await
        .unwrap();
    wall.expect_hello().await;
    let screens = proxied.call_fn(Some(&admin), ListConnectedScreens {}).await.expect("connected screens");
    assert_eq!(screens[0].address, "198.51.100.7", "{screens:?}");

    let direct = spawn_app_with(&[("PIZZERIA_SIGN_INS_PER_MINUTE", "3")]).await;
    // The start-up sign-in used one attempt of this address.
    for client in ["203.0.113.1", "203.0.113.2"] {
        assert_eq!(attempt(&direct, client).await, 401);
    }
    assert_eq!(attempt(&direct, "203.0.113.3").await, 429, "without a trusted proxy, every request is its TCP peer's");
}

/// Moving an order to preparing, whoever asks.
fn start_preparing(order_id: i64) -> SetOrderStatus {
    SetOrderStatus { order_id, status: OrderStatus::Preparing, expected_version: None, reason: None }
}

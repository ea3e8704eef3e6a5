//! Ordering without JavaScript (the plain `/order-now` form) and the English/French pages, as
//! a browser with scripts off would see them: plain form posts, redirects, cookies.

use crate::support::{spawn_app, spawn_app_with, TestServer};
use serde_json::Value;

/// A browser without JavaScript: no automatic redirects, so each hop can be checked.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(crate::support::WAIT)
        .build()
        .unwrap()
}

async fn post_form(server: &TestServer, fields: &[(&str, &str)], cookie: Option<&str>) -> reqwest::Response {
    let fields: Vec<(String, &str)> = fields.iter().map(|(name, value)| (format!("form[{name}]"), *value)).collect();
    let mut request = browser()
        .post(server.url("/api/order_form"))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", server.url("/order-now"))
        .form(&fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").expect("a redirect").to_str().unwrap().to_string()
}

#[tokio::test]
async fn the_plain_form_places_an_order_once_and_goes_to_its_page() {
    let server = spawn_app().await;
    let page = browser().get(server.url("/order-now")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"name="form[qty_1_M]""#), "a quantity field per item and size");
    assert!(html.contains(r#"name="form[idempotency_key]""#), "the form carries its own idempotency key");

    let fields = [
        ("customer_name", "Ada"),
        ("qty_1_M", "2"),
        ("qty_7_M", "1"),
        ("pickup", "asap"),
        ("notes", "no rush"),
        ("idempotency_key", "plain-form-0001"),
    ];
    let placed = post_form(&server, &fields, None).await;
    assert_eq!(placed.status(), 302);
    let order_page = location(&placed);
    assert!(order_page.starts_with("/orders/"), "{order_page}");
    let open = server.open_orders().await;
    assert_eq!(open.orders.len(), 1);
    let order = &open.orders[0];
    assert_eq!((order.customer_name.as_str(), order.pizza_count(), order.notes.as_str()), ("Ada", 3, "no rush"));

    // Sent twice (a double click, the back button): the same order.
    let again = post_form(&server, &fields, None).await;
    assert_eq!(location(&again), order_page);
    assert_eq!(server.open_orders().await.orders.len(), 1);

    // The order page renders on the server, readable without scripts.
    let html = browser().get(server.url(&order_page)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Ada") && html.contains("Received"), "{html}");
}

#[tokio::test]
async fn a_refused_form_comes_back_with_the_reason_and_what_was_typed() {
    let server = spawn_app().await;
    let refused = post_form(
        &server,
        &[("customer_name", " "), ("qty_1_M", "2"), ("phone", "0612345678"), ("idempotency_key", "plain-form-0002")],
        None,
    )
    .await;
    assert_eq!(refused.status(), 302);
    let back = location(&refused);
    assert!(back.starts_with("/order-now?"), "{back}");
    assert!(back.contains("field=customer_name"), "{back}");

    let page = browser().get(server.url(&back)).send().await.unwrap();
    assert_eq!(page.status(), 422, "the page says it is a refusal");
    let html = page.text().await.unwrap();
    assert!(html.contains("please tell us your name"), "the reason is shown");
    assert!(html.contains(r#"data-field="customer_name""#));
    assert!(html.contains(r#"value="0612345678""#), "what was typed is kept");
    assert!(html.contains(r#"value="plain-form-0002""#), "and so is the key");

    let not_a_number = post_form(&server, &[("customer_name", "Ada"), ("qty_1_M", "two")], None).await;
    assert!(location(&not_a_number).contains("field=qty_1_M"));
    assert!(server.open_orders().await.orders.is_empty(), "nothing was written");

    // In French, the reason is in French too.
    let french = post_form(&server, &[("customer_name", ""), ("qty_1_M", "1")], Some("pizzeria_lang=fr")).await;
    let html = browser()
        .get(server.url(&location(&french)))
        .header("cookie", "pizzeria_lang=fr")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("indiquez votre nom"), "{html}");
}

#[tokio::test]
async fn pages_speak_the_browsers_language_until_one_is_chosen() {
    let server = spawn_app().await;
    let get = |path: &str, headers: &[(&str, &str)]| {
        let mut request = browser().get(server.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    let english = get("/", &[]).await.unwrap().text().await.unwrap();
    assert!(english.contains(r#"<html lang="en""#));
    let french = get("/", &[("accept-language", "fr-FR,fr;q=0.9,en;q=0.5")]).await.unwrap().text().await.unwrap();
    assert!(french.contains(r#"<html lang="fr""#));
    assert!(french.contains("Boissons"), "the menu's headings are in French");
    assert!(french.contains(r#"hreflang="en""#), "a link back to English");

    // Choosing a language remembers it, and goes back where the person was.
    let chosen = get("/lang/fr?next=%2Fkitchen%3Fx%3D1", &[]).await.unwrap();
    assert_eq!(chosen.status(), 303);
    assert_eq!(location(&chosen), "/kitchen?x=1");
    let cookie = chosen.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("pizzeria_lang=fr;") && cookie.contains("Path=/") && cookie.contains("Max-Age="),
        "{cookie}"
    );
    let page =
        get("/", &[("cookie", "pizzeria_lang=fr"), ("accept-language", "en")]).await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<html lang="fr""#), "the choice wins over the browser's");

    assert_eq!(location(&get("/lang/en?next=//evil.example", &[]).await.unwrap()), "/", "never off the site");
    let unknown = get("/lang/de", &[]).await.unwrap();
    assert_eq!(unknown.status(), 400);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"], "request");
}

/// One order limit, whichever way the order comes: the menu's checkout and the plain form
/// count together, and a refused order writes nothing.
#[tokio::test]
async fn the_plain_form_and_the_checkout_share_one_order_limit() {
    let server = spawn_app_with(&[("PIZZERIA_ORDERS_PER_MINUTE", "2")]).await;
    let lines = serde_json::json!([{ "item_id": 1, "size": "M", "quantity": 1 }]);
    let (status, body) = server
        .call_as(None, "place_order", serde_json::json!({ "request": { "customer_name": "Ada", "lines": lines } }))
        .await;
    assert_eq!(status, 200, "{body}");
    let form = [("customer_name", "Bo"), ("qty_1_M", "1"), ("pickup", "asap")];
    let placed = post_form(&server, &form, None).await;
    assert!(location(&placed).starts_with("/orders/"), "{}", location(&placed));

    let refused = post_form(&server, &form, None).await;
    assert!(location(&refused).starts_with("/order-now?"), "the form comes back refused: {}", location(&refused));
    let response = server
        .http
        .post(server.url("/api/place_order"))
        .json(&serde_json::json!({ "request": { "customer_name": "Cy", "lines": lines } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().contains_key("retry-after"), "says when to come back");
    assert_eq!(response.json::<Value>().await.unwrap()["error"], "too_many_requests");
    assert_eq!(server.open_orders().await.orders.len(), 2, "the refused orders were not written");
}

/// What a link puts into a page stays text: a note that closes the form's textarea does not
/// become markup.
#[tokio::test]
async fn a_link_cannot_write_markup_into_the_order_form() {
    let server = spawn_app().await;
    let attack = "</textarea><h1>Free pizza</h1><meta http-equiv=refresh content=0;url=//evil.example>";
    let page = browser().get(server.url("/order-now")).query(&[("notes", attack)]).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        !html.contains("<h1>Free pizza</h1>") && !html.contains("<meta http-equiv=refresh"),
        "the note became markup"
    );
    assert!(html.contains("&lt;/textarea&gt;&lt;h1&gt;Free pizza&lt;/h1&gt;"), "the note is kept, as text");
}

/// Every redirect stays on this site, whatever `next` holds, and none fails to be made.
#[tokio::test]
async fn redirects_never_leave_the_site_nor_fail() {
    let server = spawn_app().await;
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "//evil.example",
        "/\r",
        "/\x01",
        "/\x7f",
        "https://evil.example",
    ] {
        let response = browser().get(server.url("/lang/fr")).query(&[("next", next)]).send().await.unwrap();
        assert_eq!((response.status().as_u16(), location(&response)), (303, "/".to_string()), "{next:?}");
        let response = browser()
            .post(server.url("/api/sign_in"))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", server.url("/login"))
            .form(&[("username", "pat"), ("password", crate::support::STAFF_PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{next:?}: {}", response.status());
        assert_eq!(location(&response), "/staff", "{next:?}");
        assert!(
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .any(|cookie| cookie.to_str().unwrap().starts_with("pizzeria_session=")),
            "{next:?}"
        );
    }
}

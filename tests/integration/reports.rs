//! The owner's report (`/admin/reports`) and its CSV export: what they count, and who may see
//! them.

use crate::support::{spawn_app, STAFF_PASSWORD};
use app::api::{ChangeOrderStatus, GetReport};
use app::domain::{OrderStatus, StatusChange};

#[tokio::test]
async fn the_report_counts_todays_orders_times_each_stage_and_ranks_what_sold() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", STAFF_PASSWORD).await;
    let admin = server.sign_in("ada", STAFF_PASSWORD).await.unwrap();

    let mut collected = server.place_simple_order("Collected").await;
    while collected.status != OrderStatus::Collected {
        collected = server.advance(&collected).await;
    }
    let cancelled = server.place_simple_order("Cancelled").await;
    let change = StatusChange::Cancel { reason: "Oven down".into() };
    server.staff_call(ChangeOrderStatus { order_id: cancelled.id, change, expected_version: None }).await;
    let open = server.place_simple_order("Open").await;

    let report = server.call_fn(Some(&admin), GetReport {}).await.expect("an admin's report");
    for (period, totals) in [("today", &report.today), ("week", &report.week)] {
        assert_eq!((totals.orders, totals.cancelled), (3, 1), "{period}");
        assert_eq!(totals.revenue, collected.total + open.total, "{period}: a cancelled order takes nothing");
        assert_eq!(totals.finished, 1, "{period}: only the collected order was ever ready");
    }
    assert_eq!(report.today_per_hour.iter().sum::<u32>(), 3, "each order in the hour it was placed");
    let timed: Vec<(OrderStatus, u32)> = report.stages.iter().map(|stage| (stage.stage, stage.orders)).collect();
    assert_eq!(
        timed,
        [(OrderStatus::Received, 2), (OrderStatus::Preparing, 1), (OrderStatus::Baking, 1), (OrderStatus::Ready, 1)],
        "every stage an order left is timed, the cancelled order's wait included"
    );
    let sold: u32 = report.best_sellers.iter().map(|item| item.quantity).sum();
    assert_eq!(sold, 2, "the cancelled order's pizza is not a sale: {:?}", report.best_sellers);

    assert_eq!(server.status_of(None, GetReport {}).await, 401);
    assert_eq!(server.status_of(Some(&server.staff_cookie), GetReport {}).await, 403, "staff are not owners");
}

#[tokio::test]
async fn the_csv_export_holds_every_order_and_no_customer_text_is_a_formula() {
    let server = spawn_app().await;
    server.create_user("admin", "ada", STAFF_PASSWORD).await;
    let admin = server.sign_in("ada", STAFF_PASSWORD).await.unwrap();
    let first = server.place_simple_order("=HYPERLINK(\"http://evil.example\",\"x\")").await;
    let second = server.place_simple_order("Zoë, \"the\" regular").await;

    let get = |cookie: Option<&str>| {
        let mut request = server.http.get(server.url(app::domain::reports::ORDERS_CSV_PATH));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie.to_string());
        }
        request.send()
    };
    let response = get(Some(&admin)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let body = response.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.strip_prefix(b"\xEF\xBB\xBF".as_slice()).expect("a UTF-8 mark"));
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    let ids: Vec<&str> = rows.iter().map(|row| &row[0]).collect();
    assert_eq!(ids, [first.id.to_string(), second.id.to_string()]);
    assert_eq!(&rows[0][4], "'=HYPERLINK(\"http://evil.example\",\"x\")", "quoted, so a spreadsheet shows it as text");
    assert_eq!(&rows[1][4], "Zoë, \"the\" regular");
    assert_eq!(&rows[1][6], format!("{}", second.total.plain()));

    assert_eq!(get(None).await.unwrap().status(), 401);
    let refused = get(Some(&server.staff_cookie)).await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
}

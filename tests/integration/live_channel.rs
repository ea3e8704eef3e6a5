//! The live channel's promises: replay on reconnect without gaps or duplicates, over WebSocket
//! and SSE; resync when too far behind; survival of a server restart; slow clients isolated.

use crate::support::{order_of, spawn_app, spawn_app_with, LiveClient, TestServer, WAIT};
use app::api::ListConnectedScreens;
use app::domain::{OrderBoard, ResyncReason, ServerMessage};
use futures::StreamExt;
use std::time::Duration;

#[tokio::test]
async fn a_reconnecting_websocket_gets_exactly_what_it_missed_then_live_events() {
    let server = spawn_app().await;
    let mut kitchen = server.connect("feed=kitchen&since=0").await;
    kitchen.expect_hello().await;
    server.place_simple_order("before").await;
    let last_seq = kitchen.expect_event().await.seq;
    kitchen.close().await;

    let mut missed = Vec::new();
    for n in 0..50 {
        missed.push(server.place_simple_order(&format!("while away {n}")).await);
    }

    let mut kitchen = server.connect(&format!("feed=kitchen&since={last_seq}")).await;
    kitchen.expect_hello().await;
    let replayed = kitchen.expect_events(50).await;
    let seqs: Vec<i64> = replayed.iter().map(|event| event.seq).collect();
    assert_eq!(seqs, ((last_seq + 1)..=(last_seq + 50)).collect::<Vec<_>>(), "in order, no gap, no duplicate");
    let ids: Vec<i64> = replayed.iter().map(|event| order_of(event).id).collect();
    assert_eq!(ids, missed.iter().map(|order| order.id).collect::<Vec<_>>());

    // The seam: the next live event follows directly, nothing replayed comes again.
    server.place_simple_order("after").await;
    assert_eq!(kitchen.expect_event().await.seq, last_seq + 51);
    kitchen.expect_silence(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn events_committed_while_connecting_are_neither_lost_nor_doubled() {
    let server = spawn_app().await;
    // Orders keep arriving while screens connect and replay.
    let writer = {
        let base = server.base.clone();
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            for n in 0..60 {
                let body = serde_json::json!({ "request": { "customer_name": format!("rush {n}"), "lines": [{ "item_id": 2, "size": "L", "quantity": 1 }] } });
                let response = http.post(format!("{base}/api/place_order")).json(&body).send().await.unwrap();
                assert_eq!(response.status(), 200);
            }
        })
    };
    let mut screens = Vec::new();
    for since in [0, 0, 0] {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let mut screen = server.connect(&format!("feed=kitchen&since={since}")).await;
        screen.expect_hello().await;
        screens.push(screen);
    }
    writer.await.unwrap();
    for mut screen in screens {
        let seqs: Vec<i64> = screen.expect_events(60).await.iter().map(|event| event.seq).collect();
        assert_eq!(seqs, (1..=60).collect::<Vec<_>>());
        screen.expect_silence(Duration::from_millis(200)).await;
    }
}

/// Reads an SSE response into (id, event, data) triples until `count` events with an id.
async fn read_sse_events(response: reqwest::Response, count: usize) -> Vec<(i64, String, String)> {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut events = Vec::new();
    while events.len() < count {
        let chunk =
            tokio::time::timeout(WAIT, stream.next()).await.expect("SSE data in time").expect("stream open").unwrap();
        buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let (mut id, mut name, mut data) = (None, String::new(), String::new());
            for line in block.lines() {
                if let Some(value) = line.strip_prefix("id: ").or_else(|| line.strip_prefix("id:")) {
                    id = value.trim().parse().ok();
                } else if let Some(value) = line.strip_prefix("event: ") {
                    name = value.to_string();
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data.push_str(value);
                }
            }
            if let Some(id) = id {
                events.push((id, name, data));
            }
        }
    }
    events
}

#[tokio::test]
async fn sse_resumes_from_last_event_id() {
    let server = spawn_app().await;
    server.place_simple_order("first").await;
    let mut missed = Vec::new();
    for n in 0..50 {
        missed.push(server.place_simple_order(&format!("missed {n}")).await);
    }
    let response = server.staff_get("/events?feed=kitchen").header("Last-Event-ID", "1").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let events = read_sse_events(response, 50).await;
    let ids: Vec<i64> = events.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids, (2..=51).collect::<Vec<_>>());
    for ((id, name, data), order) in events.iter().zip(&missed) {
        assert_eq!(name, "order.created");
        let ServerMessage::Event(event) = serde_json::from_str(data).unwrap() else { panic!("not an event") };
        assert_eq!(event.seq, *id);
        assert_eq!(order_of(&event), order);
    }
}

#[tokio::test]
async fn a_client_too_far_behind_or_from_elsewhere_is_told_to_resync() {
    let server = spawn_app_with(&[("PIZZERIA_REPLAY_LIMIT", "10")]).await;
    for n in 0..15 {
        server.place_simple_order(&format!("order {n}")).await;
    }
    let mut behind = server.connect("feed=kitchen&since=0").await;
    behind.expect_hello().await;
    assert_eq!(behind.next_non_heartbeat().await, Some(ServerMessage::Resync { reason: ResyncReason::TooFarBehind }));

    let mut future = server.connect("feed=kitchen&since=999").await;
    future.expect_hello().await;
    assert_eq!(future.next_non_heartbeat().await, Some(ServerMessage::Resync { reason: ResyncReason::UnknownSeq }));

    // What a client does next: take a snapshot and resume from its seq.
    let snapshot = server.open_orders().await;
    assert_eq!(snapshot.orders.len(), 15);
    let mut resumed = server.connect(&format!("feed=kitchen&since={}", snapshot.seq)).await;
    resumed.expect_hello().await;
    server.place_simple_order("after resync").await;
    assert_eq!(resumed.expect_event().await.seq, snapshot.seq + 1);
}

#[tokio::test]
async fn idle_connections_get_heartbeats() {
    let server = spawn_app_with(&[("PIZZERIA_HEARTBEAT_SECS", "1")]).await;
    let mut kitchen = server.connect("feed=kitchen&since=0").await;
    match kitchen.next_message().await {
        Some(ServerMessage::Hello { heartbeat_ms, build_id, .. }) => {
            assert_eq!(heartbeat_ms, 1000);
            assert_eq!(build_id, "test-build");
        }
        other => panic!("expected hello, got {other:?}"),
    }
    for _ in 0..2 {
        assert_eq!(kitchen.next_message().await, Some(ServerMessage::Heartbeat { head: 0 }));
    }
}

/// A screen as the browser runs it: resume from the last seq, reconnect when the link drops,
/// reload a snapshot when told to.
struct ResumingScreen {
    board: OrderBoard,
    last_seq: i64,
    seen: Vec<i64>,
}

impl ResumingScreen {
    async fn connect(&self, server: &TestServer) -> LiveClient {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            use tokio_tungstenite::tungstenite::client::IntoClientRequest;
            let mut request =
                server.ws_url(&format!("feed=kitchen&since={}", self.last_seq)).into_client_request().unwrap();
            request.headers_mut().insert("cookie", server.staff_cookie.parse().unwrap());
            if let Ok((socket, _)) = tokio_tungstenite::connect_async(request).await {
                return LiveClient { socket };
            }
            assert!(tokio::time::Instant::now() < deadline, "server did not come back");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Applies messages until the connection drops or `until_seq` is reached.
    async fn follow(&mut self, client: &mut LiveClient, until_seq: Option<i64>) {
        while until_seq.is_none_or(|seq| self.last_seq < seq) {
            match client.next_message().await {
                Some(ServerMessage::Event(event)) => {
                    assert!(event.seq > self.last_seq, "duplicate or out-of-order seq {}", event.seq);
                    self.last_seq = event.seq;
                    self.seen.push(event.seq);
                    self.board.apply(order_of(&event).clone());
                }
                Some(ServerMessage::Resync { reason }) => panic!("unexpected resync: {reason:?}"),
                Some(_) => {}
                None => return,
            }
        }
    }
}

#[tokio::test]
async fn screens_survive_a_server_crash_and_end_with_the_database_state() {
    let mut server = TestServer::start_process(&[]).await;
    let mut orders = Vec::new();
    for n in 0..3 {
        orders.push(server.place_simple_order(&format!("before crash {n}")).await);
    }
    let mut screen = ResumingScreen { board: OrderBoard::default(), last_seq: 0, seen: vec![] };
    let mut client = screen.connect(&server).await;
    screen.follow(&mut client, Some(3)).await;

    server.restart().await; // SIGKILL, then start again on the same database and port
    screen.follow(&mut client, None).await; // the old link ends

    for order in &orders[..2] {
        server.advance(order).await;
    }
    for n in 0..5 {
        server.place_simple_order(&format!("after crash {n}")).await;
    }
    let mut client = screen.connect(&server).await;
    let head = server.open_orders().await.seq;
    screen.follow(&mut client, Some(head)).await;

    let database = OrderBoard::from_orders(server.open_orders().await.orders);
    let mut open = screen.board.open();
    open.sort_by_key(|order| order.id);
    let mut expected = database.open();
    expected.sort_by_key(|order| order.id);
    assert_eq!(open, expected);
    assert_eq!(screen.seen, (1..=head).collect::<Vec<_>>(), "every event exactly once");
}

#[tokio::test]
async fn a_graceful_shutdown_tells_screens_to_come_back() {
    let server = TestServer::start_process(&[]).await;
    let mut kitchen = server.connect("feed=kitchen&since=0").await;
    kitchen.expect_hello().await;
    let status = std::process::Command::new("kill").arg("-TERM").arg(server.pid().to_string()).status().unwrap();
    assert!(status.success());
    let frame = tokio::time::timeout(WAIT, async {
        loop {
            match kitchen.socket.next().await {
                Some(Ok(tokio_tungstenite::tungstenite::Message::Close(frame))) => return frame,
                Some(Ok(_)) => continue,
                other => panic!("expected a close frame, got {other:?}"),
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(u16::from(frame.expect("close frame").code), 1012, "service restart");
}

#[tokio::test]
async fn a_slow_client_is_resynced_without_slowing_the_others() {
    let server =
        TestServer::start_process(&[("PIZZERIA_CLIENT_QUEUE", "64"), ("PIZZERIA_SEND_TIMEOUT_SECS", "30")]).await;
    // A client with a tiny receive window that stops reading after its hello.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(server.addr).await.unwrap();
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        server.ws_url("feed=kitchen&since=0"),
    )
    .unwrap();
    request.headers_mut().insert("cookie", server.staff_cookie.parse().unwrap());
    let (slow, _) =
        tokio_tungstenite::client_async(request, tokio_tungstenite::MaybeTlsStream::Plain(stream)).await.unwrap();
    let mut fast = server.connect("feed=kitchen&since=0").await;
    fast.expect_hello().await;
    let rss_before = resident_kib(server.pid());

    // Big orders (30 lines each) so the slow client's socket fills up quickly.
    let lines: Vec<_> =
        (0..30).map(|n| serde_json::json!({ "item_id": 1 + (n % 6), "size": "S", "quantity": 1 })).collect();
    let total = 300;
    let writer = {
        let base = server.base.clone();
        let lines = serde_json::Value::Array(lines);
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            for n in 0..total {
                let body = serde_json::json!({ "request": { "customer_name": format!("big {n}"), "lines": lines } });
                assert_eq!(
                    http.post(format!("{base}/api/place_order")).json(&body).send().await.unwrap().status(),
                    200
                );
            }
        })
    };
    let fast_seqs: Vec<i64> = fast.expect_events(total).await.iter().map(|event| event.seq).collect();
    writer.await.unwrap();
    assert_eq!(fast_seqs, (1..=total as i64).collect::<Vec<_>>(), "the fast client missed nothing");

    // Now the slow client reads what was queued for it: a prefix of events, then a resync.
    let mut slow = LiveClient { socket: slow };
    let mut slow_events = 0;
    let ended_with = tokio::time::timeout(WAIT, async {
        loop {
            match slow.next_message().await {
                Some(ServerMessage::Event(_)) => slow_events += 1,
                Some(ServerMessage::Hello { .. } | ServerMessage::Heartbeat { .. }) => {}
                other => break other,
            }
        }
    })
    .await
    .expect("the slow client was told something other than more events");
    assert_eq!(ended_with, Some(ServerMessage::Resync { reason: ResyncReason::Lagged }));
    assert!(slow_events < total, "the slow client could not have kept up");
    let rss_after = resident_kib(server.pid());
    assert!(rss_after < rss_before + 64 * 1024, "memory stayed bounded: {rss_before} KiB -> {rss_after} KiB");
}

fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

#[tokio::test]
async fn metrics_count_connections_events_deliveries_and_orders() {
    // Its own process: the counters are the process's, and other tests' servers would add to them.
    let server = TestServer::start_process(&[]).await;
    let mut kitchen = server.connect("feed=kitchen").await;
    kitchen.expect_hello().await;
    let placed = server.place_simple("Ada").await;
    let order = placed.order;
    kitchen.expect_event().await;
    server.advance(&order).await;
    kitchen.expect_event().await;
    assert_eq!(server.http.get(server.url(&format!("/orders/{}", placed.token))).send().await.unwrap().status(), 200);

    let response = server.http.get(server.url("/metrics")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    let value = |prefix: &str| -> f64 {
        text.lines()
            .find(|line| line.starts_with(prefix))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no {prefix} in\n{text}"))
    };
    assert_eq!(value(r#"pizzeria_connections{transport="websocket",feed="kitchen"}"#), 1.0);
    assert!(value("pizzeria_events_published_total") >= 2.0);
    assert!(value(r#"pizzeria_events_delivered_total{transport="websocket"}"#) >= 2.0);
    assert!(value(r#"pizzeria_event_delivery_seconds_count{transport="websocket"}"#) >= 2.0);
    assert!(value("pizzeria_client_lag_events_count") >= 2.0);
    assert_eq!(value(r#"pizzeria_orders{location="1",status="preparing"}"#), 1.0);
    assert_eq!(value(r#"pizzeria_orders{location="1",status="received"}"#), 0.0);
    assert!(value("pizzeria_orders_per_commit_count") >= 1.0, "order commits are counted");
    assert!(
        text.contains(r#"pizzeria_http_request_duration_seconds_count{method="POST""#),
        "HTTP requests are timed by route: {text}"
    );
    assert!(!text.contains(&placed.token), "routes are labelled by their pattern: tokens never show");

    // A connection that ends is no longer counted.
    kitchen.close().await;
    let gone = async {
        loop {
            let text = server.http.get(server.url("/metrics")).send().await.unwrap().text().await.unwrap();
            if text.contains(r#"pizzeria_connections{transport="websocket",feed="kitchen"} 0"#) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    };
    tokio::time::timeout(crate::support::WAIT, gone).await.expect("the gauge goes back to 0");
}

#[tokio::test]
async fn admins_see_each_kitchen_screen_and_how_far_behind_its_last_acknowledgement_is() {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    server_with_admin_sees_acks().await;

    async fn server_with_admin_sees_acks() {
        let server = spawn_app().await;
        server.create_user("admin", "ada", "admin password 123").await;
        let admin = server.sign_in("ada", "admin password 123").await.unwrap();
        let screens = || async { server.call_fn(Some(&admin), ListConnectedScreens {}).await.expect("the screens") };
        assert!(screens().await.is_empty());

        let mut wall = server.connect("feed=kitchen").await;
        wall.expect_hello().await;
        // A customer's order page is not a screen.
        let placed = server.place_simple("Ada").await;
        let mut customer = server.try_connect_as(None, &format!("feed=order&token={}", placed.token)).await.unwrap();
        customer.expect_hello().await;
        let event = wall.expect_event().await;

        let listed = screens().await;
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!((listed[0].name.as_str(), listed[0].kind.as_str()), ("pat", "user"));
        assert_eq!(listed[0].address, "127.0.0.1");
        assert_eq!(listed[0].acked_seq, None);

        wall.socket.send(Message::Text(format!(r#"{{"type":"ack","seq":{}}}"#, event.seq).into())).await.unwrap();
        let acked = async {
            loop {
                let listed = screens().await;
                if listed[0].acked_seq == Some(event.seq) {
                    return listed;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        let listed = tokio::time::timeout(WAIT, acked).await.expect("the acknowledgement arrives");
        assert_eq!(listed[0].behind, 0);

        // Two more events it has not acknowledged: it is two behind.
        server.advance(&placed.order).await;
        server.place_simple_order("Bob").await;
        wall.expect_events(2).await;
        let behind = async {
            loop {
                let listed = screens().await;
                if listed[0].behind == 2 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(WAIT, behind).await.expect("it shows as two behind");

        // Acknowledgements out of any range are a client's mistake: the list still answers.
        for seq in [i64::MIN, -1, i64::MAX] {
            wall.socket.send(Message::Text(format!(r#"{{"type":"ack","seq":{seq}}}"#).into())).await.unwrap();
            let listed = screens().await;
            assert!((0..=2).contains(&listed[0].behind), "{listed:?}");
        }
        let response = server.http.get(server.url("/admin/devices")).header("cookie", &admin).send().await.unwrap();
        assert_eq!(response.status(), 200);

        let staff_sees = server.status_of(Some(&server.staff_cookie), ListConnectedScreens {}).await;
        assert_eq!(staff_sees, 403, "staff do not see the screens list");
        wall.close().await;
        let gone = async {
            while !screens().await.is_empty() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(WAIT, gone).await.expect("a closed connection leaves the list");
    }
}

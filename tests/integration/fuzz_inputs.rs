//! Property tests on everything that crosses the network: server function payloads, API
//! bodies, live-channel queries and WebSocket client messages. Whatever arrives, the server
//! answers with a clear 4xx (or 200 when it happens to be valid), never panics or fails with a
//! 5xx, and writes nothing for a refusal.

use crate::support::{spawn_app, TestServer};
use futures::SinkExt;
use proptest::prelude::*;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,40}".prop_map(Value::String),
        prop_oneof![
            Just("S"),
            Just("M"),
            Just("L"),
            Just("received"),
            Just("ready"),
            Just("cancelled"),
            Just("undo"),
            Just("recall"),
            Just("cancel")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("request".to_string()),
                    Just("customer_name".to_string()),
                    Just("lines".to_string()),
                    Just("item_id".to_string()),
                    Just("size".to_string()),
                    Just("quantity".to_string()),
                    Just("order_id".to_string()),
                    Just("status".to_string()),
                    Just("expected_version".to_string()),
                    Just("token".to_string()),
                    Just("change".to_string()),
                    Just("action".to_string()),
                    Just("reason".to_string()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

const FUNCTIONS: [&str; 7] =
    ["place_order", "set_order_status", "change_order_status", "order", "open_orders", "menu", "sign_in"];

struct Harness {
    runtime: tokio::runtime::Runtime,
    server: TestServer,
}

impl Harness {
    fn new() -> Harness {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(spawn_app());
        Harness { runtime, server }
    }

    fn head(&self) -> i64 {
        self.runtime.block_on(self.server.open_orders()).seq
    }

    fn healthy(&self) -> bool {
        self.runtime.block_on(async {
            let response = self.server.http.get(self.server.url("/healthz")).send().await;
            response.is_ok_and(|response| response.status() == 200)
        })
    }
}

fn check_status(status: u16, head_before: i64, head_after: i64, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(status < 500, "{what}: a server error ({status})");
    if status != 200 {
        prop_assert_eq!(head_before, head_after, "{}: a refusal wrote something", what);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_json_body_gets_a_clear_answer_and_refusals_write_nothing(
        body in json_value(),
        function in prop::sample::select(FUNCTIONS.to_vec()),
    ) {
        let harness = HARNESS.with(|h| h.clone());
        let before = harness.head();
        let (status, _) = harness.runtime.block_on(harness.server.call(function, body.clone()));
        let after = harness.head();
        check_status(status, before, after, &format!("{function} {body}"))?;
        prop_assert!(harness.healthy());
    }

    #[test]
    fn any_bytes_as_a_body_get_a_clear_answer(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
        function in prop::sample::select(FUNCTIONS.to_vec()),
        json in any::<bool>(),
    ) {
        let harness = HARNESS.with(|h| h.clone());
        let before = harness.head();
        let status = harness.runtime.block_on(async {
            harness.server.http
                .post(harness.server.url(&format!("/api/{function}")))
                .header("content-type", if json { "application/json" } else { "application/x-www-form-urlencoded" })
                .header("cookie", &harness.server.staff_cookie)
                .body(bytes.clone())
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
        check_status(status, before, harness.head(), function)?;
    }

    #[test]
    fn any_live_channel_query_gets_a_clear_answer(
        feed in prop_oneof![Just("kitchen".to_string()), Just("order".to_string()), ".{0,10}"],
        order in prop_oneof![Just(String::new()), any::<i64>().prop_map(|n| n.to_string()), ".{0,10}"],
        token in prop_oneof![Just(String::new()), "[0-9a-f]{32}", ".{0,40}"],
        since in prop_oneof![Just(String::new()), any::<i64>().prop_map(|n| n.to_string()), ".{0,10}"],
        last_event_id in prop_oneof![Just(None), ".{0,12}".prop_map(Some)],
    ) {
        let harness = HARNESS.with(|h| h.clone());
        let query: String = [("feed", &feed), ("order", &order), ("token", &token), ("since", &since)]
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(key, value)| format!("{key}={}", urlencode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let status = harness.runtime.block_on(async {
            let mut request = harness.server.staff_get(&format!("/events?{query}"));
            if let Some(id) = &last_event_id {
                if let Ok(value) = reqwest::header::HeaderValue::from_str(id) {
                    request = request.header("last-event-id", value);
                }
            }
            // Only the status matters: drop the stream right away.
            request.send().await.unwrap().status().as_u16()
        });
        prop_assert!(status == 200 || (400..500).contains(&status), "/events?{query}: {status}");
    }

    #[test]
    fn anything_but_an_acknowledgement_on_the_socket_just_closes_it(
        frames in prop::collection::vec(".{0,200}", 1..4),
    ) {
        prop_assume!(frames.iter().any(|frame| serde_json::from_str::<app::domain::ClientMessage>(frame).is_err()));
        let harness = HARNESS.with(|h| h.clone());
        harness.runtime.block_on(async {
            let mut client = harness.server.connect("feed=kitchen&since=0").await;
            client.expect_hello().await;
            for frame in &frames {
                let _ = client.socket.send(Message::Text(frame.clone().into())).await;
            }
            // Clients publish nothing but acknowledgements: the server ends the connection.
            while client.next_message().await.is_some() {}
        });
        prop_assert!(harness.healthy());
    }
}

fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (byte as char).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

thread_local! {
    /// One server for all cases of a test thread: starting one per case would be slow.
    static HARNESS: std::rc::Rc<Harness> = std::rc::Rc::new(Harness::new());
}

//! Several instances on one PostgreSQL database: a commit on one instance reaches the screens
//! of every other, a revocation on one closes the connections it withdrew on every other (also
//! through a real nginx in front), a lost LISTEN connection or a PostgreSQL restart loses no
//! event, and a client resumes from its seq on any instance. These tests always run on
//! PostgreSQL.

use crate::support::database::{postgres_admin_url, TestDatabase};
use crate::support::private_postgres::PrivatePostgres;
use crate::support::{order_of, LiveClient, TestServer, WAIT};
use app::api::ListConnectedScreens;
use serde_json::json;
use sqlx::Connection;
use std::time::Duration;

async fn two_instances() -> (TestServer, TestServer) {
    let a =
        TestServer::start_on(TestDatabase::create_postgres(&postgres_admin_url()).await, &[("PIZZERIA_INSTANCE", "a")])
            .await;
    let instance_b = format!("b-{}", rand::random::<u32>());
    let b = a.another_instance(&[("PIZZERIA_INSTANCE", &instance_b)]).await;
    (a, b)
}

/// Receives `count` events and checks they are the next ones in the log, in order.
async fn expect_next_events(client: &mut LiveClient, after: i64, count: usize) -> Vec<app::domain::LiveEvent> {
    let events = client.expect_events(count).await;
    let seqs: Vec<i64> = events.iter().map(|event| event.seq).collect();
    assert_eq!(seqs, ((after + 1)..=(after + count as i64)).collect::<Vec<_>>(), "in order, no gap, no duplicate");
    events
}

#[tokio::test]
async fn an_order_placed_on_one_instance_reaches_screens_on_another() {
    let (a, b) = two_instances().await;
    let mut kitchen_on_b = b.connect("feed=kitchen&since=0").await;
    kitchen_on_b.expect_hello().await;
    let placed = a.place_simple("Across").await;
    let mut customer_on_b =
        b.try_connect_as(None, &format!("feed=order&token={}&since=0", placed.token)).await.unwrap();
    customer_on_b.expect_hello().await;

    let event = kitchen_on_b.expect_event().await;
    assert_eq!((event.seq, order_of(&event).id), (1, placed.order.id));

    // Staff on B advance it: the customer watching on B and a kitchen screen on A both see it.
    let mut kitchen_on_a = a.connect("feed=kitchen&since=1").await;
    kitchen_on_a.expect_hello().await;
    let advanced = b.advance(&placed.order).await;
    for client in [&mut kitchen_on_a, &mut kitchen_on_b] {
        let event = client.expect_event().await;
        assert_eq!((event.seq, order_of(&event).version), (2, advanced.version));
    }
    // The customer's feed replays from its `since` then goes live: both events, once each.
    expect_next_events(&mut customer_on_b, 0, 2).await;
}

#[tokio::test]
async fn a_client_resumes_from_its_seq_on_any_instance() {
    let (a, b) = two_instances().await;
    let mut screen = a.connect("feed=kitchen&since=0").await;
    screen.expect_hello().await;
    a.place_simple_order("first").await;
    let last_seen = screen.expect_event().await.seq;
    screen.close().await;

    // While the screen is away, orders arrive on both instances; it comes back through B.
    for n in 0..10 {
        let instance = if n % 2 == 0 { &a } else { &b };
        instance.place_simple_order(&format!("away {n}")).await;
    }
    let mut screen = b.connect(&format!("feed=kitchen&since={last_seen}")).await;
    screen.expect_hello().await;
    expect_next_events(&mut screen, last_seen, 10).await;
    a.place_simple_order("live").await;
    expect_next_events(&mut screen, last_seen + 10, 1).await;
    screen.expect_silence(Duration::from_millis(300)).await;
}

/// Ends instance B's LISTEN connection from the database side, as a network cut or an
/// operator would, and places orders on A meanwhile.
#[tokio::test]
async fn a_lost_listen_connection_loses_no_event() {
    let (a, b) = two_instances().await;
    let instance_b = b.instance_name();
    let mut kitchen_on_b = b.connect("feed=kitchen&since=0").await;
    kitchen_on_b.expect_hello().await;
    a.place_simple_order("before the cut").await;
    expect_next_events(&mut kitchen_on_b, 0, 1).await;

    let mut admin = sqlx::PgConnection::connect(&postgres_admin_url()).await.unwrap();
    let listener_name = format!("pizzeria-listen {instance_b}");
    let terminated: Vec<bool> =
        sqlx::query_scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
            .bind(&listener_name)
            .fetch_all(&mut admin)
            .await
            .unwrap();
    assert_eq!(terminated, vec![true], "B had exactly one LISTEN connection");
    for n in 0..20 {
        a.place_simple_order(&format!("during the cut {n}")).await;
    }
    let events = expect_next_events(&mut kitchen_on_b, 1, 20).await;
    assert!(events.iter().all(|event| order_of(event).customer_name.starts_with("during the cut")));

    // B listens again, and live events keep coming.
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let listening: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1")
            .bind(&listener_name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
        if listening == 1 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "B never listened again");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    a.place_simple_order("after the cut").await;
    expect_next_events(&mut kitchen_on_b, 21, 1).await;
    let metrics = b.http.get(b.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("pizzeria_commit_listener_reconnects_total 1"), "{metrics}");
    assert!(metrics.contains("pizzeria_commit_listener_connected 1"), "{metrics}");
}

/// Restarts the PostgreSQL server under two connected instances: readiness reports the outage,
/// orders are refused with a clear message while it lasts, and once it is back every committed
/// event reaches the screens, in order.
#[tokio::test]
async fn a_postgres_restart_loses_no_event_and_readiness_reports_it() {
    let postgres = PrivatePostgres::start();
    let a =
        TestServer::start_on(TestDatabase::create_postgres(&postgres.admin_url()).await, &[("PIZZERIA_INSTANCE", "a")])
            .await;
    let b = a.another_instance(&[("PIZZERIA_INSTANCE", "b")]).await;
    let mut kitchen_on_b = b.connect("feed=kitchen&since=0").await;
    kitchen_on_b.expect_hello().await;
    a.place_simple_order("before the restart").await;
    expect_next_events(&mut kitchen_on_b, 0, 1).await;

    postgres.stop();
    for instance in [&a, &b] {
        let response = instance.http.get(instance.url("/readyz")).send().await.unwrap();
        assert_eq!(response.status(), 503);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["message"], "the database is unreachable");
    }
    let (status, body) =
        a.place_order("during the outage", serde_json::json!([{ "item_id": 1, "size": "M", "quantity": 1 }])).await;
    assert_eq!(status, 503, "{body}");
    assert!(body["message"].as_str().is_some_and(|message| !message.is_empty()), "{body}");

    postgres.start_again();
    for instance in [&a, &b] {
        let deadline = tokio::time::Instant::now() + WAIT;
        while instance.http.get(instance.url("/readyz")).send().await.unwrap().status() != 200 {
            assert!(tokio::time::Instant::now() < deadline, "never ready again");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    for n in 0..5 {
        a.place_simple_order(&format!("after the restart {n}")).await;
    }
    let events = expect_next_events(&mut kitchen_on_b, 1, 5).await;
    assert!(events.iter().all(|event| order_of(event).customer_name.starts_with("after the restart")));
    // A screen that connects now replays the whole log: nothing from before was lost either.
    let mut late_screen = a.connect("feed=kitchen&since=0").await;
    late_screen.expect_hello().await;
    expect_next_events(&mut late_screen, 0, 6).await;
}

/// An admin served by instance A sees the kitchen screen connected to B, its acknowledgement
/// and how far behind it is; it leaves the list when it disconnects.
#[tokio::test]
async fn admins_see_screens_connected_to_every_instance() {
    use futures::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let (a, b) = two_instances().await;
    a.create_user("admin", "ada", "admin password 123").await;
    let admin = a.sign_in("ada", "admin password 123").await.unwrap();
    let screens_seen_by_a = || async { a.call_fn(Some(&admin), ListConnectedScreens {}).await.expect("the screens") };
    let mut wall_on_b = b.connect("feed=kitchen&since=0").await;
    wall_on_b.expect_hello().await;
    a.place_simple_order("Seen").await;
    let seq = wall_on_b.expect_event().await.seq;
    wall_on_b.socket.send(Message::Text(format!(r#"{{"type":"ack","seq":{seq}}}"#).into())).await.unwrap();

    let listed = tokio::time::timeout(WAIT, async {
        loop {
            let listed = screens_seen_by_a().await;
            if listed.iter().any(|screen| screen.acked_seq == Some(seq)) {
                return listed;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("B's screen and its acknowledgement show on A");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!((listed[0].instance.as_str(), listed[0].name.as_str()), (b.instance_name().as_str(), "pat"));
    assert_eq!(listed[0].behind, 0);

    wall_on_b.close().await;
    tokio::time::timeout(WAIT, async {
        while !screens_seen_by_a().await.is_empty() {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .expect("a closed connection leaves every instance's list");
}

#[tokio::test]
async fn a_revocation_on_one_instance_closes_its_connections_on_every_other() {
    let (a, b) = two_instances().await;
    a.create_user("admin", "ada", "admin password 123").await;
    let admin = a.sign_in("ada", "admin password 123").await.unwrap();
    let (device_id, device) = a.pair_screen(&admin).await;
    let sam_id = a.add_staff_account(&admin, "sam", "sam's password").await;
    let sam = a.sign_in("sam", "sam's password").await.unwrap();
    let (status, key) = a.form_as(Some(&admin), "add_api_key", &[("name", "Till")]).await;
    assert_eq!(status, 200, "{key}");
    let (key_id, secret) = (key["key"]["id"].as_i64().unwrap(), key["secret"].as_str().unwrap().to_string());

    // Every one of them watches the kitchen on B, and so does a member of staff who stays.
    let mut screen = b.try_connect_as(Some(&device), "feed=kitchen&since=0").await.unwrap();
    let mut sams = b.try_connect_as(Some(&sam), "feed=kitchen&since=0").await.unwrap();
    let mut till =
        b.try_connect_with(&[("authorization", format!("Bearer {secret}"))], "feed=kitchen&since=0").await.unwrap();
    let mut adas = b.try_connect_as(Some(&admin), "feed=kitchen&since=0").await.unwrap();
    let mut pats = b.connect("feed=kitchen&since=0").await;
    for client in [&mut screen, &mut sams, &mut till, &mut adas, &mut pats] {
        client.expect_hello().await;
    }

    // Each withdrawn through A: B closes that connection, as signed out.
    assert_eq!(a.form_as(Some(&admin), "revoke_device", &[("device_id", &device_id.to_string())]).await.0, 200);
    screen.expect_closed_with(4401).await;
    assert_eq!(a.form_as(Some(&admin), "disable_staff_account", &[("user_id", &sam_id.to_string())]).await.0, 200);
    sams.expect_closed_with(4401).await;
    assert_eq!(a.form_as(Some(&admin), "revoke_api_key", &[("key_id", &key_id.to_string())]).await.0, 200);
    till.expect_closed_with(4401).await;
    let (status, _) = a.form_as(Some(&admin), "sign_out", &[]).await;
    assert!(status < 400, "{status}");
    adas.expect_closed_with(4401).await;

    // The one still signed in keeps watching.
    let order = a.place_simple_order("after the revocations").await;
    assert_eq!(order_of(&pats.expect_event().await).id, order.id);
}

/// nginx in front of two instances, set up as `docs/deployment.md` says (WebSocket and SSE
/// proxied, `X-Forwarded-For` added), one front port per instance so each request's instance
/// is known.
struct Nginx {
    child: std::process::Child,
    ports: [u16; 2],
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn start(a: &TestServer, b: &TestServer) -> Nginx {
        let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].into_iter().find(|path| std::path::Path::new(path).exists());
        let nginx = nginx.expect("nginx is needed for this test: scripts/test.sh installs Debian's");
        let dir = tempfile::tempdir().unwrap();
        let free = || std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let ports = [free(), free()];
        let root = dir.path().display();
        let server = |port: u16, upstream: &TestServer| {
            let backend = upstream.addr;
            format!(
                "server {{
                    listen 127.0.0.1:{port};
                    location / {{
                        proxy_pass http://{backend}; proxy_http_version 1.1; proxy_set_header Connection \"\";
                        proxy_set_header Host $http_host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    }}
                    location = /ws {{
                        proxy_pass http://{backend}; proxy_http_version 1.1; proxy_set_header Host $http_host;
                        proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_read_timeout 60s;
                    }}
                    location = /events {{
                        proxy_pass http://{backend}; proxy_http_version 1.1; proxy_set_header Host $http_host;
                        proxy_set_header Connection \"\"; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_buffering off; proxy_cache off; proxy_read_timeout 60s;
                    }}
                }}"
            )
        };
        let config = format!(
            "daemon off; master_process off; worker_processes 1; pid {root}/nginx.pid; error_log {root}/error.log;
             events {{ worker_connections 512; }}
             http {{
                 access_log off;
                 client_body_temp_path {root}/body; proxy_temp_path {root}/proxy; fastcgi_temp_path {root}/fastcgi;
                 uwsgi_temp_path {root}/uwsgi; scgi_temp_path {root}/scgi;
                 map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
                 {} {}
             }}",
            server(ports[0], a),
            server(ports[1], b)
        );
        let path = dir.path().join("nginx.conf");
        std::fs::write(&path, config).unwrap();
        let child = std::process::Command::new(nginx)
            .arg("-c")
            .arg(&path)
            .arg("-p")
            .arg(dir.path())
            .spawn()
            .expect("nginx starts");
        // Stopped and waited for when dropped, whether it came up or not.
        let nginx = Nginx { child, ports, _dir: dir };
        for _ in 0..100 {
            if ports.iter().all(|port| std::net::TcpStream::connect(("127.0.0.1", *port)).is_ok()) {
                return nginx;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "nginx did not listen: {}",
            std::fs::read_to_string(nginx._dir.path().join("error.log")).unwrap_or_default()
        );
    }

    fn url(&self, instance: usize, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.ports[instance])
    }

    async fn connect(&self, instance: usize, cookie: &str, query: &str) -> LiveClient {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = format!("ws://127.0.0.1:{}/ws?{query}", self.ports[instance]).into_client_request().unwrap();
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
        let (socket, _) = tokio_tungstenite::connect_async(request).await.expect("a WebSocket through nginx");
        LiveClient { socket }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads an SSE response into `streamed` until it holds `wanted`, within [`WAIT`] in all
/// (heartbeats keep arriving, so a time-out per chunk would wait for ever).
async fn read_sse_until(sse: &mut reqwest::Response, streamed: &mut String, wanted: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !streamed.contains(wanted) {
        let chunk = tokio::time::timeout_at(deadline, sse.chunk())
            .await
            .unwrap_or_else(|_| panic!("{wanted:?} through nginx in time; got {streamed:?}"))
            .unwrap()
            .expect("more SSE");
        streamed.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test]
async fn through_a_real_proxy_events_and_revocations_cross_instances_and_limits_see_each_client() {
    let proxied = [("PIZZERIA_TRUSTED_PROXIES", "127.0.0.1"), ("PIZZERIA_SIGN_INS_PER_MINUTE", "4")];
    let a = TestServer::start_on(TestDatabase::create_postgres(&postgres_admin_url()).await, &proxied).await;
    let b = a.another_instance(&proxied).await;
    let nginx = Nginx::start(&a, &b);
    // Bounded, so a stalled proxy fails the test instead of hanging the suite.
    let http =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).timeout(WAIT * 2).build().unwrap();
    let sign_in = |instance: usize, username: &str, password: &str, client: &str| {
        let request = http
            .post(nginx.url(instance, "/api/sign_in"))
            .header("x-forwarded-for", client)
            .form(&[("username", username), ("password", password)]);
        async move {
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let cookie = crate::support::session_cookie(&response);
            (status, cookie)
        }
    };

    // An order placed through the proxy on A reaches a kitchen screen on B, by WebSocket and SSE.
    let mut screen = nginx.connect(1, &a.staff_cookie, "feed=kitchen").await;
    screen.expect_hello().await;
    let mut sse =
        http.get(nginx.url(1, "/events?feed=kitchen")).header("cookie", &a.staff_cookie).send().await.unwrap();
    assert_eq!(sse.status(), 200);
    // Whatever is committed after the hello reaches the stream; before it, only a snapshot would.
    let mut streamed = String::new();
    read_sse_until(&mut sse, &mut streamed, "event: hello").await;
    let order =
        json!({ "request": { "customer_name": "Proxied", "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }] } });
    let placed = http.post(nginx.url(0, "/api/place_order")).json(&order).send().await.unwrap();
    assert_eq!(placed.status(), 200);
    let placed: app::domain::PlacedOrder = placed.json().await.unwrap();
    assert_eq!(order_of(&screen.expect_event().await).id, placed.order.id);
    read_sse_until(&mut sse, &mut streamed, "Proxied").await;

    // Revoked through A, a connection through the proxy to B closes.
    a.create_user("admin", "ada", "admin password 123").await;
    let (_, admin) = sign_in(0, "ada", "admin password 123", "198.51.100.1").await;
    let admin = admin.expect("the admin signs in through the proxy");
    let sam_id = a.add_staff_account(&admin, "sam", "sam's password").await;
    let (_, sam) = sign_in(0, "sam", "sam's password", "198.51.100.2").await;
    let mut sams = nginx.connect(1, &sam.expect("sam signs in"), "feed=kitchen").await;
    sams.expect_hello().await;
    let (status, _) = a.form_as(Some(&admin), "disable_staff_account", &[("user_id", &sam_id.to_string())]).await;
    assert_eq!(status, 200);
    sams.expect_closed_with(4401).await;

    // The sign-in limit counts each client behind the proxy, not the proxy.
    for _ in 0..4 {
        assert_eq!(sign_in(0, "pat", "wrong password!", "203.0.113.1").await.0, 401);
    }
    assert_eq!(sign_in(0, "pat", "wrong password!", "203.0.113.1").await.0, 429, "that client is slowed down");
    assert_eq!(sign_in(1, "pat", "wrong password!", "203.0.113.2").await.0, 401, "another client is not");
}

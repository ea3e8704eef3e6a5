//! Test support: start the application on a random port with a fresh database (SQLite, or
//! PostgreSQL with `PIZZERIA_TEST_BACKEND=postgres`), and talk to it as a client would (HTTP,
//! WebSocket, SSE). The application runs inside the test process, on a runtime of its own;
//! the tests that kill, restart or measure the process start the real `pizzeria` binary.

pub mod database;
pub mod private_postgres;

use app::api::{ChangeOrderStatus, ListOpenOrders, PlaceOrder};
use app::domain::{
    LineRequest, LiveEvent, Order, OrderRequest, PlacedOrder, Role, ServerMessage, Size, Snapshot, StatusChange,
};
pub use database::TestDatabase;
use futures::{SinkExt, StreamExt};
use leptos::server_fn::ServerFn;
use pizzeria::config::Cli;
use pizzeria::startup::Application;
use pizzeria::store::Store;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const WAIT: Duration = Duration::from_secs(15);
pub const STAFF_PASSWORD: &str = "staff password 123";

/// Where a test's server runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// In the test process, on a runtime of its own: fast to start, and a panic in the server
    /// shows in the test's output.
    InProcess,
    /// The real binary, for tests that kill it, restart it, signal it or measure its memory.
    Process,
}

enum Running {
    /// Dropping the runtime stops every task of the application at once, as a crash would.
    InProcess(tokio::runtime::Runtime),
    Process(Child),
}

pub struct TestServer {
    mode: Mode,
    running: Option<Running>,
    pub addr: SocketAddr,
    pub base: String,
    dir: TempDir,
    /// Shared by every instance started on it; dropped (PostgreSQL) after the last one.
    pub database: Arc<TestDatabase>,
    env: Vec<(String, String)>,
    pub http: reqwest::Client,
    /// The session cookie of a signed-in member of staff, made at start.
    pub staff_cookie: String,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// The application in this process on a free port, with a fresh database and a member of
/// staff signed in: what most tests talk to.
pub async fn spawn_app() -> TestServer {
    spawn_app_with(&[]).await
}

/// [`spawn_app`] with settings of the test's own, named as their environment variables (e.g.
/// a small client queue).
pub async fn spawn_app_with(env: &[(&str, &str)]) -> TestServer {
    TestServer::start_as(Mode::InProcess, env).await
}

impl TestServer {
    /// Starts the real binary, for a test that kills, restarts, signals or measures it.
    pub async fn start_process(env: &[(&str, &str)]) -> TestServer {
        TestServer::start_as(Mode::Process, env).await
    }

    async fn start_as(mode: Mode, env: &[(&str, &str)]) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = Arc::new(TestDatabase::create(dir.path()).await);
        TestServer::start_in(mode, dir, database, env).await
    }

    /// Starts a server on a given (new, empty) database.
    pub async fn start_on(database: TestDatabase, env: &[(&str, &str)]) -> TestServer {
        TestServer::start_in(Mode::InProcess, tempfile::tempdir().expect("temp dir"), Arc::new(database), env).await
    }

    async fn start_in(mode: Mode, dir: TempDir, database: Arc<TestDatabase>, env: &[(&str, &str)]) -> TestServer {
        let mut server = TestServer::unstarted(mode, dir, database, env);
        server.spawn("127.0.0.1:0".parse().unwrap()).await;
        server.create_user("staff", "pat", STAFF_PASSWORD).await;
        server.staff_cookie = server.sign_in("pat", STAFF_PASSWORD).await.expect("staff can sign in");
        server
    }

    /// A second instance of the application on its own port, sharing this one's database
    /// (PostgreSQL), as behind a load balancer. The staff session works on both.
    pub async fn another_instance(&self, env: &[(&str, &str)]) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut server = TestServer::unstarted(self.mode, dir, self.database.clone(), env);
        server.spawn("127.0.0.1:0".parse().unwrap()).await;
        server.staff_cookie = self.staff_cookie.clone();
        server
    }

    fn unstarted(mode: Mode, dir: TempDir, database: Arc<TestDatabase>, env: &[(&str, &str)]) -> TestServer {
        TestServer {
            mode,
            running: None,
            addr: "127.0.0.1:0".parse().unwrap(),
            base: String::new(),
            dir,
            database,
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            // Bounded, so a stalled server fails a test instead of hanging the suite.
            http: reqwest::Client::builder().timeout(WAIT * 2).build().expect("http client"),
            staff_cookie: String::new(),
        }
    }

    /// Adds an account at this server's first pizzeria, as `pizzeria create-user` does.
    pub async fn create_user(&self, role: &str, username: &str, password: &str) {
        self.add_account(None, role, username, password).await;
    }

    /// Adds an account at the pizzeria with this slug.
    pub async fn create_user_at(&self, location: &str, role: &str, username: &str, password: &str) {
        self.add_account(Some(location), role, username, password).await;
    }

    async fn add_account(&self, location: Option<&str>, role: &str, username: &str, password: &str) {
        let store = Store::connect_existing(self.database_url()).await.expect("open the test database");
        let found = store.find_location(location).await.expect("read the pizzerias");
        let location = found.unwrap_or_else(|| panic!("no pizzeria {location:?}"));
        let role = Role::parse(role).expect("a role");
        pizzeria::service::create_account(&store, location.id, username, password, role)
            .await
            .unwrap_or_else(|err| panic!("create {username}: {err}"));
        store.close().await;
    }

    /// Runs a `pizzeria` command against this server's database, which must succeed.
    pub fn run_cli(&self, args: &[&str]) {
        let output = self.cli(args);
        assert!(output.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    }

    /// Runs a `pizzeria` command against this server's database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        self.cli_command(args).output().expect("run the pizzeria command")
    }

    /// The `pizzeria` command against this server's database, to run later (e.g. off the
    /// async runtime, while the server is busy).
    pub fn cli_command(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_pizzeria"));
        command.args(args).env("DATABASE_URL", self.database_url()).env("RUST_LOG", "warn");
        command
    }

    /// Signs in through the form endpoint; returns the session cookie (`name=value`).
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<String, (u16, String)> {
        let response = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(self.url("/api/sign_in"))
            .form(&[("username", username), ("password", password), ("next", "/staff")])
            .send()
            .await
            .expect("sign-in request");
        let status = response.status().as_u16();
        match session_cookie(&response) {
            Some(cookie) => Ok(cookie),
            None => Err((status, response.text().await.unwrap_or_default())),
        }
    }

    /// The name this instance goes by (`PIZZERIA_INSTANCE`, else its address).
    /// An admin adds a member of staff: returns the account's id.
    pub async fn add_staff_account(&self, admin_cookie: &str, username: &str, password: &str) -> i64 {
        let fields = [("username", username), ("password", password), ("role", "staff")];
        let (status, body) = self.form_as(Some(admin_cookie), "add_staff_account", &fields).await;
        assert_eq!(status, 200, "{body}");
        body["id"].as_i64().unwrap()
    }

    /// Pairs a kitchen screen as the admin would: returns the device id and its session cookie.
    pub async fn pair_screen(&self, admin_cookie: &str) -> (i64, String) {
        let (status, body) = self.form_as(Some(admin_cookie), "add_device", &[("name", "Oven wall")]).await;
        assert_eq!(status, 200, "{body}");
        let device_id = body["device"]["id"].as_i64().unwrap();
        let code = body["pairing_path"].as_str().unwrap().trim_start_matches("/pair/").to_string();
        let (status, token) = self.form_as(None, "pair_device", &[("code", &code)]).await;
        assert_eq!(status, 200, "{token}");
        // The code works once only.
        let (status, _) = self.form_as(None, "pair_device", &[("code", &code)]).await;
        assert_eq!(status, 401);
        (device_id, format!("pizzeria_session={}", token.as_str().unwrap()))
    }

    pub fn instance_name(&self) -> String {
        self.env
            .iter()
            .find(|(key, _)| key == "PIZZERIA_INSTANCE")
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| self.addr.to_string())
    }

    pub fn database_url(&self) -> &str {
        self.database.url()
    }

    /// The settings every test server gets, unless the test sets them itself, and the test's own,
    /// as environment variables.
    fn settings(&self, addr: SocketAddr) -> Vec<(String, String)> {
        let site = self.site_dir().to_string_lossy().into_owned();
        let base = [
            ("PIZZERIA_ADDR", addr.to_string()),
            ("DATABASE_URL", self.database_url().to_string()),
            ("LEPTOS_SITE_ROOT", site),
            ("PIZZERIA_BUILD_ID", "test-build".to_string()),
            // Tests place many orders from one address; the limits have tests of their own.
            ("PIZZERIA_ORDERS_PER_MINUTE", "1000000".to_string()),
            ("PIZZERIA_SIGN_INS_PER_MINUTE", "1000000".to_string()),
        ];
        let overridden = |key: &str| self.env.iter().any(|(own, _)| own == key);
        base.into_iter()
            .filter(|(key, _)| !overridden(key))
            .map(|(key, value)| (key.to_string(), value))
            .chain(self.env.iter().cloned())
            .collect()
    }

    async fn spawn(&mut self, addr: SocketAddr) {
        match self.mode {
            Mode::InProcess => self.spawn_in_process(addr).await,
            Mode::Process => self.spawn_process(addr).await,
        }
    }

    /// Runs the application as `pizzeria serve` would, on a runtime of its own, so a test's
    /// blocking calls never hold the server up.
    async fn spawn_in_process(&mut self, addr: SocketAddr) {
        let config = config_from(&self.settings(addr));
        let runtime = pizzeria::startup::runtime("test-server").expect("a runtime for the server");
        let (started, address) = tokio::sync::oneshot::channel();
        let live_runtime = runtime.handle().clone();
        runtime.spawn(async move {
            match Application::build(config, live_runtime).await {
                Ok(app) => {
                    let _ = started.send(Ok(app.address()));
                    app.run_until(std::future::pending()).await.expect("the server runs");
                }
                Err(err) => {
                    let _ = started.send(Err(err.to_string()));
                }
            }
        });
        let address = tokio::time::timeout(WAIT, address)
            .await
            .expect("server did not start in time")
            .expect("the server task ran")
            .unwrap_or_else(|err| panic!("server did not start: {err}"));
        self.addr = address;
        self.base = format!("http://{address}");
        self.running = Some(Running::InProcess(runtime));
    }

    async fn spawn_process(&mut self, addr: SocketAddr) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("server.log"))
            .expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_pizzeria"));
        command
            .arg("serve")
            .env("RUST_LOG", "info,sqlx=warn")
            .envs(self.settings(addr))
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true);
        let mut child = command.spawn().expect("start the pizzeria binary");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line())
            .await
            .expect("server did not start in time")
            .expect("read server output")
            .unwrap_or_else(|| panic!("server exited: {}", self.log()));
        let url = line.rsplit(' ').next().unwrap().to_string();
        self.addr = url.trim_start_matches("http://").parse().expect("address in the start line");
        self.base = url;
        self.running = Some(Running::Process(child));
    }

    /// The folder this server serves the site from (`LEPTOS_SITE_ROOT`), empty at start.
    pub fn site_dir(&self) -> std::path::PathBuf {
        self.dir.path().join("site")
    }

    /// What the binary logged (a server started with [`TestServer::start_process`]).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        match &self.running {
            Some(Running::Process(child)) => child.id().expect("server running"),
            _ => panic!("only a server started with `start_process` has a process of its own"),
        }
    }

    /// Stops the server at once, with no goodbye to its clients.
    fn stop_now(&mut self) {
        match self.running.take() {
            Some(Running::InProcess(runtime)) => runtime.shutdown_background(),
            // `kill_on_drop`: the process gets SIGKILL.
            Some(Running::Process(child)) => drop(child),
            None => {}
        }
    }

    /// Kills the process outright (SIGKILL), like a power cut, and starts it again on the same
    /// address and the same database.
    pub async fn restart(&mut self) {
        assert_eq!(self.mode, Mode::Process, "restart a server started with `start_process`");
        if let Some(Running::Process(mut child)) = self.running.take() {
            child.kill().await.expect("kill server");
        }
        let addr = self.addr;
        for _ in 0..50 {
            self.spawn(addr).await;
            if self.running.is_some() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn ws_url(&self, query: &str) -> String {
        format!("ws://{}/ws?{}", self.addr, query)
    }

    /// Calls a server function as a member of staff; returns the status and the JSON answer.
    pub async fn call(&self, function: &str, body: Value) -> (u16, Value) {
        self.call_as(Some(&self.staff_cookie), function, body).await
    }

    /// Calls a server function with a given session cookie, or none (anonymous).
    pub async fn call_as(&self, cookie: Option<&str>, function: &str, body: Value) -> (u16, Value) {
        let mut request = self.http.post(self.url(&format!("/api/{function}"))).json(&body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Calls a server function through its own argument struct (e.g. `app::api::PlaceOrder`),
    /// as the browser's code does, and reads the answer as the type the function returns; a
    /// refusal is its status and JSON body. For the functions that take JSON (`input = Json`):
    /// what no typed call can send (a malformed body) goes through [`TestServer::call_as`].
    pub async fn call_fn<F>(&self, cookie: Option<&str>, arguments: F) -> Result<F::Output, (u16, Value)>
    where
        F: ServerFn + Serialize,
        F::Output: DeserializeOwned,
    {
        let mut request = self.http.post(self.url(F::PATH)).json(&arguments);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        if status == 200 {
            Ok(serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err} in {text}", F::PATH)))
        } else {
            Err((status, serde_json::from_str(&text).unwrap_or(Value::String(text))))
        }
    }

    /// The status a caller (a session cookie, or none) gets from a server function.
    pub async fn status_of<F>(&self, cookie: Option<&str>, arguments: F) -> u16
    where
        F: ServerFn + Serialize,
        F::Output: DeserializeOwned,
    {
        self.call_fn(cookie, arguments).await.err().map_or(200, |(status, _)| status)
    }

    /// A server function called as the member of staff, which must succeed.
    pub async fn staff_call<F>(&self, arguments: F) -> F::Output
    where
        F: ServerFn + Serialize,
        F::Output: DeserializeOwned,
    {
        self.call_fn(Some(&self.staff_cookie), arguments)
            .await
            .unwrap_or_else(|(status, body)| panic!("{} refused staff: {status} {body}", F::PATH))
    }

    /// Calls a form-encoded server function (the ones HTML forms post to).
    pub async fn form_as(&self, cookie: Option<&str>, function: &str, fields: &[(&str, &str)]) -> (u16, Value) {
        let mut request = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(self.url(&format!("/api/{function}")))
            .form(fields);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn place_order(&self, name: &str, lines: Value) -> (u16, Value) {
        self.call_as(None, "place_order", json!({ "request": { "customer_name": name, "lines": lines } })).await
    }

    /// Places a one-pizza order that must succeed; returns it with the customer's token.
    pub async fn place_simple(&self, name: &str) -> PlacedOrder {
        let request = OrderRequest {
            customer_name: name.to_string(),
            lines: vec![LineRequest::plain(1, Size::M, 1)],
            ..OrderRequest::default()
        };
        self.call_fn(None, PlaceOrder { request }).await.unwrap_or_else(|(status, body)| panic!("{status} {body}"))
    }

    /// Places a one-pizza order that must succeed.
    pub async fn place_simple_order(&self, name: &str) -> Order {
        self.place_simple(name).await.order
    }

    pub async fn set_status(&self, order_id: i64, status: &str, expected_version: Option<i64>) -> (u16, Value) {
        self.call(
            "set_order_status",
            json!({ "order_id": order_id, "status": status, "expected_version": expected_version }),
        )
        .await
    }

    pub async fn advance(&self, order: &Order) -> Order {
        let next = order.status.next().expect("order has a next stage");
        let change = StatusChange::MoveTo { status: next };
        self.staff_call(ChangeOrderStatus { order_id: order.id, change, expected_version: Some(order.version) }).await
    }

    pub async fn open_orders(&self) -> Snapshot {
        self.staff_call(ListOpenOrders {}).await
    }

    /// Opens a live connection as a member of staff.
    pub async fn connect(&self, query: &str) -> LiveClient {
        self.try_connect_as(Some(&self.staff_cookie), query).await.expect("websocket handshake")
    }

    /// Opens a live connection with a given session cookie, or none.
    pub async fn try_connect_as(&self, cookie: Option<&str>, query: &str) -> Result<LiveClient, u16> {
        let headers: Vec<(&str, String)> = cookie.map(|cookie| ("cookie", cookie.to_string())).into_iter().collect();
        self.try_connect_with(&headers, query).await
    }

    /// Opens a live connection sending these headers (a cookie, `authorization`).
    pub async fn try_connect_with(&self, headers: &[(&str, String)], query: &str) -> Result<LiveClient, u16> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = self.ws_url(query).into_client_request().unwrap();
        for (name, value) in headers {
            let name = tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap();
            request.headers_mut().insert(name, value.parse().unwrap());
        }
        match tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(request)).await.expect("connect in time") {
            Ok((socket, _)) => Ok(LiveClient { socket }),
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => Err(response.status().as_u16()),
            Err(other) => panic!("websocket failed: {other}"),
        }
    }

    /// A GET with the staff cookie.
    pub fn staff_get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(path)).header("cookie", &self.staff_cookie)
    }
}

/// The configuration `pizzeria serve` would read from these environment variables: each is
/// turned into its command-line flag, so it holds for this server only (the process's environment
/// is shared by every test).
fn config_from(settings: &[(String, String)]) -> pizzeria::config::Config {
    use clap::{CommandFactory, Parser};
    let command = Cli::command();
    let mut args = vec!["pizzeria".to_string(), "serve".to_string()];
    for (key, value) in settings {
        let flag = command
            .get_arguments()
            .find(|arg| arg.get_env().is_some_and(|env| env == key.as_str()))
            .and_then(|arg| arg.get_long())
            .unwrap_or_else(|| panic!("{key} is not a setting of `pizzeria serve`"));
        args.push(format!("--{flag}={value}"));
    }
    Cli::try_parse_from(args).unwrap_or_else(|err| panic!("test settings: {err}")).config
}

/// The session cookie (`name=value`) a sign-in response sets, if it sets one.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with("pizzeria_session=") && !value.starts_with("pizzeria_session=;"))
        .and_then(|value| value.split(';').next())
        .map(str::to_string)
}

/// A WebSocket subscriber, as a screen would be.
pub struct LiveClient {
    pub socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl LiveClient {
    /// The next server message, including heartbeats; `None` once the server closed.
    pub async fn next_message(&mut self) -> Option<ServerMessage> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.socket.next()).await.expect("a message in time")?;
            match frame {
                Ok(Message::Text(text)) => {
                    return Some(serde_json::from_str(text.as_str()).expect("valid server message"))
                }
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => continue,
            }
        }
    }

    /// The next message that is not a heartbeat. Heartbeats do not extend the wait.
    pub async fn next_non_heartbeat(&mut self) -> Option<ServerMessage> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let message = tokio::time::timeout_at(deadline, self.next_message()).await.expect("a message in time")?;
            match message {
                ServerMessage::Heartbeat { .. } => continue,
                other => return Some(other),
            }
        }
    }

    pub async fn expect_hello(&mut self) -> i64 {
        match self.next_non_heartbeat().await {
            Some(ServerMessage::Hello { head, .. }) => head,
            other => panic!("expected hello, got {other:?}"),
        }
    }

    pub async fn expect_event(&mut self) -> LiveEvent {
        match self.next_non_heartbeat().await {
            Some(ServerMessage::Event(event)) => event,
            other => panic!("expected an event, got {other:?}"),
        }
    }

    pub async fn expect_events(&mut self, count: usize) -> Vec<LiveEvent> {
        let mut events = Vec::with_capacity(count);
        for _ in 0..count {
            events.push(self.expect_event().await);
        }
        events
    }

    /// Asserts nothing but heartbeats arrives for `quiet`.
    pub async fn expect_silence(&mut self, quiet: Duration) {
        let deadline = tokio::time::Instant::now() + quiet;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let message: ServerMessage = serde_json::from_str(text.as_str()).unwrap();
                    assert!(matches!(message, ServerMessage::Heartbeat { .. }), "unexpected {message:?}");
                }
                Ok(Some(Ok(_))) => continue,
                Ok(other) => panic!("connection ended: {other:?}"),
            }
        }
    }

    /// Waits for the server to close the connection with `code`.
    pub async fn expect_closed_with(&mut self, code: u16) {
        let frame = tokio::time::timeout(WAIT, async {
            loop {
                match self.socket.next().await {
                    Some(Ok(Message::Close(frame))) => return frame,
                    Some(Ok(_)) => continue,
                    other => panic!("expected a close frame, got {other:?}"),
                }
            }
        })
        .await
        .expect("closed in time");
        assert_eq!(u16::from(frame.expect("close frame").code), code);
    }

    pub async fn close(mut self) {
        let _ = self.socket.send(Message::Close(None)).await;
    }
}

pub fn order_of(event: &LiveEvent) -> &Order {
    match &event.payload {
        app::domain::Payload::Order(order) => order,
        other => panic!("not an order event: {other:?}"),
    }
}

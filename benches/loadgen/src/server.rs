//! Starts the server under test on a free loopback port: the real `pizzeria` (fresh SQLite
//! database, signed in as a member of staff, as a real client is), or one of the baseline
//! broadcast servers under `benches/` that it is compared with.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// Which server is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Pizzeria Live itself: persistence, auth, seq and replay.
    Pizzeria,
    /// `benches/baseline-axum`: one tokio broadcast channel, nothing else.
    Axum,
    /// `benches/baseline-node`: Node.js with the `ws` package, nothing else.
    Node,
    /// `benches/baseline-axum`'s `baseline-floor`: each message framed once and written to
    /// every socket from one loop per core, the least a delivery can cost.
    Floor,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Pizzeria => "pizzeria",
            Kind::Axum => "axum-broadcast",
            Kind::Node => "node-ws",
            Kind::Floor => "floor",
        }
    }
}

pub struct Server {
    pub kind: Kind,
    child: Child,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    /// The SQLite database's folder, removed with the server.
    temp_dir: Option<tempfile::TempDir>,
    pub base: String,
    pub addr: String,
    /// The staff session cookie (Pizzeria only).
    pub cookie: Option<String>,
}

const PASSWORD: &str = "loadgen password 123";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The server binary: release if built, else debug.
pub fn default_binary() -> PathBuf {
    let release = repo_root().join("target/release/pizzeria");
    if release.exists() {
        release
    } else {
        repo_root().join("target/debug/pizzeria")
    }
}

impl Server {
    /// Pizzeria Live, with a fresh SQLite database and a staff account signed in.
    pub async fn start(binary: &PathBuf, extra_env: &[(&str, String)]) -> Result<Server, String> {
        let dir = tempfile::tempdir().map_err(|err| err.to_string())?;
        let database = format!("sqlite://{}", dir.path().join("bench.db").display());
        let mut server = Server::start_on(binary, &database, extra_env, true).await?;
        server.temp_dir = Some(dir);
        Ok(server)
    }

    /// Pizzeria Live on `database`, signed in as the load generator's member of staff, whom
    /// the first instance on a database creates (`create_user`).
    pub async fn start_on(
        binary: &PathBuf,
        database: &str,
        extra_env: &[(&str, String)],
        create_user: bool,
    ) -> Result<Server, String> {
        let addr = format!("127.0.0.1:{}", free_port()?);
        let site_root = repo_root().join("target/site");
        let env: Vec<(String, String)> = [
            ("DATABASE_URL", database.to_string()),
            ("PIZZERIA_ADDR", addr.clone()),
            ("LEPTOS_SITE_ROOT", site_root.display().to_string()),
            ("LEPTOS_OUTPUT_NAME", "pizzeria".into()),
            // The server logs warnings; LOADGEN_SERVER_LOG asks for more (e.g. "warn,sqlx::query=debug").
            ("RUST_LOG", std::env::var("LOADGEN_SERVER_LOG").unwrap_or_else(|_| "warn".into())),
            // Everything comes from one address here: lift the per-address limits.
            ("PIZZERIA_ORDERS_PER_MINUTE", "100000000".into()),
            ("PIZZERIA_SIGN_INS_PER_MINUTE", "100000".into()),
            ("PIZZERIA_MAX_SOCKETS_PER_IP", "1000000".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain(extra_env.iter().map(|(k, v)| (k.to_string(), v.clone())))
        .collect();
        if create_user {
            let status = Command::new(binary)
                .args(["create-user", "--role", "staff", "--username", "loadgen"])
                .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .env("PIZZERIA_NEW_PASSWORD", PASSWORD)
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .status()
                .await
                .map_err(|err| format!("could not run {}: {err}", binary.display()))?;
            if !status.success() {
                return Err("create-user failed".into());
            }
        }
        let mut server = Server::launch(Kind::Pizzeria, binary.clone(), vec!["serve".into()], env, None, addr).await?;
        server.cookie = Some(server.sign_in().await?);
        Ok(server)
    }

    /// A baseline broadcast server from `benches/`.
    pub async fn start_baseline(kind: Kind) -> Result<Server, String> {
        let addr = format!("127.0.0.1:{}", free_port()?);
        let env = vec![("BASELINE_ADDR".to_string(), addr.clone())];
        let (program, args) = match kind {
            Kind::Pizzeria => return Err("Pizzeria Live is not a baseline".into()),
            Kind::Axum | Kind::Floor => {
                // Built beside this binary: `cargo build --release -p loadgen -p baseline-axum`.
                let exe = std::env::current_exe().map_err(|err| err.to_string())?;
                let file = if kind == Kind::Axum { "baseline-axum" } else { "baseline-floor" };
                let program = exe.with_file_name(file);
                if !program.exists() {
                    return Err(format!(
                        "{} is missing: run `cargo build --release -p baseline-axum`",
                        program.display()
                    ));
                }
                (program, vec![])
            }
            Kind::Node => {
                let dir = repo_root().join("benches/baseline-node");
                if !dir.join("node_modules/ws").exists() {
                    return Err(
                        "the Node.js baseline is not installed: run `npm ci --prefix benches/baseline-node`".into()
                    );
                }
                (PathBuf::from("node"), vec![dir.join("server.js").display().to_string()])
            }
        };
        Server::launch(kind, program, args, env, None, addr).await
    }

    async fn launch(
        kind: Kind,
        program: PathBuf,
        args: Vec<String>,
        env: Vec<(String, String)>,
        dir: Option<tempfile::TempDir>,
        addr: String,
    ) -> Result<Server, String> {
        let child = spawn(&program, &args, &env)?;
        let server = Server {
            kind,
            child,
            program,
            args,
            env,
            temp_dir: dir,
            base: format!("http://{addr}"),
            addr,
            cookie: None,
        };
        server.wait_ready().await?;
        Ok(server)
    }

    async fn wait_ready(&self) -> Result<(), String> {
        let probe = if self.kind == Kind::Pizzeria { "/readyz" } else { "/" };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !http.get(format!("{}{probe}", self.base)).send().await.is_ok_and(|r| r.status().is_success()) {
            if Instant::now() > deadline {
                return Err(format!("{} did not become ready in 30 s", self.kind.name()));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    /// Stops the server as a deployment does (SIGTERM: it closes its sockets with "service
    /// restart"), then starts it again on the same address and database. Answers when the
    /// old process was gone and when the new one was ready.
    pub async fn restart(&mut self) -> Result<(Instant, Instant), String> {
        let pid = self.pid().ok_or("the server is not running")?;
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .map_err(|err| err.to_string())?;
        if !status.success() {
            return Err("could not signal the server".into());
        }
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .map_err(|_| "the server did not stop within 30 s of SIGTERM".to_string())?
            .map_err(|err| err.to_string())?;
        let stopped = Instant::now();
        self.child = spawn(&self.program, &self.args, &self.env)?;
        self.wait_ready().await?;
        Ok((stopped, Instant::now()))
    }

    async fn sign_in(&self) -> Result<String, String> {
        let response = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| err.to_string())?
            .post(format!("{}/api/sign_in", self.base))
            .form(&[("username", "loadgen"), ("password", PASSWORD)])
            .send()
            .await
            .map_err(|err| err.to_string())?;
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("pizzeria_session=") && !value.starts_with("pizzeria_session=;"))
            .map(|value| value.split(';').next().unwrap_or_default().to_string())
            .ok_or_else(|| "sign-in failed".to_string())
    }

    /// The request that makes event number `n` (from 0): an order placed through the
    /// endpoint the browser uses, or for a baseline, a message like that order's event.
    pub fn publish(&self, http: &reqwest::Client, n: usize) -> reqwest::RequestBuilder {
        self.publish_item(http, n, 1)
    }

    /// As [`Server::publish`], ordering the menu item `item_id` (each pizzeria has its own).
    pub fn publish_item(&self, http: &reqwest::Client, n: usize, item_id: i64) -> reqwest::RequestBuilder {
        match self.kind {
            Kind::Pizzeria => http.post(format!("{}/api/place_order", self.base)).json(&serde_json::json!({
                // With an idempotency key, as the browser's checkout sends.
                "request": {
                    "customer_name": format!("lg-{n}"),
                    "lines": [{ "item_id": item_id, "size": "M", "quantity": 1 }],
                    "idempotency_key": format!("loadgen-order-{n}"),
                }
            })),
            Kind::Axum | Kind::Node | Kind::Floor => {
                http.post(format!("{}/publish", self.base)).body(baseline_event(n))
            }
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// The server's resident memory, in bytes.
    pub fn rss_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        let kib: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmRSS:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kib * 1024)
    }

    /// CPU time the server has used so far (user + system), in seconds.
    pub fn cpu_seconds(&self) -> Option<f64> {
        process_cpu_seconds(self.pid()?)
    }
}

/// CPU time process `pid` has used so far (user + system), in seconds.
pub fn process_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may hold spaces): utime and stime are 14 and 15.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

fn spawn(program: &PathBuf, args: &[String], env: &[(String, String)]) -> Result<Child, String> {
    Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|err| format!("could not start {}: {err}", program.display()))
}

/// What a baseline broadcasts for event `n`: the shape and size of a real `order.created`
/// event (a one-pizza order), so both sides move the same bytes.
pub fn baseline_event(n: usize) -> String {
    let seq = n + 1;
    format!(
        r#"{{"type":"event","seq":{seq},"kind":"order.created","location_id":1,"url":"/api/v1/orders/{seq}","payload":{{"order":{{"id":{seq},"location_id":1,"customer_name":"lg-{n}","status":"received","version":1,"lines":[{{"item_id":1,"name":"Margherita","size":"M","quantity":1,"toppings":[],"unit_price_cents":900,"line_total_cents":900}}],"total_cents":900,"note":null,"pickup_at":null,"cancel_reason":null,"created_at":"2026-11-30T12:00:00.000000Z","updated_at":"2026-11-30T12:00:00.000000Z","status_changed_at":"2026-11-30T12:00:00.000000Z"}}}}}}"#
    )
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|err| err.to_string())?;
    Ok(listener.local_addr().map_err(|err| err.to_string())?.port())
}

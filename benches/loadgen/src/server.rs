//! Starts the real `pizzeria` server on a free loopback port with a fresh SQLite database,
//! signed in as a member of staff, as a real client is.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

pub struct Server {
    child: Child,
    _dir: tempfile::TempDir,
    pub base: String,
    pub addr: String,
    pub cookie: String,
}

const PASSWORD: &str = "loadgen password 123";

/// The server binary: release if built, else debug.
pub fn default_binary() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let release = root.join("target/release/pizzeria");
    if release.exists() {
        release
    } else {
        root.join("target/debug/pizzeria")
    }
}

impl Server {
    pub async fn start(binary: &PathBuf, extra_env: &[(&str, String)]) -> Result<Server, String> {
        let dir = tempfile::tempdir().map_err(|err| err.to_string())?;
        let port = free_port()?;
        let addr = format!("127.0.0.1:{port}");
        let database = format!("sqlite://{}", dir.path().join("bench.db").display());
        let site_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/site");
        let env: Vec<(String, String)> = [
            ("DATABASE_URL", database.clone()),
            ("PIZZERIA_ADDR", addr.clone()),
            ("LEPTOS_SITE_ROOT", site_root.display().to_string()),
            ("LEPTOS_OUTPUT_NAME", "pizzeria".into()),
            ("RUST_LOG", "warn".into()),
            // Everything comes from one address here: lift the per-address limits.
            ("PIZZERIA_ORDERS_PER_MINUTE", "100000000".into()),
            ("PIZZERIA_SIGN_INS_PER_MINUTE", "100000".into()),
            ("PIZZERIA_MAX_SOCKETS_PER_IP", "1000000".into()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain(extra_env.iter().map(|(k, v)| (k.to_string(), v.clone())))
        .collect();
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
        let child = Command::new(binary)
            .arg("serve")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| err.to_string())?;
        let base = format!("http://{addr}");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while http.get(format!("{base}/readyz")).send().await.map(|r| r.status().is_success()).unwrap_or(false) == false {
            if Instant::now() > deadline {
                return Err("the server did not become ready in 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut server = Server { child, _dir: dir, base, addr, cookie: String::new() };
        server.cookie = server.sign_in().await?;
        Ok(server)
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

    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// The server's resident memory, in bytes.
    pub fn rss_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()?)).ok()?;
        let kib: u64 = status.lines().find_map(|line| line.strip_prefix("VmRSS:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kib * 1024)
    }
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|err| err.to_string())?;
    Ok(listener.local_addr().map_err(|err| err.to_string())?.port())
}

//! Scenario (e): how long the server takes to render the kitchen screen with 200 open orders,
//! and how big the browser bundle is, raw and brotli-compressed (as a CDN or nginx would
//! serve it).

use crate::report::Latencies;
use crate::server::Server;
use serde_json::json;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

const OPEN_ORDERS: usize = 200;
const WARM_UP: usize = 20;
const RENDERS: usize = 300;

pub struct PageReport {
    render: Latencies,
    html_bytes: usize,
    wasm: Option<(PathBuf, u64, u64)>,
}

pub async fn run(binary: &PathBuf) -> Result<PageReport, String> {
    let server = Server::start(binary, &[]).await?;
    let http = reqwest::Client::new();
    for n in 0..OPEN_ORDERS {
        // A mixed kitchen: two thirds received, a third already being prepared.
        let lines = json!([{ "item_id": 1 + (n % 6), "size": "M", "quantity": 1 + n % 3 }, { "item_id": 1 + (n + 2) % 6, "size": "L", "quantity": 1 }]);
        let placed: serde_json::Value = http
            .post(format!("{}/api/place_order", server.base))
            .json(&json!({ "request": { "customer_name": format!("Guest {n}"), "lines": lines } }))
            .send()
            .await
            .map_err(|err| err.to_string())?
            .json()
            .await
            .map_err(|err| err.to_string())?;
        if n % 3 == 0 {
            let id = placed["order"]["id"]
                .as_i64()
                .ok_or_else(|| format!("an order was refused: {placed}"))?;
            http.post(format!("{}/api/set_order_status", server.base))
                .header("cookie", server.cookie.as_deref().unwrap_or_default())
                .json(&json!({ "order_id": id, "status": "preparing", "expected_version": 1 }))
                .send()
                .await
                .map_err(|err| err.to_string())?;
        }
    }
    let mut render = Latencies::new();
    let mut html_bytes = 0;
    for n in 0..WARM_UP + RENDERS {
        let started = Instant::now();
        let response = http
            .get(format!("{}/kitchen", server.base))
            .header("cookie", server.cookie.as_deref().unwrap_or_default())
            .send()
            .await
            .map_err(|err| err.to_string())?;
        if !response.status().is_success() {
            return Err(format!("/kitchen answered {}", response.status()));
        }
        let html = response.bytes().await.map_err(|err| err.to_string())?;
        if n >= WARM_UP {
            render.record(started.elapsed().as_micros() as u64);
        }
        html_bytes = html.len();
        if !String::from_utf8_lossy(&html).contains("Guest 199") {
            return Err("the kitchen page does not show the orders".into());
        }
    }
    Ok(PageReport {
        render,
        html_bytes,
        wasm: wasm_sizes(),
    })
}

/// The bundle cargo-leptos built last (release if `cargo leptos build --release` ran last).
fn wasm_sizes() -> Option<(PathBuf, u64, u64)> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/site/pkg/pizzeria.wasm");
    let raw = std::fs::read(&path).ok()?;
    let mut compressed = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
        writer.write_all(&raw).ok()?;
    }
    Some((path, raw.len() as u64, compressed.len() as u64))
}

impl PageReport {
    pub fn print(&self) {
        println!(
            "== page: /kitchen with {OPEN_ORDERS} open orders, {RENDERS} renders one after another"
        );
        println!(
            "render (request to last byte, loopback): {}",
            self.render.line()
        );
        println!(
            "page size: {:.1} KiB of HTML",
            self.html_bytes as f64 / 1024.0
        );
        match &self.wasm {
            Some((path, raw, brotli)) => println!(
                "wasm bundle {}: {:.1} KiB raw, {:.1} KiB brotli",
                path.display(),
                *raw as f64 / 1024.0,
                *brotli as f64 / 1024.0
            ),
            None => println!("wasm bundle: not built (run cargo leptos build)"),
        }
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let results = json!({
            "name": "page", "open_orders": OPEN_ORDERS, "renders": RENDERS,
            "render_latency": self.render.summary(), "html_bytes": self.html_bytes,
            "wasm_raw_bytes": self.wasm.as_ref().map(|(_, raw, _)| raw),
            "wasm_brotli_bytes": self.wasm.as_ref().map(|(_, _, brotli)| brotli),
        });
        std::fs::write(
            dir.join("page.json"),
            serde_json::to_string_pretty(&results)?,
        )
    }
}

//! Scenario (e): how long the server takes to render the kitchen screen with 200 open orders,
//! and how much wasm a kitchen screen downloads, raw and brotli-compressed (as a CDN or nginx
//! would serve it): the files the page itself names, which are the whole bundle, or, when it
//! was built with `cargo leptos build --split`, the main piece and the kitchen page's pieces.

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
    /// The server's CPU time (all threads) per render, in ms.
    cpu_ms_per_render: Option<f64>,
    html_bytes: usize,
    wasm: Option<WasmDownload>,
}

/// The wasm files a page loads, and their sizes summed.
struct WasmDownload {
    files: Vec<String>,
    raw: u64,
    brotli: u64,
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
    let mut wasm_files = Vec::new();
    let mut cpu_at_start = None;
    for n in 0..WARM_UP + RENDERS {
        if n == WARM_UP {
            cpu_at_start = server.cpu_seconds();
        }
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
        let html = String::from_utf8_lossy(&html);
        if !html.contains("Guest 199") {
            return Err("the kitchen page does not show the orders".into());
        }
        wasm_files = wasm_links(&html);
    }
    let cpu_ms_per_render = cpu_at_start
        .zip(server.cpu_seconds())
        .map(|(start, end)| (end - start) * 1000.0 / RENDERS as f64);
    Ok(PageReport {
        render,
        cpu_ms_per_render,
        html_bytes,
        wasm: wasm_download(&wasm_files),
    })
}

/// The `.wasm` files a page preloads (`<link href="/pkg/….wasm">`), in order, once each.
fn wasm_links(html: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for link in html.split("<link").skip(1) {
        let tag = link.split('>').next().unwrap_or_default();
        let href = tag
            .split("href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next());
        if let Some(href) = href.filter(|href| href.ends_with(".wasm")) {
            if !files.iter().any(|known| known == href) {
                files.push(href.to_string());
            }
        }
    }
    files
}

/// The files as cargo-leptos built them last (release after `cargo leptos build --release`),
/// read from `target/site`, each compressed on its own as a server would send it.
fn wasm_download(files: &[String]) -> Option<WasmDownload> {
    let site = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/site");
    let mut download = WasmDownload { files: files.to_vec(), raw: 0, brotli: 0 };
    for file in files {
        let raw = std::fs::read(site.join(file.trim_start_matches('/'))).ok()?;
        let mut compressed = Vec::new();
        {
            let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, 11, 22);
            writer.write_all(&raw).ok()?;
        }
        download.raw += raw.len() as u64;
        download.brotli += compressed.len() as u64;
    }
    (!files.is_empty()).then_some(download)
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
        if let Some(cpu) = self.cpu_ms_per_render {
            println!("server CPU per render (all threads): {cpu:.2} ms");
        }
        println!(
            "page size: {:.1} KiB of HTML",
            self.html_bytes as f64 / 1024.0
        );
        match &self.wasm {
            Some(wasm) => println!(
                "wasm the page loads ({}): {:.1} KiB raw, {:.1} KiB brotli",
                wasm.files.join(", "),
                wasm.raw as f64 / 1024.0,
                wasm.brotli as f64 / 1024.0
            ),
            None => println!("wasm bundle: not built (run cargo leptos build)"),
        }
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let results = json!({
            "name": "page", "open_orders": OPEN_ORDERS, "renders": RENDERS,
            "render_latency": self.render.summary(), "html_bytes": self.html_bytes,
            "server_cpu_ms_per_render": self.cpu_ms_per_render,
            "wasm_files": self.wasm.as_ref().map(|wasm| &wasm.files),
            "wasm_raw_bytes": self.wasm.as_ref().map(|wasm| wasm.raw),
            "wasm_brotli_bytes": self.wasm.as_ref().map(|wasm| wasm.brotli),
        });
        std::fs::write(
            dir.join("page.json"),
            serde_json::to_string_pretty(&results)?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::wasm_links;

    #[test]
    fn finds_each_preloaded_wasm_file_once() {
        let html = r#"<head><link rel="modulepreload" href="/pkg/pizzeria.js"><link rel="preload" href="/pkg/pizzeria.wasm" as="fetch"><link rel="preload" href="/pkg/split_a.wasm" as="fetch" type="application/wasm"/><link rel="stylesheet" href="/pkg/pizzeria.css"><link rel="preload" href="/pkg/split_a.wasm"></head>"#;
        assert_eq!(wasm_links(html), ["/pkg/pizzeria.wasm", "/pkg/split_a.wasm"]);
    }

    #[test]
    fn a_page_without_wasm_names_none() {
        assert!(wasm_links("<html><link rel=\"icon\" href=\"/favicon.svg\"></html>").is_empty());
    }
}

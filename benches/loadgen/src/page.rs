//! Scenario (e): how long the server takes to render the kitchen screen with 200 open orders,
//! and how much wasm a kitchen screen downloads, as the server sends it to a browser that
//! accepts brotli: the files the page itself names (the main piece) and, with a split build
//! (`cargo leptos build --split`), one bundle of pieces per island on the page, which the
//! page's script fetches as it hydrates.

use crate::report::Latencies;
use crate::server::Server;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    files: Vec<DownloadedFile>,
    raw: u64,
    /// As the server sent it, compressed.
    sent: u64,
}

struct DownloadedFile {
    url: String,
    raw: u64,
    sent: u64,
    encoding: String,
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
            let id = placed["order"]["id"].as_i64().ok_or_else(|| format!("an order was refused: {placed}"))?;
            http.post(format!("{}/api/set_order_status", server.base))
                .header("cookie", server.cookie.as_deref().unwrap_or_default())
                .json(&json!({ "order_id": id, "status": "preparing", "expected_version": 1 }))
                .send()
                .await
                .map_err(|err| err.to_string())?;
        }
    }
    let mut render = Latencies::new();
    let mut last_page = String::new();
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
        let html = String::from_utf8_lossy(&html);
        let tickets = tickets_in(&html);
        if tickets < OPEN_ORDERS {
            return Err(format!("the kitchen page shows {tickets} of the {OPEN_ORDERS} orders"));
        }
        last_page = html.into_owned();
    }
    let cpu_ms_per_render =
        cpu_at_start.zip(server.cpu_seconds()).map(|(start, end)| (end - start) * 1000.0 / RENDERS as f64);
    // What the page downloads, read once from the last render (every render is the same page),
    // after the renders are timed: the server compresses each file the first time.
    let mut wasm_urls = wasm_links(&last_page);
    wasm_urls.extend(islands_in(&last_page).iter().map(|island| island_bundle_url(island)));
    let wasm = download(&http, &server.base, &wasm_urls).await?;
    Ok(PageReport {
        render,
        cpu_ms_per_render,
        html_bytes: last_page.len(),
        wasm: (!wasm.files.is_empty()).then_some(wasm),
    })
}

/// How many order tickets a kitchen page shows (each is an element marked `data-order`).
fn tickets_in(html: &str) -> usize {
    html.matches(" data-order=").count()
}

/// The `.wasm` files a page preloads (`<link href="/pkg/….wasm">`), in order, once each.
fn wasm_links(html: &str) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for link in html.split("<link").skip(1) {
        let tag = link.split('>').next().unwrap_or_default();
        let href = tag.split("href=\"").nth(1).and_then(|rest| rest.split('"').next());
        if let Some(href) = href.filter(|href| href.ends_with(".wasm")) {
            if !files.iter().any(|known| known == href) {
                files.push(href.to_string());
            }
        }
    }
    files
}

/// The islands a page holds, by component name (`<leptos-island data-component="Name_123">`).
fn islands_in(html: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for tag in html.split("<leptos-island").skip(1) {
        let component = tag.split("data-component=\"").nth(1).and_then(|rest| rest.split('"').next());
        let name = component.map(|id| id.rsplit_once('_').map_or(id, |(name, _)| name).to_string());
        if let Some(name) = name.filter(|name| !names.contains(name)) {
            names.push(name);
        }
    }
    names
}

/// Where the page's script fetches an island's wasm pieces, in one response
/// (`app/src/island_bundles.js`).
fn island_bundle_url(island: &str) -> String {
    format!("/pkg/islands/{island}")
}

/// How long to wait for the server's brotli copy of a file (it compresses in the background,
/// sending gzip meanwhile).
const BROTLI_WAIT: Duration = Duration::from_secs(60);

/// Fetches each file as a browser would over HTTPS (`Accept-Encoding: br, gzip`), once the
/// server has its brotli copy, and counts the bytes on the wire; and once uncompressed.
async fn download(http: &reqwest::Client, base: &str, urls: &[String]) -> Result<WasmDownload, String> {
    let mut download = WasmDownload { files: Vec::new(), raw: 0, sent: 0 };
    for url in urls {
        let raw = http.get(format!("{base}{url}")).send().await.map_err(|err| err.to_string())?;
        if !raw.status().is_success() {
            return Err(format!("{url} answered {}", raw.status()));
        }
        let raw = raw.bytes().await.map_err(|err| err.to_string())?.len() as u64;
        let waited = Instant::now();
        let (sent, encoding) = loop {
            let response = http
                .get(format!("{base}{url}"))
                .header("accept-encoding", "br, gzip")
                .send()
                .await
                .map_err(|err| err.to_string())?;
            let encoding = response
                .headers()
                .get("content-encoding")
                .and_then(|value| value.to_str().ok())
                .unwrap_or("identity")
                .to_string();
            let sent = response.bytes().await.map_err(|err| err.to_string())?.len() as u64;
            if encoding == "br" || waited.elapsed() > BROTLI_WAIT {
                break (sent, encoding);
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        download.files.push(DownloadedFile { url: url.clone(), raw, sent, encoding });
        download.raw += raw;
        download.sent += sent;
    }
    Ok(download)
}

impl PageReport {
    pub fn print(&self) {
        println!("== page: /kitchen with {OPEN_ORDERS} open orders, {RENDERS} renders one after another");
        println!("render (request to last byte, loopback): {}", self.render.line());
        if let Some(cpu) = self.cpu_ms_per_render {
            println!("server CPU per render (all threads): {cpu:.2} ms");
        }
        println!("page size: {:.1} KiB of HTML", self.html_bytes as f64 / 1024.0);
        match &self.wasm {
            Some(wasm) => {
                println!(
                    "wasm the page loads, in {} responses: {:.1} KiB raw, {:.1} KiB as sent",
                    wasm.files.len(),
                    wasm.raw as f64 / 1024.0,
                    wasm.sent as f64 / 1024.0
                );
                for file in &wasm.files {
                    println!(
                        "  {}: {:.1} KiB raw, {:.1} KiB {}",
                        file.url,
                        file.raw as f64 / 1024.0,
                        file.sent as f64 / 1024.0,
                        file.encoding
                    );
                }
            }
            None => println!("wasm bundle: not built (run cargo leptos build)"),
        }
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let results = json!({
            "name": "page", "open_orders": OPEN_ORDERS, "renders": RENDERS,
            "render_latency": self.render.summary(), "html_bytes": self.html_bytes,
            "server_cpu_ms_per_render": self.cpu_ms_per_render,
            "wasm_files": self.wasm.as_ref().map(|wasm| wasm.files.iter().map(|file| json!({
                "url": file.url, "raw_bytes": file.raw, "sent_bytes": file.sent, "encoding": file.encoding,
            })).collect::<Vec<_>>()),
            "wasm_raw_bytes": self.wasm.as_ref().map(|wasm| wasm.raw),
            "wasm_sent_bytes": self.wasm.as_ref().map(|wasm| wasm.sent),
        });
        std::fs::write(dir.join("page.json"), serde_json::to_string_pretty(&results)?)
    }
}

#[cfg(test)]
mod tests {
    use super::{island_bundle_url, islands_in, tickets_in, wasm_links};

    #[test]
    fn counts_the_tickets_on_a_kitchen_page() {
        let html = r#"<article class="ticket" data-order="1"></article><article class="ticket" data-order="2"></article><p>data-order is an attribute</p>"#;
        assert_eq!(tickets_in(html), 2);
    }

    #[test]
    fn finds_each_preloaded_wasm_file_once() {
        let html = r#"<head><link rel="modulepreload" href="/pkg/pizzeria.js"><link rel="preload" href="/pkg/pizzeria.wasm" as="fetch"><link rel="preload" href="/pkg/split_a.wasm" as="fetch" type="application/wasm"/><link rel="stylesheet" href="/pkg/pizzeria.css"><link rel="preload" href="/pkg/split_a.wasm"></head>"#;
        assert_eq!(wasm_links(html), ["/pkg/pizzeria.wasm", "/pkg/split_a.wasm"]);
    }

    #[test]
    fn a_page_without_wasm_names_none() {
        assert!(wasm_links("<html><link rel=\"icon\" href=\"/favicon.svg\"></html>").is_empty());
    }

    #[test]
    fn a_split_page_also_fetches_its_islands_bundles() {
        let html = r#"<main><leptos-island data-component="KitchenScreen_123" data-props="{}"><p>board</p></leptos-island><leptos-island data-component="KitchenScreen_123"></leptos-island></main>"#;
        let urls: Vec<String> = islands_in(html).iter().map(|island| island_bundle_url(island)).collect();
        assert_eq!(urls, ["/pkg/islands/KitchenScreen"]);
    }
}

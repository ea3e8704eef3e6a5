//! Scenario (e): how long the server takes to render the kitchen screen with 200 open orders,
//! and how much wasm a kitchen screen downloads, raw and brotli-compressed (as a CDN or nginx
//! would serve it): the files the page itself names, which are the whole bundle, or, when it
//! was built with `cargo leptos build --split`, the main piece and the pieces of the page's
//! islands, which the browser fetches as it hydrates them (see `island_pieces`).

use crate::report::Latencies;
use crate::server::Server;
use serde_json::json;
use std::collections::HashMap;
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
    // What the page downloads, read once from the last render (every render is the same page).
    let mut wasm_files = wasm_links(&last_page);
    wasm_files.extend(island_pieces(&last_page, &split_manifest()));
    let cpu_ms_per_render = cpu_at_start
        .zip(server.cpu_seconds())
        .map(|(start, end)| (end - start) * 1000.0 / RENDERS as f64);
    Ok(PageReport {
        render,
        cpu_ms_per_render,
        html_bytes: last_page.len(),
        wasm: wasm_download(&wasm_files),
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

/// A split build's manifest (`target/site/pkg/__wasm_split_manifest.json`): for each lazy
/// function, the pieces it needs. Empty when the build was not split.
fn split_manifest() -> HashMap<String, Vec<String>> {
    let path = site_dir().join("pkg/__wasm_split_manifest.json");
    std::fs::read(path).ok().and_then(|json| serde_json::from_slice(&json).ok()).unwrap_or_default()
}

/// The pieces a split build's page fetches for its islands. Each `#[island(lazy)]` is loaded
/// by a lazy function named after it (`KitchenScreen` → `kitchen_screen_loader_<hash>`), and
/// the browser fetches that function's pieces before hydrating the island. They are not
/// preloaded, so the page does not name them: they are counted here from the manifest.
fn island_pieces(html: &str, manifest: &HashMap<String, Vec<String>>) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for island in islands_in(html) {
        let loader = format!("{}_loader_", snake_case(&island));
        for (_, modules) in manifest.iter().filter(|(name, _)| name.starts_with(&loader)) {
            for module in modules {
                let file = format!("/pkg/{module}.wasm");
                if !pieces.contains(&file) {
                    pieces.push(file);
                }
            }
        }
    }
    pieces
}

/// `KitchenScreen` → `kitchen_screen`, as Leptos names a lazy function.
fn snake_case(name: &str) -> String {
    let mut snake = String::new();
    for (index, letter) in name.chars().enumerate() {
        if letter.is_uppercase() && index > 0 {
            snake.push('_');
        }
        snake.extend(letter.to_lowercase());
    }
    snake
}

fn site_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/site")
}

/// The files as cargo-leptos built them last (release after `cargo leptos build --release`),
/// read from `target/site`, each compressed on its own as a server would send it.
fn wasm_download(files: &[String]) -> Option<WasmDownload> {
    let site = site_dir();
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
    use super::{island_pieces, tickets_in, wasm_links};
    use std::collections::HashMap;

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
    fn a_split_page_also_counts_its_islands_pieces() {
        let html = r#"<main><leptos-island data-component="KitchenScreen_123" data-props="{}"><p>board</p></leptos-island></main>"#;
        let manifest = HashMap::from([
            ("kitchen_screen_loader_987".to_string(), vec!["chunk_1".to_string(), "kitchen".to_string()]),
            ("menu_shop_loader_555".to_string(), vec!["chunk_1".to_string(), "menu".to_string()]),
        ]);
        assert_eq!(island_pieces(html, &manifest), ["/pkg/chunk_1.wasm", "/pkg/kitchen.wasm"]);
        assert!(island_pieces(html, &HashMap::new()).is_empty(), "an unsplit build has no pieces");
    }
}

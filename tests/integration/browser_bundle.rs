//! The browser bundle's files as the server sends them: compressed as the client allows, and an
//! island's wasm pieces in one response.

use crate::support::{spawn_app, TestServer, WAIT};
use std::collections::HashMap;
use std::io::Read;
use std::time::Duration;

/// Writes a split build's files into the server's site folder.
fn write_split_build(server: &TestServer) -> HashMap<&'static str, Vec<u8>> {
    let pkg = server.site_dir().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let pieces = HashMap::from([
        ("chunk_1", b"\0asm shared by both islands ".repeat(50)),
        ("split_kitchen_screen_loader_42", b"\0asm the kitchen's own code ".repeat(40)),
        ("split_staff_desk_loader_7", b"\0asm the staff desk's own code ".repeat(40)),
    ]);
    for (name, bytes) in &pieces {
        std::fs::write(pkg.join(format!("{name}.wasm")), bytes).unwrap();
    }
    std::fs::write(
        pkg.join("__wasm_split_manifest.json"),
        r#"{"kitchen_screen_loader_42": ["chunk_1", "split_kitchen_screen_loader_42"],
            "staff_desk_loader_7": ["chunk_1", "split_staff_desk_loader_7"]}"#,
    )
    .unwrap();
    std::fs::write(pkg.join("pizzeria.css"), "body { color: #222; }\n".repeat(200)).unwrap();
    pieces
}

/// GET `path` accepting `encodings`, until the server sends it in `wanted` (it compresses with
/// brotli in the background and sends gzip meanwhile).
async fn get_encoded(server: &TestServer, path: &str, encodings: &str, wanted: &str) -> reqwest::Response {
    let started = std::time::Instant::now();
    loop {
        let response = server.http.get(server.url(path)).header("accept-encoding", encodings).send().await.unwrap();
        let encoding = response.headers().get("content-encoding").map(|value| value.to_str().unwrap().to_string());
        if encoding.as_deref() == Some(wanted) {
            return response;
        }
        assert!(started.elapsed() < WAIT, "{path} never came as {wanted} (last: {encoding:?}, {})", response.status());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut plain = Vec::new();
    brotli::Decompressor::new(bytes, 4096).read_to_end(&mut plain).unwrap();
    plain
}

/// The pieces of a bundle, by name, in its order (layout in src/http/assets.rs).
fn unpack(bundle: &[u8]) -> Vec<(String, Vec<u8>)> {
    let index_length = u32::from_le_bytes(bundle[..4].try_into().unwrap()) as usize;
    let index: Vec<(String, usize)> = serde_json::from_slice(&bundle[4..4 + index_length]).unwrap();
    let mut offset = 4 + index_length;
    let mut pieces = Vec::new();
    for (name, length) in index {
        pieces.push((name, bundle[offset..offset + length].to_vec()));
        offset += length;
    }
    assert_eq!(offset, bundle.len(), "nothing after the last piece");
    pieces
}

#[tokio::test]
async fn an_island_s_pieces_come_in_one_brotli_response() {
    let server = spawn_app().await;
    let pieces = write_split_build(&server);

    let response = get_encoded(&server, "/pkg/islands/KitchenScreen", "gzip, deflate, br", "br").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["vary"], "accept-encoding");
    let sent = response.bytes().await.unwrap();
    let bundle = unbrotli(&sent);
    let unpacked = unpack(&bundle);
    let names: Vec<&str> = unpacked.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["chunk_1", "split_kitchen_screen_loader_42"], "the kitchen's pieces only, each once");
    for (name, bytes) in &unpacked {
        assert_eq!(bytes, &pieces[name.as_str()], "{name} as built");
    }
    assert!(sent.len() * 4 < bundle.len(), "compressed as one: {} of {} bytes", sent.len(), bundle.len());

    let staff =
        unpack(&server.http.get(server.url("/pkg/islands/StaffDesk")).send().await.unwrap().bytes().await.unwrap());
    assert_eq!(
        staff.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(),
        ["chunk_1", "split_staff_desk_loader_7"]
    );
}

#[tokio::test]
async fn files_are_compressed_as_the_browser_allows_and_revalidated() {
    let server = spawn_app().await;
    write_split_build(&server);
    let css = std::fs::read(server.site_dir().join("pkg/pizzeria.css")).unwrap();

    let plain = server.http.get(server.url("/pkg/pizzeria.css")).send().await.unwrap();
    assert_eq!(plain.headers()["content-type"], "text/css; charset=utf-8");
    assert!(plain.headers().get("content-encoding").is_none(), "no Accept-Encoding, no compression");
    assert_eq!(plain.bytes().await.unwrap(), css);

    // Over plain HTTP browsers offer no brotli.
    let gzip = get_encoded(&server, "/pkg/pizzeria.css", "gzip, deflate", "gzip").await;
    let etag = gzip.headers()["etag"].to_str().unwrap().to_string();
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&gzip.bytes().await.unwrap()[..]).read_to_end(&mut unzipped).unwrap();
    assert_eq!(unzipped, css);

    let again = server
        .http
        .get(server.url("/pkg/pizzeria.css"))
        .header("accept-encoding", "gzip, deflate")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304, "the browser's copy is still good");
    assert!(again.bytes().await.unwrap().is_empty());

    let brotli = get_encoded(&server, "/pkg/pizzeria.css", "br", "br").await;
    assert_ne!(brotli.headers()["etag"].to_str().unwrap(), etag, "another encoding, another tag");
    assert_eq!(unbrotli(&brotli.bytes().await.unwrap()), css);
}

#[tokio::test]
async fn what_the_build_does_not_hold_is_a_clear_not_found() {
    let server = spawn_app().await;
    write_split_build(&server);
    std::fs::write(server.site_dir().join("secret.txt"), "outside the bundle").unwrap();
    for (path, message) in [
        ("/pkg/islands/MenuShop", "there is no island MenuShop in this build"),
        ("/pkg/islands/Kitchen", "there is no island Kitchen in this build"),
        ("/pkg/islands/kitchen_screen_loader_42%2F..", "there is no island"),
        ("/pkg/missing.wasm", "there is no file missing.wasm in this build"),
        ("/pkg/.hidden", "there is no file .hidden in this build"),
        ("/pkg/snippets/..%2F..%2Fsecret.txt", "in this build"),
    ] {
        let response = server.http.get(server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let body = response.text().await.unwrap();
        assert!(body.contains(message), "{path}: {body}");
        assert!(!body.contains("outside the bundle"), "{path}");
    }
}

#[tokio::test]
async fn a_rebuild_is_served_without_a_restart() {
    let server = spawn_app().await;
    write_split_build(&server);
    let pkg = server.site_dir().join("pkg");
    let css = server.http.get(server.url("/pkg/pizzeria.css")).send().await.unwrap().text().await.unwrap();
    assert!(css.starts_with("body { color: #222; }"));
    let bundle = server.http.get(server.url("/pkg/islands/KitchenScreen")).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(unpack(&bundle).len(), 2);

    // As `cargo leptos watch` rebuilds: new files, the same server.
    std::fs::write(pkg.join("pizzeria.css"), "body { color: #000; background: #fff; }\n").unwrap();
    std::fs::write(pkg.join("split_kitchen_screen_loader_43.wasm"), b"\0asm the kitchen, rebuilt").unwrap();
    std::fs::write(
        pkg.join("__wasm_split_manifest.json"),
        r#"{"kitchen_screen_loader_43": ["chunk_1", "split_kitchen_screen_loader_43"]}"#,
    )
    .unwrap();

    let css = server.http.get(server.url("/pkg/pizzeria.css")).send().await.unwrap().text().await.unwrap();
    assert_eq!(css, "body { color: #000; background: #fff; }\n");
    let bundle = server.http.get(server.url("/pkg/islands/KitchenScreen")).send().await.unwrap().bytes().await.unwrap();
    let pieces = unpack(&bundle);
    assert_eq!(pieces[1], ("split_kitchen_screen_loader_43".to_string(), b"\0asm the kitchen, rebuilt".to_vec()));
}

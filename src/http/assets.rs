//! The browser bundle's files (`/pkg/…`), compressed, and each island's wasm pieces in one
//! response (`/pkg/islands/<Island>`).
//!
//! A split build (`cargo leptos build --split`) cuts an island's code into many pieces, one per
//! set of islands sharing a function (52 for the kitchen screen). wasm-split's loader fetches
//! each on its own, so each is compressed alone and repeats what the others would have
//! compressed away. The page's `island_bundles.js` asks instead for each of its islands'
//! pieces in one response, compressed as one (see [`pack`] for its layout).
//!
//! Files are read once and kept, compressed, until the file they came from changes (for an
//! island, the split manifest, which every split build rewrites): `cargo leptos watch` rebuilds
//! the bundle without restarting the server. A background thread compresses each, with gzip,
//! then brotli (brotli's best takes about a second for an island's pieces); until then it is
//! sent as it is, so no request waits for compression.

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The file in which cargo-leptos lists, for each lazy function, the pieces it needs.
const SPLIT_MANIFEST: &str = "__wasm_split_manifest.json";
const BROTLI_QUALITY: u32 = 11;
const BROTLI_WINDOW_BITS: u32 = 22;
const BROTLI_BEST_UP_TO_BYTES: usize = 2 << 20;
const BROTLI_QUALITY_FOR_BIG_FILES: u32 = 5;

/// `/pkg/islands/{island}` and `/pkg/{*file}`, serving the files under `pkg_dir`.
pub fn router<S: Clone + Send + Sync + 'static>(pkg_dir: PathBuf) -> Router<S> {
    Router::new()
        .route("/pkg/islands/{island}", get(island_bundle))
        .route("/pkg/{*file}", get(file))
        .with_state(Arc::new(Assets { pkg_dir, loaded: Mutex::new(HashMap::new()) }))
}

struct Assets {
    pkg_dir: PathBuf,
    /// By URL path. Only what exists is kept, so this holds at most the build's files and islands.
    loaded: Mutex<HashMap<String, Arc<Asset>>>,
}

/// One response body in each encoding this server sends.
struct Asset {
    content_type: &'static str,
    identity: Bytes,
    /// Each set by a background thread, to None where compressing does not make it smaller.
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
    /// Identifies the content (`ETag`, with the encoding appended).
    content_hash: String,
    source: SourceStamp,
}

/// When the file an asset was read from was last written, and its length.
#[derive(Clone, Copy, Debug, PartialEq)]
struct SourceStamp(Option<(std::time::SystemTime, u64)>);

impl SourceStamp {
    fn of(path: &Path) -> SourceStamp {
        SourceStamp(std::fs::metadata(path).ok().and_then(|meta| Some((meta.modified().ok()?, meta.len()))))
    }
}

#[derive(Debug, thiserror::Error)]
enum AssetError {
    #[error("there is no file {0} in this build")]
    NoSuchFile(String),
    #[error("there is no island {0} in this build")]
    NoSuchIsland(String),
    #[error("could not read {path}: {source}")]
    Unreadable { path: String, source: std::io::Error },
}

impl IntoResponse for AssetError {
    fn into_response(self) -> Response {
        let status = match self {
            AssetError::NoSuchFile(_) | AssetError::NoSuchIsland(_) => StatusCode::NOT_FOUND,
            AssetError::Unreadable { .. } => {
                tracing::error!(error = %self, "could not serve a file of the browser bundle");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, [(header::CACHE_CONTROL, "no-store")], self.to_string()).into_response()
    }
}

async fn file(State(assets): State<Arc<Assets>>, UrlPath(file): UrlPath<String>, headers: HeaderMap) -> Response {
    if !is_plain_relative_path(&file) {
        return AssetError::NoSuchFile(file).into_response();
    }
    let key = format!("/pkg/{file}");
    let path = assets.pkg_dir.join(&file);
    respond(&assets, key, path.clone(), &headers, move || {
        let bytes = read(&path, &file)?;
        Ok((content_type(&file), bytes))
    })
    .await
}

async fn island_bundle(
    State(assets): State<Arc<Assets>>,
    UrlPath(island): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    if island.is_empty() || !island.chars().all(|letter| letter.is_ascii_alphanumeric()) {
        return AssetError::NoSuchIsland(island).into_response();
    }
    let pkg_dir = assets.pkg_dir.clone();
    let key = format!("/pkg/islands/{island}");
    let manifest_path = assets.pkg_dir.join(SPLIT_MANIFEST);
    respond(&assets, key, manifest_path.clone(), &headers, move || {
        let manifest: HashMap<String, Vec<String>> =
            std::fs::read(&manifest_path).ok().and_then(|json| serde_json::from_slice(&json).ok()).unwrap_or_default();
        let names = island_pieces(&manifest, &island).ok_or_else(|| AssetError::NoSuchIsland(island.clone()))?;
        let mut pieces = Vec::with_capacity(names.len());
        for name in names {
            let file = format!("{name}.wasm");
            let bytes = read(&pkg_dir.join(&file), &file)?;
            pieces.push((name, bytes));
        }
        Ok(("application/octet-stream", pack(&pieces)))
    })
    .await
}

/// The cached asset at `key`, loading it first (off the async threads) if it is not there or
/// `source` changed since, in the encoding the request prefers.
async fn respond(
    assets: &Arc<Assets>,
    key: String,
    source: PathBuf,
    headers: &HeaderMap,
    load: impl FnOnce() -> Result<(&'static str, Vec<u8>), AssetError> + Send + 'static,
) -> Response {
    let stamp = SourceStamp::of(&source);
    let cached =
        assets.loaded.lock().ok().and_then(|loaded| loaded.get(&key).filter(|asset| asset.source == stamp).cloned());
    let asset = match cached {
        Some(asset) => asset,
        None => {
            let loaded = tokio::task::spawn_blocking(move || {
                load().map(|(content_type, bytes)| Asset::new(content_type, bytes, stamp))
            })
            .await;
            let asset = match loaded {
                Ok(Ok(asset)) => Arc::new(asset),
                Ok(Err(err)) => return err.into_response(),
                Err(err) => {
                    tracing::error!(error = %err, "loading a file of the browser bundle failed");
                    return StatusCode::INTERNAL_SERVER_ERROR.into_response();
                }
            };
            // Two first requests may both load it: the first kept is the one everyone gets.
            let (asset, kept) = match assets.loaded.lock() {
                Ok(mut loaded) => match loaded.entry(key) {
                    Entry::Occupied(kept) if kept.get().source == asset.source => (kept.get().clone(), false),
                    Entry::Occupied(mut outdated) => {
                        outdated.insert(asset.clone());
                        (asset, true)
                    }
                    Entry::Vacant(slot) => (slot.insert(asset).clone(), true),
                },
                Err(_) => (asset, true),
            };
            if kept {
                asset.compress_in_background();
            }
            asset
        }
    };
    asset.response(headers)
}

impl Asset {
    fn new(content_type: &'static str, bytes: Vec<u8>, source: SourceStamp) -> Asset {
        let mut hasher = DefaultHasher::new();
        bytes.hash(&mut hasher);
        Asset {
            content_type,
            identity: Bytes::from(bytes),
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            content_hash: format!("{:016x}", hasher.finish()),
            source,
        }
    }

    fn compress_in_background(self: &Arc<Self>) {
        let asset = self.clone();
        tokio::task::spawn_blocking(move || asset.compress());
    }

    /// gzip first: it is quick, and all that browsers take over plain HTTP.
    fn compress(&self) {
        let smaller = |compressed: Option<Vec<u8>>| {
            compressed.filter(|compressed| compressed.len() < self.identity.len()).map(Bytes::from)
        };
        let _ = self.gzip.set(smaller(gzip(&self.identity)));
        let _ = self.brotli.set(smaller(brotli(&self.identity)));
    }

    fn response(&self, request: &HeaderMap) -> Response {
        let accepted = accepted_encodings(request);
        let brotli = self.brotli.get().and_then(Option::as_ref).filter(|_| accepted.brotli);
        let gzip = self.gzip.get().and_then(Option::as_ref).filter(|_| accepted.gzip);
        let (body, encoding) = match (brotli, gzip) {
            (Some(body), _) => (body, Some("br")),
            (None, Some(body)) => (body, Some("gzip")),
            (None, None) => (&self.identity, None),
        };
        let etag = match encoding {
            Some(encoding) => format!("\"{}.{encoding}\"", self.content_hash),
            None => format!("\"{}\"", self.content_hash),
        };
        let mut headers = HeaderMap::new();
        // Names are stable across builds (no hash in them), so browsers must ask each time.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        if is_cached_by_client(request, &etag) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(self.content_type));
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        (headers, body.clone()).into_response()
    }
}

/// An island's pieces in one body:
/// - the index's length in bytes (4 bytes, little-endian);
/// - the index, a JSON array of `[name, length]` pairs;
/// - the pieces, one after another, in the index's order.
fn pack(pieces: &[(String, Vec<u8>)]) -> Vec<u8> {
    let index: Vec<(&str, usize)> = pieces.iter().map(|(name, bytes)| (name.as_str(), bytes.len())).collect();
    let index = serde_json::to_vec(&index).unwrap_or_default();
    let mut body = Vec::with_capacity(4 + index.len() + pieces.iter().map(|(_, bytes)| bytes.len()).sum::<usize>());
    body.extend_from_slice(&(index.len() as u32).to_le_bytes());
    body.extend_from_slice(&index);
    for (_, bytes) in pieces {
        body.extend_from_slice(bytes);
    }
    body
}

/// The pieces (file names without `.wasm`) the island named `island` (`KitchenScreen`) needs.
/// Leptos loads a lazy island with a lazy function named after it in snake case
/// (`kitchen_screen_loader_<hash>`), which the split manifest lists with its pieces.
fn island_pieces(manifest: &HashMap<String, Vec<String>>, island: &str) -> Option<Vec<String>> {
    let loader = format!("{}_loader_", snake_case(island));
    let mut loaders: Vec<(&String, &Vec<String>)> =
        manifest.iter().filter(|(name, _)| name.starts_with(&loader)).collect();
    // The manifest is a map: sorted, the same island always packs the same way.
    loaders.sort();
    let mut pieces: Vec<String> = Vec::new();
    for piece in loaders.into_iter().flat_map(|(_, pieces)| pieces) {
        if !pieces.contains(piece) {
            pieces.push(piece.clone());
        }
    }
    (!pieces.is_empty()).then_some(pieces)
}

/// `KitchenScreen` → `kitchen_screen`.
fn snake_case(name: &str) -> String {
    let mut snake = String::new();
    for (index, letter) in name.chars().enumerate() {
        if letter.is_ascii_uppercase() && index > 0 {
            snake.push('_');
        }
        snake.push(letter.to_ascii_lowercase());
    }
    snake
}

/// A path inside the bundle's folder: names of letters, digits, `-`, `_` and `.`, none
/// starting with a dot, so nothing can climb out of it or read hidden files.
fn is_plain_relative_path(path: &str) -> bool {
    !path.is_empty()
        && path.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part.chars().all(|letter| letter.is_ascii_alphanumeric() || matches!(letter, '-' | '_' | '.'))
        })
}

fn read(path: &Path, name: &str) -> Result<Vec<u8>, AssetError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => AssetError::NoSuchFile(name.to_string()),
        _ => AssetError::Unreadable { path: name.to_string(), source },
    })
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit_once('.').map(|(_, extension)| extension) {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[derive(Debug, Default, PartialEq)]
struct AcceptedEncodings {
    brotli: bool,
    gzip: bool,
}

/// What `Accept-Encoding` allows (a coding with `q=0` is refused). Browsers offer brotli over
/// HTTPS only, so a page served over plain HTTP gets gzip.
fn accepted_encodings(headers: &HeaderMap) -> AcceptedEncodings {
    let mut accepted = AcceptedEncodings::default();
    for value in headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|value| value.to_str().ok()) {
        for coding in value.split(',') {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default().to_ascii_lowercase();
            let refused = parts.any(|parameter| {
                parameter.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()).is_some_and(|q| q <= 0.0)
            });
            match name.as_str() {
                "br" => accepted.brotli = !refused,
                "gzip" => accepted.gzip = !refused,
                _ => {}
            }
        }
    }
    accepted
}

/// Whether `If-None-Match` names this representation (or `*`).
fn is_cached_by_client(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    // Only unoptimised dev builds have files this big, and brotli's best would keep a core busy
    // for a minute on each (their bundles are megabytes).
    let quality = if bytes.len() > BROTLI_BEST_UP_TO_BYTES { BROTLI_QUALITY_FOR_BIG_FILES } else { BROTLI_QUALITY };
    let mut compressed = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut compressed, 4096, quality, BROTLI_WINDOW_BITS);
        writer.write_all(bytes).ok()?;
    }
    Some(compressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn an_island_needs_the_pieces_of_its_loader_each_once() {
        let manifest = HashMap::from([
            (
                "kitchen_screen_loader_12".to_string(),
                vec!["chunk_1".to_string(), "chunk_2".to_string(), "split_kitchen_screen_loader_12".to_string()],
            ),
            ("staff_desk_loader_7".to_string(), vec!["chunk_1".to_string(), "split_staff_desk_loader_7".to_string()]),
        ]);
        assert_eq!(
            island_pieces(&manifest, "KitchenScreen").unwrap(),
            ["chunk_1", "chunk_2", "split_kitchen_screen_loader_12"]
        );
        assert_eq!(island_pieces(&manifest, "StaffDesk").unwrap(), ["chunk_1", "split_staff_desk_loader_7"]);
        assert_eq!(island_pieces(&manifest, "Kitchen"), None, "a prefix of an island's name is not that island");
        assert_eq!(island_pieces(&HashMap::new(), "KitchenScreen"), None);
    }

    #[test]
    fn a_bundle_starts_with_an_index_of_its_pieces() {
        let body = pack(&[("chunk_1".to_string(), b"abc".to_vec()), ("split_x".to_string(), b"de".to_vec())]);
        let index_length = u32::from_le_bytes(body[..4].try_into().unwrap()) as usize;
        let index: Vec<(String, usize)> = serde_json::from_slice(&body[4..4 + index_length]).unwrap();
        assert_eq!(index, [("chunk_1".to_string(), 3), ("split_x".to_string(), 2)]);
        assert_eq!(&body[4 + index_length..], b"abcde");
    }

    #[test]
    fn only_plain_paths_inside_the_bundle_folder_are_served() {
        assert!(is_plain_relative_path("pizzeria.wasm"));
        assert!(is_plain_relative_path("snippets/leptos-abc/inline0.js"));
        for path in ["", "../Cargo.toml", "a/../../b", ".hidden", "a//b", "a/", "a\\b", "%2e%2e/x"] {
            assert!(!is_plain_relative_path(path), "{path:?}");
        }
    }

    #[test]
    fn encodings_follow_accept_encoding() {
        assert_eq!(accepted_encodings(&headers(&[])), AcceptedEncodings::default());
        assert_eq!(
            accepted_encodings(&headers(&[(header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")])),
            AcceptedEncodings { brotli: true, gzip: true }
        );
        assert_eq!(
            accepted_encodings(&headers(&[(header::ACCEPT_ENCODING, "BR;q=0, gzip;q=0.5")])),
            AcceptedEncodings { brotli: false, gzip: true }
        );
    }

    #[test]
    fn a_response_is_compressed_as_the_client_allows_and_revalidates() {
        let asset = Asset::new("text/css; charset=utf-8", b"body { color: red } ".repeat(100), SourceStamp(None));
        let first = asset.response(&headers(&[(header::ACCEPT_ENCODING, "gzip, br")]));
        assert_eq!(first.headers().get(header::CONTENT_ENCODING), None, "nothing compressed yet: sent as it is");
        let _ = asset.gzip.set(gzip(&asset.identity).map(Bytes::from));
        let plain = asset.response(&headers(&[]));
        assert_eq!(plain.headers().get(header::CONTENT_ENCODING), None);
        let gzip = asset.response(&headers(&[(header::ACCEPT_ENCODING, "gzip, br")]));
        assert_eq!(gzip.headers()[header::CONTENT_ENCODING], "gzip", "brotli is not ready yet: gzip meanwhile");
        let _ = asset.brotli.set(brotli(&asset.identity).map(Bytes::from));
        let brotli = asset.response(&headers(&[(header::ACCEPT_ENCODING, "gzip, br")]));
        assert_eq!(brotli.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(brotli.headers()[header::VARY], "accept-encoding");
        let etag = brotli.headers()[header::ETAG].to_str().unwrap().to_string();
        assert_ne!(etag, gzip.headers()[header::ETAG].to_str().unwrap(), "each encoding has its own tag");
        let again = asset.response(&headers(&[(header::ACCEPT_ENCODING, "br"), (header::IF_NONE_MATCH, &etag)]));
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let changed = asset.response(&headers(&[(header::ACCEPT_ENCODING, "br"), (header::IF_NONE_MATCH, "\"0\"")]));
        assert_eq!(changed.status(), StatusCode::OK);
    }

    #[test]
    fn what_compression_does_not_shrink_is_sent_as_it_is() {
        let asset = Asset::new("application/octet-stream", vec![7], SourceStamp(None));
        asset.compress();
        assert_eq!(asset.gzip.get(), Some(&None));
        assert_eq!(asset.brotli.get(), Some(&None));
        let response = asset.response(&headers(&[(header::ACCEPT_ENCODING, "gzip")]));
        assert_eq!(response.headers().get(header::CONTENT_ENCODING), None);
    }
}

//! Builds the application (storage, hub, router) and runs it until a shutdown signal.

use crate::auth::IdentityCache;
use crate::config::Config;
use crate::http::{self, AppState, Limits, SharedState, TrustedProxies};
use crate::locations::Locations;
use crate::realtime::{
    spawn_commit_listener, spawn_pump, spawn_screen_reports, ConnectionRuntime, ConnectionSettings, Hub,
};
use crate::service::{LiveAccountService, LiveOrderService, OrderLimit};
use crate::store::{DemoLocation, Store, StoreError};
use app::api::{SharedAccountService, SharedOrderService};
use app::domain::{KitchenSettings, LocationId};
use app::{shell, App, BuildId};
use axum::http::{header, HeaderValue};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// No legitimate request body comes close to this.
const MAX_REQUEST_BODY_BYTES: usize = 64 * 1024;
/// Slow or stuck requests (not live connections, which are upgraded or streamed) give up.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Kernel send buffer per connection. Plenty for small JSON messages, and it bounds what a
/// stalled client can pin in kernel memory (autotuning would let each grow to megabytes),
/// so a stuck client soon falls behind its queue and is told to resync.
const SOCKET_SEND_BUFFER_BYTES: usize = 64 * 1024;
/// How long shutdown waits for live connections to send their goodbyes.
const SESSION_DRAIN_TIMEOUT: Duration = Duration::from_secs(5);
/// How often old events are pruned from the log.
const PRUNE_INTERVAL: Duration = Duration::from_secs(3600);

pub use crate::realtime::runtime;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("could not listen: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Invalid(String),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    address: SocketAddr,
    stop: watch::Sender<bool>,
    connections: ConnectionRuntime,
    header_read_timeout: Duration,
}

impl Application {
    /// Live connections run on `live_runtime`, which should be theirs alone (see
    /// [`ConnectionRuntime`]).
    pub async fn build(config: Config, live_runtime: tokio::runtime::Handle) -> Result<Application, StartupError> {
        let store = Store::open(&config.database_url, &DemoLocation::from(&config)).await?;
        let hub = Hub::new(store.heads().await?, config.client_queue);
        hub.load_recent(&store).await?;
        let locations = Arc::new(Locations::load(store.clone()).await?);
        let (stop, shutdown) = watch::channel(false);
        let connections = ConnectionRuntime::on(live_runtime);
        let limits = Limits::new(config.sign_ins_per_minute, config.max_sockets_per_ip);
        let order_limit = Arc::new(OrderLimit::per_minute(config.orders_per_minute));
        spawn_pump(hub.clone(), store.clone(), shutdown.clone());
        spawn_pruning(
            store.clone(),
            limits.clone(),
            order_limit.clone(),
            config.event_retention_hours,
            shutdown.clone(),
        );

        let listener = listen(config.listen_addr())?;
        let address = listener.local_addr()?;
        let instance = config.instance.clone().unwrap_or_else(|| address.to_string());
        tracing::info!(%instance, backend = store.backend_name(), "starting");
        if store.is_shared() {
            // Until the LISTEN connection is up, another instance's revocation would not reach us.
            hub.set_hearing_revocations(false);
        }
        spawn_commit_listener(hub.clone(), store.clone(), instance.clone(), shutdown.clone());
        spawn_screen_reports(hub.screens.clone(), store.clone(), instance.clone(), shutdown.clone());
        let leptos_options = LeptosOptions::builder()
            .output_name(config.output_name.as_str())
            .site_root(config.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .build();
        let build_id = config.build_id.clone().unwrap_or_else(|| bundle_build_id(&leptos_options));
        let kitchen = KitchenSettings {
            warn_after_secs: config.ticket_warn_secs.max(1),
            late_after_secs: config.ticket_late_secs.max(config.ticket_warn_secs.max(1)),
            prep_secs: config.prep_secs.max(0),
            page_secs: config.wall_page_secs.max(2),
            // Each screen's own extras are added per caller (`kitchen_settings`).
            screen: Default::default(),
        };
        let service: SharedOrderService =
            Arc::new(LiveOrderService::new(store.clone(), hub.clone(), kitchen, order_limit));
        if config.demo_trickle_secs > 0.0 {
            let first = LocationId(locations.for_host(None).await);
            crate::demo::spawn_trickle(
                service.clone(),
                first,
                Duration::from_secs_f64(config.demo_trickle_secs),
                shutdown.clone(),
            );
        }
        let accounts: SharedAccountService =
            Arc::new(LiveAccountService::new(store.clone(), hub.clone(), instance, config.session_secs.max(1)));
        let settings = Arc::new(ConnectionSettings {
            build_id: build_id.clone(),
            heartbeat: Duration::from_secs(config.heartbeat_secs.max(1)),
            send_timeout: Duration::from_secs(config.send_timeout_secs.max(1)),
            replay_limit: config.replay_limit.max(1),
        });
        let identities = Arc::new(IdentityCache::new());
        let state = AppState(Arc::new(SharedState {
            leptos_options: leptos_options.clone(),
            store,
            hub,
            service: service.clone(),
            settings,
            shutdown,
            connections: connections.clone(),
            limits: limits.clone(),
            locations,
            identities,
        }));
        let context = move || {
            http::provide_request_nonce();
            provide_context(service.clone());
            provide_context(accounts.clone());
            provide_context(BuildId(build_id.clone()));
        };
        // Record from the start, so the first scrape already counts what happened before it.
        crate::metrics::spawn_upkeep(state.shutdown.clone());
        let routes = generate_route_list(App);
        let router = http::router()
            .leptos_routes_with_context(&state, routes, context.clone(), {
                let options = leptos_options.clone();
                move || shell(options.clone())
            })
            .merge(http::assets::router(pkg_dir(&leptos_options)))
            .fallback(file_and_error_handler_with_context::<AppState, _>(context, shell))
            .layer(axum::middleware::from_fn(http::status_from_error_body))
            .layer(axum::middleware::from_fn(crate::metrics::time_requests))
            // Inside `identify`: it needs the request's pizzeria.
            .layer(axum::middleware::from_fn_with_state(state.clone(), http::page_currency))
            .layer(axum::middleware::from_fn_with_state(state.clone(), http::identify))
            .layer(axum::middleware::from_fn(http::know_the_browser))
            .layer(axum::middleware::from_fn(http::same_origin_only))
            .layer(axum::middleware::from_fn_with_state(state.clone(), http::rate_limit))
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(TrustedProxies::new(config.trusted_proxies.clone())),
                http::resolve_client_address,
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
            .layer(axum::middleware::from_fn(http::page_policy))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
            ))
            .layer(axum::middleware::from_fn(http::json_bodies_are_objects))
            .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY_BYTES))
            .layer(axum::middleware::from_fn(http::cap_request_head))
            .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
            .layer(axum::middleware::from_fn(http::framework_errors_as_json))
            .layer(TraceLayer::new_for_http())
            .with_state(state);
        let header_read_timeout = Duration::from_secs(config.header_read_timeout_secs.max(1));
        Ok(Application { listener, router, address, stop, connections, header_read_timeout })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Serves until Ctrl-C or SIGTERM, then closes live connections (telling clients to come
    /// back) and finishes the requests in flight.
    pub async fn run_until_stopped(self) -> Result<(), StartupError> {
        // Scripts (and the tests that run the binary) read this line to learn the port.
        println!("Pizzeria Live listening on http://{}", self.address);
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stopped` completes, then stops as [`Application::run_until_stopped`]
    /// does. Tests run the application in their own process this way.
    pub async fn run_until(self, stopped: impl Future<Output = ()>) -> Result<(), StartupError> {
        let stop = self.stop;
        let shutdown = async move {
            stopped.await;
            tracing::info!("shutting down: closing live connections");
            let _ = stop.send(true);
        };
        serve(self.listener, self.router, self.header_read_timeout, shutdown).await;
        // Upgraded connections are not HTTP requests any more: serving does not wait for them.
        let left = self.connections.drain(SESSION_DRAIN_TIMEOUT).await;
        if left > 0 {
            tracing::warn!(left, "some live connections did not close in time");
        }
        Ok(())
    }
}

/// Serves HTTP/1.1 (with upgrades, for WebSockets) until `shutdown` completes, then lets the
/// connections finish what they are doing. As `axum::serve` does, but with the limits it does
/// not set: a client has `header_read_timeout` to send a request's head, and the connection's
/// read buffer is bounded ([`http::MAX_REQUEST_HEAD_BYTES`]; `http::cap_request_head` measures
/// each head), so half-sent requests cannot hold connections open.
async fn serve(
    listener: TcpListener,
    router: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;
    let (stopping, stop_heard) = watch::channel(false);
    // Every connection task holds a receiver: when none is left, all have finished.
    let (all_done, done_heard) = watch::channel(());
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, say: wait rather than spin.
                    tracing::warn!(error = %err, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Live messages are small and latency-sensitive: send them at once.
        let _ = stream.set_nodelay(true);
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(SOCKET_SEND_BUFFER_BYTES);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: axum::http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(axum::extract::ConnectInfo(peer));
            router.clone().oneshot(request.map(axum::body::Body::new))
        });
        let mut stop_heard = stop_heard.clone();
        let done_heard = done_heard.clone();
        tokio::spawn(async move {
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .max_buf_size(http::MAX_REQUEST_HEAD_BYTES);
            let connection = http.serve_connection(TokioIo::new(stream), service).with_upgrades();
            tokio::pin!(connection);
            loop {
                tokio::select! {
                    _ = connection.as_mut() => break,
                    Ok(()) = stop_heard.changed() => connection.as_mut().graceful_shutdown(),
                }
            }
            drop(done_heard);
        });
    }
    drop(listener);
    let _ = stopping.send(true);
    drop(done_heard);
    all_done.closed().await;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// Connections waiting to be accepted. After a restart every screen reconnects within a second
/// or two: the default of `TcpListener::bind` (128, as the standard library's) overflows, and
/// the kernel drops those handshakes until the clients retransmit, seconds later. The kernel
/// caps this at `net.core.somaxconn` (4,096 by default).
const LISTEN_BACKLOG: u32 = 8192;

fn listen(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if address.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    // As `TcpListener::bind` does: a restarted server may bind while old connections linger.
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(LISTEN_BACKLOG)
}

/// The folder of the browser bundle's files (`target/site/pkg`).
fn pkg_dir(options: &LeptosOptions) -> std::path::PathBuf {
    std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref())
}

/// Identifies the deployed browser bundle: a hash of its wasm files (the main piece and, in
/// a split build, every island's pieces, which can change alone), so a rebuilt bundle gets a
/// new id and a restart of the same build does not.
fn bundle_build_id(options: &LeptosOptions) -> String {
    let pkg = pkg_dir(options);
    let main = pkg.join(format!("{}.wasm", options.output_name));
    let mut hasher = DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    if !main.is_file() {
        tracing::warn!(path = %main.display(), "no browser bundle found: pages will not hydrate");
    }
    let mut pieces: Vec<_> = std::fs::read_dir(&pkg)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|extension| extension == "wasm"))
        .collect();
    pieces.sort();
    for piece in pieces {
        piece.file_name().hash(&mut hasher);
        if let Ok(bytes) = std::fs::read(&piece) {
            bytes.hash(&mut hasher);
        }
    }
    format!("{:016x}", hasher.finish())
}

fn spawn_pruning(
    store: Store,
    limits: Arc<Limits>,
    order_limit: Arc<OrderLimit>,
    retention_hours: i64,
    mut shutdown: watch::Receiver<bool>,
) {
    tokio::spawn(async move {
        loop {
            limits.forget_idle();
            order_limit.forget_idle();
            let before = chrono::Utc::now() - chrono::Duration::hours(retention_hours.max(1));
            match store.prune_events(before).await {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "pruned old events"),
                Err(err) => tracing::warn!(error = %err, "could not prune old events"),
            }
            tokio::select! {
                _ = tokio::time::sleep(PRUNE_INTERVAL) => {}
                _ = shutdown.changed() => return,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::bundle_build_id;
    use leptos::config::LeptosOptions;

    #[test]
    fn the_build_id_follows_every_piece_of_a_split_bundle() {
        let site = tempfile::tempdir().unwrap();
        let pkg = site.path().join("pkg");
        std::fs::create_dir(&pkg).unwrap();
        let options = LeptosOptions::builder()
            .output_name("pizzeria")
            .site_root(site.path().to_str().unwrap())
            .site_pkg_dir("pkg")
            .build();
        std::fs::write(pkg.join("pizzeria.wasm"), b"main").unwrap();
        std::fs::write(pkg.join("split_kitchen_screen_loader_1.wasm"), b"kitchen v1").unwrap();
        std::fs::write(pkg.join("pizzeria.css"), b"body {}").unwrap();
        let first = bundle_build_id(&options);
        assert_eq!(bundle_build_id(&options), first, "a restart of the same build keeps its id");
        std::fs::write(pkg.join("pizzeria.css"), b"body { color: red }").unwrap();
        assert_eq!(bundle_build_id(&options), first, "only wasm counts");
        std::fs::write(pkg.join("split_kitchen_screen_loader_1.wasm"), b"kitchen v2").unwrap();
        assert_ne!(bundle_build_id(&options), first, "a changed island piece is a new build");
    }
}

//! Prometheus metrics: live connections, events published and delivered, how long an event
//! takes from the pump to a client, how far behind clients are, orders by status, and HTTP
//! latency. Recorded with the `metrics` facade; rendered by `metrics-exporter-prometheus`.
//! The `/metrics` route is `http::metrics`.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

pub const CONNECTIONS: &str = "pizzeria_connections";
pub const EVENTS_PUBLISHED: &str = "pizzeria_events_published_total";
pub const EVENTS_DELIVERED: &str = "pizzeria_events_delivered_total";
pub const DELIVERY_SECONDS: &str = "pizzeria_event_delivery_seconds";
pub const CLIENT_LAG: &str = "pizzeria_client_lag_events";
pub const ORDERS: &str = "pizzeria_orders";
pub const HTTP_SECONDS: &str = "pizzeria_http_request_duration_seconds";
pub const COMMIT_LISTENER_UP: &str = "pizzeria_commit_listener_connected";
pub const COMMIT_LISTENER_RECONNECTS: &str = "pizzeria_commit_listener_reconnects_total";
pub const ORDERS_PER_COMMIT: &str = "pizzeria_orders_per_commit";

/// Latency buckets, in seconds: fine below 50 ms, where a healthy screen lives.
const SECONDS_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
const LAG_BUCKETS: &[f64] = &[0.0, 1.0, 2.0, 5.0, 10.0, 50.0, 100.0, 500.0, 1000.0];
/// Up to `store::orders::MAX_ORDERS_PER_BATCH` (64).
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];

/// Installs the process-wide recorder once and returns its handle.
pub fn handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), SECONDS_BUCKETS)
                .and_then(|builder| builder.set_buckets_for_metric(Matcher::Full(CLIENT_LAG.into()), LAG_BUCKETS))
                .and_then(|builder| {
                    builder.set_buckets_for_metric(Matcher::Full(ORDERS_PER_COMMIT.into()), BATCH_BUCKETS)
                })
                .expect("bucket lists are not empty");
            match builder.install_recorder() {
                Ok(handle) => handle,
                // Another recorder is installed (tests in one process): keep a private one.
                Err(_) => PrometheusBuilder::new().build_recorder().handle(),
            }
        })
        .clone()
}

/// How often histogram samples are folded into their buckets between scrapes.
const UPKEEP_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// Installs the recorder, then folds recorded histogram samples into their buckets every few
/// seconds. The exporter keeps every sample until then: without this, a server nobody
/// scrapes would hold 16 bytes per delivered event, for ever.
pub fn spawn_upkeep(mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let handle = handle();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(UPKEEP_INTERVAL) => handle.run_upkeep(),
                _ = shutdown.changed() => return,
            }
        }
    });
}

/// Counts one live connection while it lives.
pub struct ConnectionGauge {
    transport: &'static str,
    feed: &'static str,
}

pub fn connection_opened(transport: &'static str, feed: &'static str) -> ConnectionGauge {
    metrics::gauge!(CONNECTIONS, "transport" => transport, "feed" => feed).increment(1.0);
    ConnectionGauge { transport, feed }
}

impl Drop for ConnectionGauge {
    fn drop(&mut self) {
        metrics::gauge!(CONNECTIONS, "transport" => self.transport, "feed" => self.feed).decrement(1.0);
    }
}

pub fn event_published() {
    metrics::counter!(EVENTS_PUBLISHED).increment(1);
}

/// How many orders one transaction wrote: above 1 when orders arrive faster than one commit.
pub fn orders_written_together(orders: usize) {
    metrics::histogram!(ORDERS_PER_COMMIT).record(orders as f64);
}

/// Whether this instance hears other instances' commits right now (PostgreSQL only).
pub fn commit_listener_connected(connected: bool) {
    metrics::gauge!(COMMIT_LISTENER_UP).set(if connected { 1.0 } else { 0.0 });
}

pub fn commit_listener_reconnected() {
    metrics::counter!(COMMIT_LISTENER_RECONNECTS).increment(1);
}

/// One connection's delivery metrics. A delivery is on the hot path (10,000 sockets × every
/// event), so it is counted on the worker thread that made it (see [`UnflushedDeliveries`]).
pub struct DeliveryMetrics {
    transport: &'static str,
}

impl DeliveryMetrics {
    pub fn new(transport: &'static str) -> DeliveryMetrics {
        DeliveryMetrics { transport }
    }

    /// One event written to the client. `published_at` is when the pump handed it to the hub
    /// (`None` for events replayed from the log); `behind` is how many newer events exist.
    pub fn delivered(&self, published_at: Option<Instant>, behind: i64) {
        let latency = published_at.map(|published_at| published_at.elapsed().as_secs_f64());
        UNFLUSHED.with_borrow_mut(|unflushed| unflushed.add(self.transport, latency, behind.max(0) as f64));
    }
}

thread_local! {
    static UNFLUSHED: std::cell::RefCell<UnflushedDeliveries> = std::cell::RefCell::default();
}

/// How many deliveries a thread gathers before adding them to the shared metrics.
const FLUSH_EVERY: usize = 64;

/// Adds what this thread gathered to the shared metrics. Each runtime worker calls it when it
/// runs out of work (`on_thread_park`), so an idle server's metrics are always complete and a
/// busy one's are behind by at most [`FLUSH_EVERY`] deliveries per worker.
pub fn flush_thread() {
    // `try_with`: a thread that is exiting has nothing left to flush.
    let _ = UNFLUSHED.try_with(|unflushed| {
        if let Ok(mut unflushed) = unflushed.try_borrow_mut() {
            unflushed.flush();
        }
    });
}

/// Deliveries recorded on one thread since it last flushed. Recording straight into the
/// exporter takes atomics that every thread shares (the counter, each histogram's sample store
/// and their recency counters), five per delivery: at 10,000 × 10/s their cache lines bounced
/// between the cores 100,000 times a second, about 5 % of the server's CPU. Added in batches,
/// a line moves once per batch.
#[derive(Default)]
struct UnflushedDeliveries {
    /// One entry per transport, so at most two.
    by_transport: Vec<TransportDeliveries>,
    lags: Vec<f64>,
    lag_histogram: Option<metrics::Histogram>,
}

struct TransportDeliveries {
    transport: &'static str,
    delivered: u64,
    latencies: Vec<f64>,
    delivered_counter: metrics::Counter,
    latency_histogram: metrics::Histogram,
}

impl UnflushedDeliveries {
    fn add(&mut self, transport: &'static str, latency: Option<f64>, lag: f64) {
        let tally = match self.by_transport.iter().position(|tally| tally.transport == transport) {
            Some(index) => &mut self.by_transport[index],
            None => {
                self.by_transport.push(TransportDeliveries {
                    transport,
                    delivered: 0,
                    latencies: Vec::with_capacity(FLUSH_EVERY),
                    delivered_counter: metrics::counter!(EVENTS_DELIVERED, "transport" => transport),
                    latency_histogram: metrics::histogram!(DELIVERY_SECONDS, "transport" => transport),
                });
                self.by_transport.last_mut().expect("just pushed")
            }
        };
        tally.delivered += 1;
        tally.latencies.extend(latency);
        self.lags.push(lag);
        if self.lags.len() >= FLUSH_EVERY {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.lags.is_empty() {
            return;
        }
        for tally in &mut self.by_transport {
            tally.delivered_counter.increment(std::mem::take(&mut tally.delivered));
            for latency in tally.latencies.drain(..) {
                tally.latency_histogram.record(latency);
            }
        }
        let lag_histogram = self.lag_histogram.get_or_insert_with(|| metrics::histogram!(CLIENT_LAG));
        for lag in self.lags.drain(..) {
            lag_histogram.record(lag);
        }
    }
}

/// Times every HTTP request, labelled by route (never by raw path: tokens live in paths).
pub async fn time_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!(HTTP_SECONDS, "method" => method, "route" => route, "status" => status)
        .record(started.elapsed().as_secs_f64());
    response
}

/// The text `/metrics` serves: this thread's own deliveries added (the other workers flushed
/// theirs when they last idled), then everything recorded, in Prometheus's text format.
pub fn rendered() -> String {
    flush_thread();
    let handle = handle();
    handle.run_upkeep();
    handle.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the first line of `/metrics` that starts with `prefix`, if any.
    fn value(prefix: &str) -> Option<f64> {
        let text = handle().render();
        text.lines().find(|line| line.starts_with(prefix)).and_then(|line| line.rsplit(' ').next()?.parse().ok())
    }

    #[test]
    fn deliveries_reach_the_shared_metrics_in_batches_and_when_the_thread_flushes() {
        let handle = handle();
        // Its own transport label: other tests in this process record deliveries too.
        let deliveries = DeliveryMetrics::new("unit-test");
        let delivered = r#"pizzeria_events_delivered_total{transport="unit-test"}"#;
        let latencies = r#"pizzeria_event_delivery_seconds_count{transport="unit-test"}"#;
        for _ in 0..3 {
            deliveries.delivered(Some(Instant::now()), 0);
        }
        deliveries.delivered(None, 2);
        assert_eq!(value(delivered).unwrap_or(0.0), 0.0, "gathered on this thread until it flushes");
        flush_thread();
        handle.run_upkeep();
        assert_eq!(value(delivered), Some(4.0));
        assert_eq!(value(latencies), Some(3.0), "a replayed event has no delivery latency");

        // A full batch goes out without waiting for the thread to idle.
        for _ in 0..FLUSH_EVERY {
            deliveries.delivered(Some(Instant::now()), 0);
        }
        handle.run_upkeep();
        assert_eq!(value(delivered), Some(4.0 + FLUSH_EVERY as f64));
        assert_eq!(value(latencies), Some(3.0 + FLUSH_EVERY as f64));
    }
}

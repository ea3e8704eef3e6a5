//! Scenario (d), the reconnect storm: N kitchen screens, orders arriving at a steady rate, and
//! the server restarted as a deployment does (SIGTERM, then the same binary on the same
//! address and database). Every screen reconnects as the browser does (exponential backoff
//! with full jitter) and resumes from the last seq it applied. Measured: how long until every
//! screen is back in sync with the live feed, and whether any event was lost or duplicated.

use crate::report::{save_results, Latencies};
use crate::server::Server;
use crate::subscriber::{self, Endpoint, SendTimes};
use futures::StreamExt;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};
use tokio_tungstenite::tungstenite::Message;

#[derive(Clone, Debug, clap::Args)]
pub struct StormArgs {
    #[arg(long, default_value_t = 10_000)]
    pub subscribers: usize,
    /// Orders placed per second, before, during and after the restart.
    #[arg(long, default_value_t = 20.0)]
    pub rate: f64,
    /// Seconds of orders before the restart.
    #[arg(long, default_value_t = 3)]
    pub before: u64,
    /// Seconds of orders after the restarted server is ready.
    #[arg(long, default_value_t = 8)]
    pub after: u64,
    #[arg(long, default_value = "storm")]
    pub name: String,
}

/// The browser's reconnect policy (`app::domain::backoff`), mirrored so the load generator
/// does not build the whole app crate: exponential from 0.5 s, capped at 15 s, full jitter,
/// never sooner than 0.25 s.
fn reconnect_ceiling_ms(attempt: u32) -> f64 {
    (500.0 * 2f64.powi(attempt.min(16) as i32)).min(15_000.0)
}

fn reconnect_delay(attempt: u32, jitter: f64) -> Duration {
    Duration::from_secs_f64((reconnect_ceiling_ms(attempt) * jitter).max(250.0) / 1000.0)
}

/// What one screen saw over the whole run.
#[derive(Default)]
struct ScreenLog {
    /// The head its first hello announced: it should get every seq after it.
    first_head: i64,
    /// Every event: (seq, loadgen order number, when received in µs of the run).
    events: Vec<(i64, Option<usize>, u64)>,
    /// When each hello after the first arrived, with the attempt it took.
    reconnects: Vec<(u64, u32)>,
}

pub struct StormReport {
    name: String,
    results: serde_json::Value,
    resync: Latencies,
    lossless: bool,
}

impl StormReport {
    pub fn print(&self) {
        println!("== {}", self.name);
        println!("{}", serde_json::to_string_pretty(&self.results).unwrap_or_default());
        println!("time from the cut to each screen in sync: {}", self.resync.line());
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        save_results(dir, &self.name, &self.results, &self.resync)
    }

    pub fn lossless(&self) -> bool {
        self.lossless
    }
}

pub async fn run(binary: &PathBuf, args: &StormArgs) -> Result<StormReport, String> {
    let mut server = Server::start(binary, &[]).await?;
    // Generously sized: sends stop by time, not by count.
    let times = SendTimes::new((args.rate * (args.before + args.after + 120) as f64) as usize);
    let (stop_tx, stop_rx) = watch::channel(false);
    let connected = Arc::new(AtomicUsize::new(0));
    let handshakes = Arc::new(Semaphore::new(256));
    let endpoint = Arc::new(Endpoint {
        url: format!("ws://{}/ws?feed=kitchen", server.addr),
        cookie: server.cookie.clone(),
        hello: true,
    });
    let screens: Vec<_> = (0..args.subscribers)
        .map(|index| {
            let (endpoint, times, stop, connected, handshakes) =
                (endpoint.clone(), times.clone(), stop_rx.clone(), connected.clone(), handshakes.clone());
            tokio::spawn(async move { screen(index as u64, &endpoint, &times, stop, &connected, &handshakes).await })
        })
        .collect();
    subscriber::all_connected(&connected, args.subscribers).await?;

    // Orders all along, open loop; those sent while the server is down are refused.
    let placed = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let sent = Arc::new(AtomicUsize::new(0));
    let (stop_orders_tx, mut stop_orders) = watch::channel(false);
    let sender = {
        let (http, server_base, times, placed, refused, sent) = (
            reqwest::Client::builder().timeout(Duration::from_secs(10)).build().map_err(|err| err.to_string())?,
            server.base.clone(),
            times.clone(),
            placed.clone(),
            refused.clone(),
            sent.clone(),
        );
        let rate = args.rate;
        tokio::spawn(async move {
            let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
            let mut requests = Vec::new();
            for n in 0.. {
                tokio::select! {
                    _ = ticker.tick() => {}
                    _ = stop_orders.changed() => break,
                }
                let request = http.post(format!("{server_base}/api/place_order")).json(&json!({
                    "request": { "customer_name": format!("lg-{n}"), "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }] }
                }));
                let (times, placed, refused) = (times.clone(), placed.clone(), refused.clone());
                sent.fetch_add(1, Ordering::Relaxed);
                requests.push(tokio::spawn(async move {
                    times.mark_sent(n);
                    match request.send().await {
                        Ok(response) if response.status().is_success() => placed.fetch_add(1, Ordering::Relaxed),
                        _ => refused.fetch_add(1, Ordering::Relaxed),
                    };
                }));
            }
            for request in requests {
                let _ = request.await;
            }
        })
    };

    tokio::time::sleep(Duration::from_secs(args.before)).await;
    let cut_at = times.now_us();
    let (stopped, ready) = server.restart().await?;
    // Everything is timed from the moment the old server was gone and every screen cut: the
    // restart itself counts. (Its readiness, as this loop sees it, lags while 10,000 screens
    // are connecting at the same moment.)
    let stopped_us = stopped.duration_since(times.instant_of(0)).as_micros() as u64;
    let stopping_secs = stopped_us.saturating_sub(cut_at) as f64 / 1e6;
    let ready_secs = ready.duration_since(stopped).as_secs_f64();
    println!("restarted: the old server was gone {stopping_secs:.2} s after SIGTERM; the new one answered /readyz {ready_secs:.2} s later");
    tokio::time::sleep(Duration::from_secs(args.after)).await;
    let _ = stop_orders_tx.send(true);
    let _ = sender.await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let head = current_head(&endpoint).await?;
    let _ = stop_tx.send(true);
    let mut logs = Vec::with_capacity(args.subscribers);
    for screen in screens {
        logs.push(screen.await.map_err(|err| err.to_string())??);
    }

    // The first order placed after the cut: a screen is in sync once it has that event
    // (seq order and the gap check below make it hold everything before it too).
    let first_after = logs
        .iter()
        .flat_map(|log| &log.events)
        .filter(|(_, n, _)| n.and_then(|n| times.sent_at_us(n)).is_some_and(|sent| sent >= stopped_us))
        .map(|(seq, _, _)| *seq)
        .min()
        .ok_or("no order placed after the restart reached any screen")?;
    let (mut missing, mut duplicates, mut not_synced, mut never_back) = (0usize, 0usize, 0usize, 0usize);
    let mut resync = Latencies::new();
    let mut reconnect = Latencies::new();
    let mut widest_window_ms: f64 = 0.0;
    for log in &logs {
        let mut seqs: Vec<i64> = log.events.iter().map(|(seq, _, _)| *seq).collect();
        seqs.sort_unstable();
        let received = seqs.len();
        seqs.dedup();
        duplicates += received - seqs.len();
        missing += (head - log.first_head).max(0) as usize
            - seqs.iter().filter(|seq| **seq > log.first_head && **seq <= head).count();
        match log.events.iter().find(|(seq, _, _)| *seq == first_after) {
            Some((_, _, at)) => resync.record(at.saturating_sub(stopped_us)),
            None => not_synced += 1,
        }
        match log.reconnects.first() {
            Some((at, attempt)) => {
                reconnect.record(at.saturating_sub(stopped_us));
                widest_window_ms = widest_window_ms.max(reconnect_ceiling_ms(*attempt));
            }
            None => never_back += 1,
        }
    }
    let limit_ms = widest_window_ms + 3000.0;
    let max_resync_ms = resync.ms(1.0);
    let lossless = missing == 0 && duplicates == 0 && not_synced == 0 && never_back == 0;
    let results = json!({
        "name": args.name, "subscribers": args.subscribers, "rate": args.rate,
        "orders_sent": sent.load(Ordering::Relaxed), "orders_placed": placed.load(Ordering::Relaxed),
        "orders_refused_during_restart": refused.load(Ordering::Relaxed),
        "old_server_stopped_secs": stopping_secs, "new_server_ready_seen_secs": ready_secs, "head": head,
        "reconnected_after_cut": reconnect.summary(),
        "in_sync_after_cut": resync.summary(),
        "widest_jitter_window_ms": widest_window_ms,
        "target_ms": limit_ms,
        "within_target": lossless && max_resync_ms <= limit_ms,
        "missing": missing, "duplicates": duplicates,
        "screens_never_reconnected": never_back, "screens_never_in_sync": not_synced,
    });
    Ok(StormReport { name: args.name.clone(), results, resync, lossless })
}

/// One kitchen screen: connects, then reconnects after every cut as the browser does, each
/// time resuming from the last seq it applied.
async fn screen(
    index: u64,
    endpoint: &Endpoint,
    times: &SendTimes,
    mut stop: watch::Receiver<bool>,
    connected: &AtomicUsize,
    handshakes: &Semaphore,
) -> Result<ScreenLog, String> {
    let mut log = ScreenLog::default();
    let mut jitter = Jitter::new(index);
    let (mut socket, first_head) = {
        let _permit = handshakes.acquire().await.map_err(|err| err.to_string())?;
        connect_with_head(endpoint, &endpoint.url).await?
    };
    log.first_head = first_head;
    connected.fetch_add(1, Ordering::AcqRel);
    // Made once, as in `subscriber::subscribe`: not anew for every frame.
    let stopped = stop.changed();
    tokio::pin!(stopped);
    loop {
        // Read until the connection ends or the run does.
        loop {
            tokio::select! {
                frame = socket.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        if let Some((seq, n)) = subscriber::event_of(text.as_str()) {
                            log.events.push((seq, n, times.now_us()));
                        }
                    }
                    Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                    Some(Ok(_)) => {}
                },
                _ = &mut stopped => {
                    let _ = socket.close(None).await;
                    return Ok(log);
                }
            }
        }
        let last_seq = log.events.last().map_or(log.first_head, |(seq, _, _)| *seq);
        let url = format!("{}&since={last_seq}", endpoint.url);
        let mut attempt = 0u32;
        socket = loop {
            tokio::select! {
                _ = tokio::time::sleep(reconnect_delay(attempt, jitter.next())) => {}
                _ = &mut stopped => return Ok(log),
            }
            match connect_with_head(endpoint, &url).await {
                Ok((socket, _)) => {
                    log.reconnects.push((times.now_us(), attempt));
                    break socket;
                }
                Err(_) => attempt += 1,
            }
        };
    }
}

/// Connects and reads the hello's head.
async fn connect_with_head(endpoint: &Endpoint, url: &str) -> Result<(subscriber::Socket, i64), String> {
    match subscriber::connect(endpoint, url).await? {
        (socket, Some(head)) => Ok((socket, head)),
        (_, None) => Err("no head without a hello".into()),
    }
}

/// The newest seq, as a fresh connection's hello tells it.
async fn current_head(endpoint: &Endpoint) -> Result<i64, String> {
    let (mut socket, head) = connect_with_head(endpoint, &endpoint.url).await?;
    let _ = socket.close(None).await;
    Ok(head)
}

/// A small per-screen random sequence in [0, 1) (xorshift), so screens spread as browsers'
/// `Math.random()` spreads them.
struct Jitter(u64);

impl Jitter {
    fn new(seed: u64) -> Jitter {
        Jitter(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconnects_as_the_browser_does() {
        assert_eq!(reconnect_delay(0, 1.0), Duration::from_millis(500));
        assert_eq!(reconnect_delay(3, 0.5), Duration::from_millis(2000));
        assert_eq!(reconnect_delay(2, 0.0), Duration::from_millis(250));
        assert_eq!(reconnect_ceiling_ms(30), 15_000.0);
    }

    #[test]
    fn jitter_stays_in_the_unit_interval_and_spreads() {
        let mut jitter = Jitter::new(7);
        let draws: Vec<f64> = (0..1000).map(|_| jitter.next()).collect();
        assert!(draws.iter().all(|draw| (0.0..1.0).contains(draw)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((0.4..0.6).contains(&mean), "mean {mean}");
    }
}

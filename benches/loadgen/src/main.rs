//! Load generator for Pizzeria Live. It starts the real server on loopback with a fresh
//! database, opens N WebSocket subscribers on the kitchen feed (signed in, as screens are),
//! places orders through the endpoint the browser uses, open-loop at a fixed rate (never
//! waiting for one answer before the next send), and reports publish→receive latency over
//! every delivery, deliveries per second, server memory per idle subscriber, order latency,
//! and missing or duplicate events. See BENCHMARKS.md.

mod page;
mod report;
mod server;

use clap::{Parser, Subcommand};
use futures::StreamExt;
use report::{Latencies, Report};
use server::Server;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Semaphore};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

#[derive(Parser)]
#[command(about = "Measures Pizzeria Live on this machine (loopback only, bounded in time)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The server binary to start (default: target/release/pizzeria, else target/debug).
    #[arg(long, global = true)]
    server_bin: Option<PathBuf>,
    /// Where to write the JSON results and the latency plot.
    #[arg(long, global = true, default_value = "target/bench")]
    out: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Fan-out on one kitchen feed: N subscribers, orders at a fixed rate.
    Fanout(RunArgs),
    /// (e) Server render time of /kitchen with 200 open orders, and the wasm bundle's size.
    Page,
    /// A named scenario of BENCHMARKS.md.
    Scenario {
        #[arg(value_enum)]
        name: Scenario,
    },
}

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum Scenario {
    /// (a) 1,000 subscribers at 20 events/s.
    Fanout1k,
    /// (a) 10,000 subscribers at 2 events/s.
    Fanout10kSlow,
    /// (a) 10,000 subscribers at 10 events/s.
    Fanout10kFast,
    /// (c) as many orders per second as the server sustains, 2 kitchen screens.
    Throughput,
    /// CI's smoke run: 200 subscribers for 5 s; fails on any missing or duplicate event.
    Smoke,
}

#[derive(Clone, Debug, clap::Args)]
struct RunArgs {
    #[arg(long, default_value_t = 1000)]
    subscribers: usize,
    /// Orders placed per second (each is one event on the kitchen feed).
    #[arg(long, default_value_t = 20.0)]
    rate: f64,
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Name of the result files.
    #[arg(long, default_value = "fanout")]
    name: String,
    /// Exit with an error on any missing or duplicate event.
    #[arg(long)]
    check: bool,
}

impl Scenario {
    fn args(self) -> RunArgs {
        let run = |name: &str, subscribers, rate, seconds, check| RunArgs { subscribers, rate, seconds, name: name.into(), check };
        match self {
            Scenario::Fanout1k => run("fanout-1k-20", 1000, 20.0, 15, true),
            Scenario::Fanout10kSlow => run("fanout-10k-2", 10_000, 2.0, 20, true),
            Scenario::Fanout10kFast => run("fanout-10k-10", 10_000, 10.0, 20, true),
            Scenario::Throughput => run("throughput", 2, 1000.0, 10, true),
            Scenario::Smoke => run("smoke", 200, 20.0, 5, true),
        }
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let args = match cli.command {
        Command::Fanout(args) => args,
        Command::Scenario { name } => name.args(),
        Command::Page => {
            let binary = cli.server_bin.unwrap_or_else(server::default_binary);
            match page::run(&binary).await {
                Ok(report) => {
                    report.print();
                    if let Err(err) = report.save(&cli.out) {
                        eprintln!("could not write results to {}: {err}", cli.out.display());
                    }
                    return;
                }
                Err(err) => {
                    eprintln!("loadgen: {err}");
                    std::process::exit(2);
                }
            }
        }
    };
    // 10,000 sockets need 10,000 descriptors here and as many in the server, which inherits it.
    if let Err(err) = rlimit::increase_nofile_limit(u64::MAX) {
        eprintln!("could not raise the file-descriptor limit: {err}");
    }
    let binary = cli.server_bin.unwrap_or_else(server::default_binary);
    match run(&binary, &args).await {
        Ok(report) => {
            report.print();
            if let Err(err) = report.save(&cli.out) {
                eprintln!("could not write results to {}: {err}", cli.out.display());
            }
            if args.check && !report.lossless() {
                eprintln!("FAILED: events were lost or duplicated");
                std::process::exit(1);
            }
        }
        Err(err) => {
            eprintln!("loadgen: {err}");
            std::process::exit(2);
        }
    }
}

/// What one subscriber saw.
struct Tally {
    seqs: Vec<i64>,
    latencies_us: Vec<u64>,
    /// The server ended the connection before the run did (too slow, resync).
    cut_off: bool,
}

/// When each order was sent, in µs since the start (0: not yet).
struct SendTimes {
    start: Instant,
    sent_us: Vec<AtomicU64>,
}

impl SendTimes {
    fn now_us(&self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }
}

async fn run(binary: &PathBuf, args: &RunArgs) -> Result<Report, String> {
    let server = Server::start(binary, &[]).await?;
    let rss_before = server.rss_bytes();
    let total = (args.rate * args.seconds as f64).round().max(1.0) as usize;
    let times = Arc::new(SendTimes { start: Instant::now(), sent_us: (0..total).map(|_| AtomicU64::new(0)).collect() });
    let (stop_tx, stop_rx) = watch::channel(false);

    // Subscribers: connected (and past their hello) before the first order.
    let connected = Arc::new(AtomicUsize::new(0));
    let handshakes = Arc::new(Semaphore::new(256));
    let mut subscribers = Vec::with_capacity(args.subscribers);
    for _ in 0..args.subscribers {
        let (addr, cookie, times, stop, connected, handshakes) =
            (server.addr.clone(), server.cookie.clone(), times.clone(), stop_rx.clone(), connected.clone(), handshakes.clone());
        subscribers.push(tokio::spawn(async move { subscribe(&addr, &cookie, times, stop, connected, handshakes).await }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while connected.load(Ordering::Acquire) < args.subscribers {
        if Instant::now() > deadline {
            return Err(format!("only {} of {} subscribers connected in 60 s", connected.load(Ordering::Acquire), args.subscribers));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle = server.rss_bytes();

    // Open loop: one order every 1/rate s, each in its own task.
    let http = reqwest::Client::builder().pool_max_idle_per_host(512).build().map_err(|err| err.to_string())?;
    let order_latencies = Arc::new(std::sync::Mutex::new(Latencies::new()));
    let failures = Arc::new(AtomicUsize::new(0));
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / args.rate));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let sending_started = Instant::now();
    let mut requests = Vec::with_capacity(total);
    for n in 0..total {
        ticker.tick().await;
        let (http, url, times, latencies, failures) =
            (http.clone(), format!("{}/api/place_order", server.base), times.clone(), order_latencies.clone(), failures.clone());
        requests.push(tokio::spawn(async move {
            let body = serde_json::json!({ "request": { "customer_name": format!("lg-{n}"), "lines": [{ "item_id": 1, "size": "M", "quantity": 1 }] } });
            let sent = Instant::now();
            times.sent_us[n].store(times.now_us().max(1), Ordering::Release);
            match http.post(url).json(&body).send().await {
                Ok(response) if response.status().is_success() => {
                    latencies.lock().unwrap().record(sent.elapsed().as_micros() as u64);
                }
                _ => {
                    failures.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let send_secs = sending_started.elapsed().as_secs_f64();
    for request in requests {
        let _ = request.await;
    }
    let answered_secs = sending_started.elapsed().as_secs_f64();
    let placed = total - failures.load(Ordering::Relaxed);

    // Give the last deliveries time to arrive, then stop everyone.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let _ = stop_tx.send(true);
    let mut tallies = Vec::with_capacity(args.subscribers);
    for subscriber in subscribers {
        tallies.push(subscriber.await.map_err(|err| err.to_string())??);
    }
    let rss_after = server.rss_bytes();

    let mut delivery = Latencies::new();
    let (mut missing, mut duplicates, mut deliveries) = (0usize, 0usize, 0usize);
    let cut_off = tallies.iter().filter(|tally| tally.cut_off).count();
    for tally in &tallies {
        let mut seqs = tally.seqs.clone();
        deliveries += seqs.len();
        seqs.sort_unstable();
        let received = seqs.len();
        seqs.dedup();
        duplicates += received - seqs.len();
        missing += placed.saturating_sub(seqs.len());
        for latency in &tally.latencies_us {
            delivery.record(*latency);
        }
    }
    let order_latencies = std::mem::replace(&mut *order_latencies.lock().unwrap(), Latencies::new());
    Ok(Report {
        name: args.name.clone(),
        subscribers: args.subscribers,
        rate: args.rate,
        seconds: args.seconds,
        orders_sent: total,
        orders_placed: placed,
        orders_per_sec: placed as f64 / answered_secs.max(send_secs),
        order_latency: order_latencies,
        delivery_latency: delivery,
        deliveries,
        deliveries_per_sec: deliveries as f64 / answered_secs.max(0.001),
        missing,
        duplicates,
        cut_off,
        rss_before,
        rss_idle,
        rss_after,
    })
}

async fn subscribe(
    addr: &str,
    cookie: &str,
    times: Arc<SendTimes>,
    mut stop: watch::Receiver<bool>,
    connected: Arc<AtomicUsize>,
    handshakes: Arc<Semaphore>,
) -> Result<Tally, String> {
    let mut request = format!("ws://{addr}/ws?feed=kitchen").into_client_request().map_err(|err| err.to_string())?;
    request.headers_mut().insert("cookie", cookie.parse().map_err(|_| "bad cookie".to_string())?);
    let mut socket = {
        let _permit = handshakes.acquire().await.map_err(|err| err.to_string())?;
        let (mut socket, _) = tokio_tungstenite::connect_async(request).await.map_err(|err| format!("connect: {err}"))?;
        // The hello comes first.
        match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
            Ok(Some(Ok(Message::Text(_)))) => {}
            other => return Err(format!("no hello: {other:?}")),
        }
        socket
    };
    connected.fetch_add(1, Ordering::AcqRel);
    let mut tally = Tally { seqs: Vec::new(), latencies_us: Vec::new(), cut_off: false };
    loop {
        tokio::select! {
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    let received_us = times.now_us();
                    if let Some((seq, n)) = event_of(text.as_str()) {
                        tally.seqs.push(seq);
                        if let Some(sent) = n.and_then(|n| times.sent_us.get(n)).map(|sent| sent.load(Ordering::Acquire)).filter(|sent| *sent > 0) {
                            tally.latencies_us.push(received_us.saturating_sub(sent));
                        }
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                    // Counted, not fatal: what it missed shows as missing events.
                    tally.cut_off = true;
                    return Ok(tally);
                }
                Some(Ok(_)) => {}
            },
            _ = stop.changed() => {
                let _ = socket.close(None).await;
                return Ok(tally);
            }
        }
    }
}

/// The seq of an event message and the loadgen order number in its customer name, read
/// without parsing the whole JSON (10,000 subscribers parse a lot).
fn event_of(text: &str) -> Option<(i64, Option<usize>)> {
    if !text.starts_with(r#"{"type":"event""#) {
        return None;
    }
    let seq = number_after(text, r#""seq":"#)?;
    let n = number_after(text, r#""customer_name":"lg-"#).map(|n| n as usize);
    Some((seq, n))
}

fn number_after(text: &str, marker: &str) -> Option<i64> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let digits: &str = &rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())];
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_seq_and_order_number_from_an_event() {
        let event = r#"{"type":"event","seq":42,"kind":"order.created","location_id":1,"url":"/api/v1/orders/7","payload":{"order":{"id":7,"customer_name":"lg-123"}}}"#;
        assert_eq!(event_of(event), Some((42, Some(123))));
        assert_eq!(event_of(r#"{"type":"heartbeat","head":4}"#), None);
    }
}

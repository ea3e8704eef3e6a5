//! Scenarios (a), (c) and the baselines: N subscribers on one feed (Pizzeria Live's kitchen
//! feed, or a baseline's only channel) while events are published open-loop at a fixed rate.

use crate::open_loop;
use crate::report::{Report, Run};
use crate::server::{Kind, Server};
use crate::subscriber::{self, Endpoint, SendTimes, Tally};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Clone, Debug, clap::Args)]
pub struct RunArgs {
    #[arg(long, default_value_t = 1000)]
    pub subscribers: usize,
    /// Events per second (for Pizzeria Live, orders placed: each is one kitchen event).
    #[arg(long, default_value_t = 20.0)]
    pub rate: f64,
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// Name of the result files.
    #[arg(long, default_value = "fanout")]
    pub name: String,
    /// Exit with an error on any missing or duplicate event.
    #[arg(long)]
    pub check: bool,
    /// The server to measure.
    #[arg(long, value_enum, default_value_t = Kind::Pizzeria)]
    pub server: Kind,
}

pub async fn run(binary: &PathBuf, args: &RunArgs) -> Result<Report, String> {
    let server = match args.server {
        Kind::Pizzeria => Server::start(binary, &[]).await?,
        baseline => Server::start_baseline(baseline).await?,
    };
    let rss_before = server.rss_bytes();
    let total = (args.rate * args.seconds as f64).round().max(1.0) as usize;
    let times = SendTimes::new(total);
    let (stop_tx, stop_rx) = watch::channel(false);

    // Subscribers: connected (and past their hello) before the first event.
    let endpoint = Arc::new(match server.kind {
        Kind::Pizzeria => Endpoint {
            url: format!("ws://{}/ws?feed=kitchen", server.addr),
            cookie: server.cookie.clone(),
            hello: true,
        },
        _ => Endpoint { url: format!("ws://{}/ws", server.addr), cookie: None, hello: false },
    });
    let subscribers = subscriber::subscribe_all(endpoint, args.subscribers, 256, &times, &stop_rx, |n, _| n).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = Idle::measure(&server, rss_before);

    let http = reqwest::Client::builder().pool_max_idle_per_host(512).build().map_err(|err| err.to_string())?;
    let sends = open_loop::send(args.rate, total, &times, |n| server.publish(&http, n)).await;
    let placed = sends.accepted_count();

    // Give the last deliveries time to arrive, then stop everyone.
    let (run, tallies) = finish(&server, &args.name, args.rate, args.seconds, idle, stop_tx, subscribers).await?;
    let what = if server.kind == Kind::Pizzeria { "orders" } else { "messages" };
    Ok(Report::new(run, what, sends, &tallies, |_| placed))
}

/// The server's memory alone and with the subscribers idle, and the CPU time it and the
/// load generator used before sending.
pub struct Idle {
    pub rss_before: Option<u64>,
    pub rss_idle: Option<u64>,
    pub cpu_before: Option<f64>,
    pub loadgen_cpu_before: Option<f64>,
}

impl Idle {
    /// Now, with the subscribers connected and idle; `rss_before` was read before they came.
    pub fn measure(server: &Server, rss_before: Option<u64>) -> Idle {
        Idle {
            rss_before,
            rss_idle: server.rss_bytes(),
            cpu_before: server.cpu_seconds(),
            loadgen_cpu_before: loadgen_cpu_seconds(),
        }
    }
}

/// The load generator's own CPU time: it shares the machine with the server, so what it
/// spends reading frames is time the server cannot use.
fn loadgen_cpu_seconds() -> Option<f64> {
    crate::server::process_cpu_seconds(std::process::id())
}

/// Lets the last deliveries arrive (3 s), stops every subscriber, and gathers what they saw.
pub async fn finish(
    server: &Server,
    name: &str,
    rate: f64,
    seconds: u64,
    idle: Idle,
    stop: watch::Sender<bool>,
    subscribers: Vec<tokio::task::JoinHandle<Result<Tally, String>>>,
) -> Result<(Run, Vec<Tally>), String> {
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (cpu_after, loadgen_cpu_after) = (server.cpu_seconds(), loadgen_cpu_seconds());
    let _ = stop.send(true);
    let mut tallies = Vec::with_capacity(subscribers.len());
    for subscriber in subscribers {
        tallies.push(subscriber.await.map_err(|err| err.to_string())??);
    }
    let run = Run {
        name: name.to_string(),
        server: server.kind.name(),
        rate,
        seconds,
        rss: [idle.rss_before, idle.rss_idle, server.rss_bytes()],
        server_cpu_seconds: spent(idle.cpu_before, cpu_after),
        loadgen_cpu_seconds: spent(idle.loadgen_cpu_before, loadgen_cpu_after),
    };
    Ok((run, tallies))
}

/// CPU seconds used between two readings, if both were taken.
fn spent(before: Option<f64>, after: Option<f64>) -> Option<f64> {
    before.zip(after).map(|(before, after)| after - before)
}

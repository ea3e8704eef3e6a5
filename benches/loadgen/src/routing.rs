//! Scenario (b), routing: N customers, each watching their own order on its own socket,
//! while staff move orders on at a fixed rate. Every change must reach its one customer
//! quickly, and the server's work per change must not grow with the number of other sockets
//! (compare the CPU per delivery of a 1,000- and a 10,000-customer run).

use crate::fanout::{self, Idle};
use crate::open_loop;
use crate::report::Report;
use crate::server::Server;
use crate::subscriber::{self, Endpoint, SendTimes};
use futures::{stream, StreamExt};
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Semaphore};

/// The statuses an order is moved through, one per change.
const STATUSES: [&str; 4] = ["preparing", "baking", "ready", "collected"];

#[derive(Clone, Debug, clap::Args)]
pub struct RoutingArgs {
    #[arg(long, default_value_t = 10_000)]
    pub customers: usize,
    /// Status changes per second, spread over every customer's order in turn.
    #[arg(long, default_value_t = 200.0)]
    pub rate: f64,
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    #[arg(long, default_value = "routing")]
    pub name: String,
}

struct PlacedOrder {
    id: i64,
    token: String,
}

pub async fn run(binary: &PathBuf, args: &RoutingArgs) -> Result<Report, String> {
    let changes = (args.rate * args.seconds as f64).round().max(1.0) as usize;
    if changes > args.customers * STATUSES.len() {
        return Err(format!(
            "{changes} changes would move some orders past collected: use more customers or fewer changes"
        ));
    }
    let server = Server::start(binary, &[]).await?;
    let http = reqwest::Client::builder().pool_max_idle_per_host(512).build().map_err(|err| err.to_string())?;
    let orders = place_orders(&server, &http, args.customers).await?;
    let rss_before = server.rss_bytes();

    // Each customer on their own order, by its token, as the order page does.
    let times = SendTimes::new(changes);
    let (stop_tx, stop_rx) = watch::channel(false);
    let connected = Arc::new(AtomicUsize::new(0));
    let handshakes = Arc::new(Semaphore::new(256));
    let customers = args.customers;
    let subscribers: Vec<_> = orders
        .iter()
        .enumerate()
        .map(|(k, order)| {
            let endpoint = Arc::new(Endpoint {
                url: format!("ws://{}/ws?feed=order&token={}", server.addr, order.token),
                cookie: None,
                hello: true,
            });
            // Change i moves order i % customers: this customer's j-th event is change k + j·customers.
            let task = subscriber::subscribe(
                endpoint,
                times.clone(),
                stop_rx.clone(),
                connected.clone(),
                handshakes.clone(),
                move |_, j| Some(k + j * customers),
            );
            tokio::spawn(task)
        })
        .collect();
    subscriber::all_connected(&connected, customers).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = Idle::measure(&server, rss_before);

    // Open loop, as staff tapping "next" on the board: change i moves order i % customers on.
    let cookie = server.cookie.clone().unwrap_or_default();
    let sends = open_loop::send(args.rate, changes, &times, |i| {
        let (k, status) = (i % customers, STATUSES[i / customers]);
        http.post(format!("{}/api/set_order_status", server.base))
            .header("cookie", &cookie)
            .json(&serde_json::json!({ "order_id": orders[k].id, "status": status }))
    })
    .await;
    let (run, tallies) =
        fanout::finish(&server, &args.name, args.rate, args.seconds, idle, stop_tx, subscribers).await?;
    // Each customer should have seen every accepted change to their order.
    let mut expected = vec![0usize; customers];
    for (i, accepted) in sends.accepted.iter().enumerate() {
        expected[i % customers] += usize::from(*accepted);
    }
    Ok(Report::new(run, "status changes", sends, &tallies, |k| expected[k]))
}

/// Places one order per customer, 64 at a time, named `lg-<k>`.
async fn place_orders(server: &Server, http: &reqwest::Client, count: usize) -> Result<Vec<PlacedOrder>, String> {
    let started = Instant::now();
    let placed: Vec<Result<PlacedOrder, String>> = stream::iter(0..count)
        .map(|k| async move {
            let answer: serde_json::Value = server
                .publish(http, k)
                .send()
                .await
                .map_err(|err| err.to_string())?
                .json()
                .await
                .map_err(|err| err.to_string())?;
            match (answer["order"]["id"].as_i64(), answer["token"].as_str()) {
                (Some(id), Some(token)) => Ok(PlacedOrder { id, token: token.to_string() }),
                _ => Err(format!("an order was refused: {answer}")),
            }
        })
        .buffered(64)
        .collect()
        .await;
    let orders = placed.into_iter().collect::<Result<Vec<_>, _>>()?;
    println!("placed {count} orders in {:.1} s", started.elapsed().as_secs_f64());
    Ok(orders)
}

//! Capacity past one machine: several instances of Pizzeria Live on one PostgreSQL. Orders go
//! to every instance but the last, open-loop, at rising rates; kitchen screens on the last
//! instance measure publish→receive across instances. The run stops at the first rate whose
//! p99 order latency passes the target. While each step runs, PostgreSQL is sampled for
//! backends waiting on a lock: every event append takes the event log's table lock, so this
//! shows whether that lock is what limits the cluster.

use crate::open_loop;
use crate::report::Latencies;
use crate::server::Server;
use crate::subscriber::{self, Endpoint, SendTimes};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

#[derive(Clone, Debug, clap::Args)]
pub struct ClusterArgs {
    /// Instances on the one database (orders go to all but the last; screens are on the last).
    #[arg(long, default_value_t = 3)]
    pub instances: usize,
    /// Pizzerias the orders are spread over (the screens watch the first).
    #[arg(long, default_value_t = 1)]
    pub pizzerias: usize,
    /// Kitchen screens on the last instance.
    #[arg(long, default_value_t = 20)]
    pub screens: usize,
    /// Orders per second, one step each, until the p99 order latency passes `target_ms`.
    #[arg(long, value_delimiter = ',', default_value = "250,500,750,1000,1500,2000,3000")]
    pub rates: Vec<f64>,
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// The p99 order latency (ms) past which the cluster is at capacity.
    #[arg(long, default_value_t = 25.0)]
    pub target_ms: f64,
    /// The PostgreSQL server; a fresh database is made on it for the run and dropped after.
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
    pub postgres: String,
    #[arg(long, default_value = "cluster")]
    pub name: String,
}

/// One rate's results.
pub struct Step {
    pub rate: f64,
    pub placed: usize,
    pub sent: usize,
    pub orders_per_sec: f64,
    pub order_latency: Latencies,
    pub delivery_latency: Latencies,
    pub missing: usize,
    pub duplicates: usize,
    /// Share of PostgreSQL samples in which some backend waited on a lock, and the most
    /// waiting at once.
    pub lock_wait_share: f64,
    pub most_waiting: i64,
}

pub struct Capacity {
    pub args: ClusterArgs,
    pub steps: Vec<Step>,
}

pub async fn run(binary: &PathBuf, args: &ClusterArgs) -> Result<Capacity, String> {
    if args.instances < 2 {
        return Err("a cluster needs at least two instances".into());
    }
    let database = Database::create(&args.postgres).await?;
    let outcome = measure(binary, args, &database.url).await;
    database.drop_it().await;
    outcome.map(|steps| Capacity { args: args.clone(), steps })
}

async fn measure(binary: &PathBuf, args: &ClusterArgs, url: &str) -> Result<Vec<Step>, String> {
    let hosts: Vec<Option<String>> =
        (0..args.pizzerias).map(|index| (index > 0).then(|| format!("p{index}.bench.test"))).collect();
    // The pizzerias exist before any instance starts, so every instance knows their hosts.
    for (index, host) in hosts.iter().enumerate().skip(1) {
        let slug = format!("p{index}");
        let host = host.clone().unwrap_or_default();
        let status = tokio::process::Command::new(binary)
            .args(["create-location", "--slug", &slug, "--name", &slug, "--host", &host])
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .status()
            .await
            .map_err(|err| err.to_string())?;
        if !status.success() {
            return Err(format!("create-location {slug} failed"));
        }
    }
    let mut instances = Vec::with_capacity(args.instances);
    for index in 0..args.instances {
        let env = [("PIZZERIA_INSTANCE", format!("bench-{index}"))];
        instances.push(Server::start_on(binary, url, &env, index == 0).await?);
    }
    // Each pizzeria's own first pizza: menus, and so item ids, are per pizzeria.
    let mut items = Vec::with_capacity(hosts.len());
    let http = reqwest::Client::new();
    for host in &hosts {
        let mut request = http.get(format!("{}/api/v1/menu", instances[0].base));
        if let Some(host) = host {
            request = request.header("host", host);
        }
        let menu: serde_json::Value =
            request.send().await.map_err(|e| e.to_string())?.json().await.map_err(|e| e.to_string())?;
        items.push(menu["items"][0]["id"].as_i64().ok_or("a menu without items")?);
    }
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .map_err(|err| format!("connect to {url}: {err}"))?;
    let mut steps = Vec::new();
    // Orders are numbered across the whole run: a number (and so an idempotency key) used
    // again would find the earlier order instead of placing one.
    let mut first_number = 0;
    for &rate in &args.rates {
        let step = step(&instances, &hosts, &items, args, rate, first_number, &pool).await?;
        first_number += step.sent;
        step.print();
        let over = step.order_latency.ms(0.99) > args.target_ms || step.placed < step.sent;
        steps.push(step);
        if over {
            break;
        }
    }
    pool.close().await;
    Ok(steps)
}

async fn step(
    instances: &[Server],
    hosts: &[Option<String>],
    items: &[i64],
    args: &ClusterArgs,
    rate: f64,
    first_number: usize,
    pool: &sqlx::PgPool,
) -> Result<Step, String> {
    let total = (rate * args.seconds as f64).round().max(1.0) as usize;
    let times = SendTimes::new(total);
    let (stop_tx, stop_rx) = watch::channel(false);
    let (senders, watched) = instances.split_at(instances.len() - 1);
    let watched = &watched[0];
    let endpoint = Arc::new(Endpoint {
        url: format!("ws://{}/ws?feed=kitchen", watched.addr),
        cookie: watched.cookie.clone(),
        hello: true,
    });
    let from_this_step = move |number: Option<usize>, _| number.and_then(|number| number.checked_sub(first_number));
    let screens = subscriber::subscribe_all(endpoint, args.screens, 64, &times, &stop_rx, from_this_step).await?;

    let sampling = tokio::spawn(sample_lock_waits(pool.clone(), stop_rx.clone()));
    let http = reqwest::Client::builder().pool_max_idle_per_host(512).build().map_err(|err| err.to_string())?;
    let pizzerias = hosts.len().max(1);
    let sends = open_loop::send(rate, total, &times, |n| {
        let pizzeria = n % pizzerias;
        let item = items.get(pizzeria).copied().unwrap_or(1);
        let request = senders[n % senders.len()].publish_item(&http, first_number + n, item);
        match &hosts[pizzeria] {
            Some(host) => request.header("host", host),
            None => request,
        }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let _ = stop_tx.send(true);
    let (lock_wait_share, most_waiting) = sampling.await.map_err(|err| err.to_string())?;
    let mut tallies = Vec::with_capacity(screens.len());
    for screen in screens {
        tallies.push(screen.await.map_err(|err| err.to_string())??);
    }
    // Each screen sees the first pizzeria's orders that were placed.
    let watched_orders = (0..total).filter(|n| n % pizzerias == 0 && sends.accepted[*n]).count();
    let counts = subscriber::count(&tallies, |_| watched_orders);
    let mut delivery_latency = Latencies::new();
    for latency in tallies.iter().flat_map(|tally| &tally.latencies_us) {
        delivery_latency.record(*latency);
    }
    Ok(Step {
        rate,
        placed: sends.accepted_count(),
        sent: total,
        orders_per_sec: sends.per_sec(),
        order_latency: sends.latency,
        delivery_latency,
        missing: counts.missing,
        duplicates: counts.duplicates,
        lock_wait_share,
        most_waiting,
    })
}

/// Every 20 ms until `stop`: how many of the database's backends wait on a lock. Answers the
/// share of samples with any waiting, and the most at once.
async fn sample_lock_waits(pool: sqlx::PgPool, mut stop: watch::Receiver<bool>) -> (f64, i64) {
    let (mut samples, mut waiting_samples, mut most) = (0u32, 0u32, 0i64);
    let query = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = tokio::time::sleep(Duration::from_millis(20)) => {
                if let Ok(waiting) = sqlx::query_scalar::<_, i64>(query).fetch_one(&pool).await {
                    samples += 1;
                    waiting_samples += u32::from(waiting > 0);
                    most = most.max(waiting);
                }
            }
        }
    }
    (f64::from(waiting_samples) / f64::from(samples.max(1)), most)
}

/// A database made for one run, dropped after it.
struct Database {
    server: String,
    name: String,
    url: String,
}

impl Database {
    async fn create(server: &str) -> Result<Database, String> {
        let name = format!("pizzeria_bench_{}", std::process::id());
        let admin = format!("{}/postgres", server.trim_end_matches('/'));
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .map_err(|err| format!("connect to {admin}: {err}"))?;
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}")).execute(&mut conn).await.map_err(|e| e.to_string())?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.map_err(|e| e.to_string())?;
        let url = format!("{}/{name}", server.trim_end_matches('/'));
        Ok(Database { server: admin, name, url })
    }

    async fn drop_it(self) {
        if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&self.server).await {
            let _ =
                sqlx::query(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut conn).await;
        }
    }
}

impl Step {
    fn print(&self) {
        println!(
            "{:>6.0}/s asked: {:>7.1} orders/s placed ({}/{}), order {}; screens on the other instance {}; \
             lock waits in {:.0} % of samples (at most {}); missing {}, duplicates {}",
            self.rate,
            self.orders_per_sec,
            self.placed,
            self.sent,
            self.order_latency.line(),
            self.delivery_latency.line(),
            self.lock_wait_share * 100.0,
            self.most_waiting,
            self.missing,
            self.duplicates
        );
    }
}

impl Capacity {
    /// The highest rate whose p99 order latency met the target with every order placed.
    pub fn capacity(&self) -> Option<&Step> {
        self.steps
            .iter()
            .rev()
            .find(|step| step.order_latency.ms(0.99) <= self.args.target_ms && step.placed == step.sent)
    }

    pub fn lossless(&self) -> bool {
        self.steps.iter().all(|step| step.missing == 0 && step.duplicates == 0)
    }

    pub fn print(&self) {
        match self.capacity() {
            Some(step) => println!(
                "{}: {} instances, {} pizzeria(s): capacity {:.0} orders/s with p99 order latency {:.2} ms \
                 (target {} ms), publish→receive p99 {:.2} ms on the other instance",
                self.args.name,
                self.args.instances,
                self.args.pizzerias,
                step.orders_per_sec,
                step.order_latency.ms(0.99),
                self.args.target_ms,
                step.delivery_latency.ms(0.99)
            ),
            None => println!("{}: no rate met the target of {} ms", self.args.name, self.args.target_ms),
        }
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let steps: Vec<_> = self
            .steps
            .iter()
            .map(|step| {
                json!({
                    "rate": step.rate, "sent": step.sent, "placed": step.placed,
                    "orders_per_sec": step.orders_per_sec,
                    "order_latency": step.order_latency.summary(),
                    "delivery_latency": step.delivery_latency.summary(),
                    "missing": step.missing, "duplicates": step.duplicates,
                    "lock_wait_share": step.lock_wait_share, "most_waiting_on_a_lock": step.most_waiting,
                })
            })
            .collect();
        let result = json!({
            "name": self.args.name, "instances": self.args.instances, "pizzerias": self.args.pizzerias,
            "screens": self.args.screens, "seconds_per_step": self.args.seconds, "target_p99_ms": self.args.target_ms,
            "capacity_orders_per_sec": self.capacity().map(|step| step.orders_per_sec),
            "steps": steps,
        });
        let text = serde_json::to_string_pretty(&result).map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("{}.json", self.args.name)), text)
    }
}

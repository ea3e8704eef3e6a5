//! Load generator for Pizzeria Live. It starts the real server on loopback with a fresh
//! database (or a baseline broadcast server from `benches/`), opens WebSocket subscribers
//! signed in as real clients are, sends through the endpoints the browser uses, open-loop at a
//! fixed rate (never waiting for one answer before the next send), and reports
//! publish→receive latency over every delivery, deliveries per second, server memory per idle
//! subscriber, send latency, and missing or duplicate events. See BENCHMARKS.md.

mod baselines;
mod cluster;
mod fanout;
mod open_loop;
mod page;
mod progress;
mod report;
mod routing;
mod server;
mod storm;
mod subscriber;

use clap::{Parser, Subcommand};
use fanout::RunArgs;
use routing::RoutingArgs;
use server::Kind;
use std::path::{Path, PathBuf};
use storm::StormArgs;

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

#[derive(Clone, Subcommand)]
enum Command {
    /// (a), (c) Fan-out on one kitchen feed: N subscribers, orders at a fixed rate.
    Fanout(RunArgs),
    /// (b) Routing: N customers each on their own order, status changes at a fixed rate.
    Routing(RoutingArgs),
    /// (d) Reconnect storm: N kitchen screens cut by a server restart.
    Storm(StormArgs),
    /// (f) The fan-out run against Pizzeria Live and the baselines: axum, Node.js and the floor.
    Baselines(baselines::BaselineArgs),
    /// (g) Capacity past one machine: instances on one PostgreSQL, rising order rates.
    Cluster(cluster::ClusterArgs),
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
    /// (b) 10,000 customers on their own orders, 200 status changes/s.
    Routing10k,
    /// (b) the same with 1,000 customers, to compare the work per change.
    Routing1k,
    /// (c) orders at the target rate, 3,000/s, with 2 kitchen screens (`fanout --rate` finds the ceiling).
    Throughput,
    /// (d) 10,000 kitchen screens cut by a restart.
    Storm10k,
    /// (f) (a)'s three loads against Pizzeria Live and the baselines, three rounds each.
    Baselines1k,
    Baselines10kSlow,
    Baselines10kFast,
    /// (g) 3 instances on PostgreSQL, one pizzeria, 20 screens, 250 to 3,000 orders/s (5 s each).
    Cluster3,
    /// (g) the same with the orders spread over 4 pizzerias.
    Cluster3Pizzerias4,
    /// CI's smoke run: 200 subscribers for 5 s; fails on any missing or duplicate event.
    Smoke,
    /// CI: (b) with 200 customers for 3 s; fails on any missing or duplicate event.
    RoutingSmoke,
    /// CI: (d) with 200 screens; fails on any missing or duplicate event.
    StormSmoke,
    /// CI: (f) with 200 subscribers for 3 s, so the baselines keep working.
    BaselinesSmoke,
}

impl Scenario {
    fn command(self) -> Command {
        let fanout = |name: &str, subscribers, rate, seconds| RunArgs {
            subscribers,
            rate,
            seconds,
            name: name.into(),
            check: true,
            server: Kind::Pizzeria,
        };
        // The named loads run three rounds, the smoke run one: ratios are taken between
        // median p99s (see `baselines`).
        let baselines = |name: &str, subscribers, rate, seconds, rounds| baselines::BaselineArgs {
            run: fanout(name, subscribers, rate, seconds),
            rounds,
        };
        let routing =
            |name: &str, customers, seconds| RoutingArgs { customers, rate: 200.0, seconds, name: name.into() };
        let storm = |name: &str, subscribers, before, after| StormArgs {
            subscribers,
            rate: 20.0,
            before,
            after,
            name: name.into(),
        };
        let cluster = |name: &str, pizzerias| cluster::ClusterArgs {
            instances: 3,
            pizzerias,
            screens: 20,
            rates: vec![250.0, 500.0, 750.0, 1000.0, 1500.0, 2000.0, 3000.0],
            seconds: 5,
            target_ms: 25.0,
            postgres: std::env::var("LOADGEN_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into()),
            name: name.into(),
        };
        match self {
            Scenario::Fanout1k => Command::Fanout(fanout("fanout-1k-20", 1000, 20.0, 15)),
            Scenario::Fanout10kSlow => Command::Fanout(fanout("fanout-10k-2", 10_000, 2.0, 20)),
            Scenario::Fanout10kFast => Command::Fanout(fanout("fanout-10k-10", 10_000, 10.0, 20)),
            Scenario::Routing10k => Command::Routing(routing("routing-10k-200", 10_000, 10)),
            Scenario::Routing1k => Command::Routing(routing("routing-1k-200", 1_000, 10)),
            Scenario::Throughput => Command::Fanout(fanout("throughput", 2, 3000.0, 10)),
            Scenario::Storm10k => Command::Storm(storm("storm-10k", 10_000, 3, 8)),
            Scenario::Baselines1k => Command::Baselines(baselines("baselines-1k-20", 1000, 20.0, 15, 3)),
            Scenario::Baselines10kSlow => Command::Baselines(baselines("baselines-10k-2", 10_000, 2.0, 20, 3)),
            Scenario::Baselines10kFast => Command::Baselines(baselines("baselines-10k-10", 10_000, 10.0, 20, 3)),
            Scenario::Cluster3 => Command::Cluster(cluster("cluster-3", 1)),
            Scenario::Cluster3Pizzerias4 => Command::Cluster(cluster("cluster-3-pizzerias-4", 4)),
            Scenario::Smoke => Command::Fanout(fanout("smoke", 200, 20.0, 5)),
            Scenario::RoutingSmoke => Command::Routing(routing("routing-smoke", 200, 3)),
            Scenario::StormSmoke => Command::Storm(storm("storm-smoke", 200, 2, 3)),
            Scenario::BaselinesSmoke => Command::Baselines(baselines("baselines-smoke", 200, 20.0, 3, 1)),
        }
    }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    // 10,000 sockets need 10,000 descriptors here and as many in the server, which inherits it.
    if let Err(err) = rlimit::increase_nofile_limit(u64::MAX) {
        eprintln!("could not raise the file-descriptor limit: {err}");
    }
    let binary = cli.server_bin.clone().unwrap_or_else(server::default_binary);
    let outcome = execute(&binary, &cli.out, cli.command).await;
    match outcome {
        Ok(true) => {}
        Ok(false) => {
            eprintln!("FAILED: events were lost or duplicated");
            std::process::exit(1);
        }
        Err(err) => {
            eprintln!("loadgen: {err}");
            std::process::exit(2);
        }
    }
}

/// Runs one command: `Ok(false)` when events were lost or duplicated where that fails it.
async fn execute(binary: &PathBuf, out: &Path, command: Command) -> Result<bool, String> {
    match command {
        Command::Fanout(args) => fanout::run(binary, &args).await.map(|report| {
            finish(out, || report.print(), |dir| report.save(dir));
            !args.check || report.lossless()
        }),
        Command::Routing(args) => routing::run(binary, &args).await.map(|report| {
            finish(out, || report.print(), |dir| report.save(dir));
            report.lossless()
        }),
        Command::Storm(args) => storm::run(binary, &args).await.map(|report| {
            finish(out, || report.print(), |dir| report.save(dir));
            report.lossless()
        }),
        Command::Baselines(args) => baselines::run(binary, &args).await.map(|comparison| {
            finish(out, || comparison.print(), |dir| comparison.save(dir));
            // The baselines may drop messages when saturated; ours must never. The floor is
            // checked too: it drops only a socket that cannot take a frame, so a loss at a
            // light load (the smoke's) means it is broken and its figures would mislead.
            !args.run.check || [Kind::Pizzeria, Kind::Floor].into_iter().all(|kind| comparison.lossless(kind))
        }),
        Command::Cluster(args) => cluster::run(binary, &args).await.map(|capacity| {
            finish(out, || capacity.print(), |dir| capacity.save(dir));
            capacity.lossless()
        }),
        Command::Page => page::run(binary).await.map(|report| {
            finish(out, || report.print(), |dir| report.save(dir));
            true
        }),
        Command::Scenario { name } => Box::pin(execute(binary, out, name.command())).await,
    }
}

/// Prints a result and writes its files.
fn finish(out: &Path, print: impl FnOnce(), save: impl FnOnce(&Path) -> std::io::Result<()>) {
    print();
    if let Err(err) = save(out) {
        eprintln!("could not write results to {}: {err}", out.display());
    }
}

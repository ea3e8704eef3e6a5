//! Scenario (f): the same fan-out run against Pizzeria Live and the two baseline servers under
//! `benches/` (a plain Node.js `ws` broadcast, the leanest axum broadcast), one after the
//! other, and the ratios of their p99 latencies.

use crate::fanout::{self, RunArgs};
use crate::report::Report;
use crate::server::Kind;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Pizzeria Live's p99 must be at least this many times better than Node's `ws`…
const BEAT_NODE_BY: f64 = 3.0;
/// …and at most this many times the leanest axum broadcast's.
const WITHIN_AXUM: f64 = 1.5;

pub struct Comparison {
    name: String,
    reports: Vec<Report>,
}

pub async fn run(binary: &PathBuf, args: &RunArgs) -> Result<Comparison, String> {
    let mut reports = Vec::new();
    for kind in [Kind::Pizzeria, Kind::Axum, Kind::Node] {
        let run = RunArgs {
            server: kind,
            name: format!("{}-{}", args.name, kind.name()),
            ..args.clone()
        };
        let report = fanout::run(binary, &run).await?;
        report.print();
        reports.push(report);
    }
    Ok(Comparison {
        name: args.name.clone(),
        reports,
    })
}

impl Comparison {
    pub fn lossless(&self, kind: Kind) -> bool {
        self.reports
            .iter()
            .any(|report| report.server == kind.name() && report.lossless())
    }

    fn p99_ms(&self, kind: Kind) -> Option<f64> {
        let report = self
            .reports
            .iter()
            .find(|report| report.server == kind.name())?;
        Some(report.delivery_latency.ms(0.99)).filter(|_| report.deliveries > 0)
    }

    fn results(&self) -> serde_json::Value {
        let (ours, axum, node) = (
            self.p99_ms(Kind::Pizzeria),
            self.p99_ms(Kind::Axum),
            self.p99_ms(Kind::Node),
        );
        let node_over_ours = ours.zip(node).map(|(ours, node)| node / ours);
        let ours_over_axum = ours.zip(axum).map(|(ours, axum)| ours / axum);
        json!({
            "name": self.name,
            "p99_ms": { "pizzeria": ours, "axum-broadcast": axum, "node-ws": node },
            "lossless": self.reports.iter().map(|report| (report.server, report.lossless())).collect::<std::collections::BTreeMap<_, _>>(),
            "kib_per_idle_subscriber": self.reports.iter().map(|report| (report.server, report.kib_per_subscriber())).collect::<std::collections::BTreeMap<_, _>>(),
            "node_p99_over_pizzeria_p99": node_over_ours,
            "pizzeria_p99_over_axum_p99": ours_over_axum,
            "beats_node_3x": node_over_ours.map(|ratio| ratio >= BEAT_NODE_BY),
            "within_1_5x_of_axum": ours_over_axum.map(|ratio| ratio <= WITHIN_AXUM),
        })
    }

    pub fn print(&self) {
        println!("== {}: p99 publish→receive", self.name);
        println!(
            "{}",
            serde_json::to_string_pretty(&self.results()).unwrap_or_default()
        );
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        for report in &self.reports {
            report.save(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        std::fs::write(
            dir.join(format!("{}.json", self.name)),
            serde_json::to_string_pretty(&self.results())?,
        )
    }
}

//! Scenario (f): the same fan-out run against Pizzeria Live and the baseline servers under
//! `benches/` (a plain Node.js `ws` broadcast, the leanest axum broadcast, and the floor: one
//! write per socket from a loop per core, no task per subscriber), one after the other, and
//! the ratios of their p99 latencies.
//!
//! The floor says how far any server could go on this machine: Node's p99 over the floor's
//! is the largest lead over Node that a server delivering one frame per socket could show
//! here, with the load generator on the same cores.
//!
//! One run of a server can be twice as slow as the next on the same machine, so a ratio from
//! one pair of runs says little. With `--rounds N` the servers take turns N times (each
//! round starting with the next one, so none always runs first) and the ratios are taken
//! between the servers' median p99s; each round's ratios are reported too.

use crate::fanout::{self, RunArgs};
use crate::report::{Latencies, Report};
use crate::server::Kind;
use serde_json::json;
use std::path::{Path, PathBuf};

/// Pizzeria Live's p99 must be at least this many times better than Node's `ws`…
const BEAT_NODE_BY: f64 = 3.0;
/// …and at most this many times the leanest axum broadcast's.
const WITHIN_AXUM: f64 = 1.5;

const SERVERS: [Kind; 4] = [Kind::Pizzeria, Kind::Axum, Kind::Node, Kind::Floor];

#[derive(Clone, Debug, clap::Args)]
pub struct BaselineArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// How many times each server runs, taking turns.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=9))]
    pub rounds: u32,
}

pub struct Comparison {
    name: String,
    /// Each round's reports, in the order the servers ran.
    rounds: Vec<Vec<Report>>,
}

pub async fn run(binary: &PathBuf, args: &BaselineArgs) -> Result<Comparison, String> {
    let mut rounds = Vec::new();
    for round in 0..args.rounds as usize {
        let mut reports = Vec::new();
        for kind in SERVERS.iter().cycle().skip(round % SERVERS.len()).take(SERVERS.len()) {
            let name = match args.rounds {
                1 => format!("{}-{}", args.run.name, kind.name()),
                _ => format!("{}-{}-round{}", args.run.name, kind.name(), round + 1),
            };
            let report = fanout::run(binary, &RunArgs { server: *kind, name, ..args.run.clone() }).await?;
            report.print();
            reports.push(report);
        }
        rounds.push(reports);
    }
    Ok(Comparison { name: args.run.name.clone(), rounds })
}

/// The p99s of one round, or the medians over all rounds.
#[derive(Clone, Copy, Debug, PartialEq)]
struct P99s {
    pizzeria: Option<f64>,
    axum: Option<f64>,
    node: Option<f64>,
    floor: Option<f64>,
}

impl P99s {
    fn of(reports: &[Report]) -> P99s {
        let p99 = |kind: Kind| {
            reports
                .iter()
                .find(|report| report.server == kind.name() && report.deliveries > 0)
                .map(|report| report.delivery_latency.ms(0.99))
        };
        P99s { pizzeria: p99(Kind::Pizzeria), axum: p99(Kind::Axum), node: p99(Kind::Node), floor: p99(Kind::Floor) }
    }

    fn median(rounds: &[P99s]) -> P99s {
        P99s {
            pizzeria: median(rounds.iter().filter_map(|p99s| p99s.pizzeria)),
            axum: median(rounds.iter().filter_map(|p99s| p99s.axum)),
            node: median(rounds.iter().filter_map(|p99s| p99s.node)),
            floor: median(rounds.iter().filter_map(|p99s| p99s.floor)),
        }
    }

    fn node_over_ours(&self) -> Option<f64> {
        self.pizzeria.zip(self.node).map(|(ours, node)| node / ours)
    }

    fn ours_over_axum(&self) -> Option<f64> {
        self.pizzeria.zip(self.axum).map(|(ours, axum)| ours / axum)
    }

    /// The largest lead over Node any server could show here.
    fn node_over_floor(&self) -> Option<f64> {
        self.floor.zip(self.node).map(|(floor, node)| node / floor)
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "p99_ms": { "pizzeria": self.pizzeria, "axum-broadcast": self.axum, "node-ws": self.node, "floor": self.floor },
            "node_p99_over_pizzeria_p99": self.node_over_ours(),
            "pizzeria_p99_over_axum_p99": self.ours_over_axum(),
            "node_p99_over_floor_p99": self.node_over_floor(),
        })
    }
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut values: Vec<f64> = values.collect();
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[middle]),
        _ => Some((values[middle - 1] + values[middle]) / 2.0),
    }
}

impl Comparison {
    fn reports(&self) -> impl Iterator<Item = &Report> {
        self.rounds.iter().flatten()
    }

    /// Whether every run of `kind` delivered every event exactly once.
    pub fn lossless(&self, kind: Kind) -> bool {
        let mut runs = self.reports().filter(|report| report.server == kind.name()).peekable();
        runs.peek().is_some() && runs.all(Report::lossless)
    }

    fn results(&self) -> serde_json::Value {
        let rounds: Vec<P99s> = self.rounds.iter().map(|reports| P99s::of(reports)).collect();
        let medians = P99s::median(&rounds);
        let (node_over_ours, ours_over_axum) = (medians.node_over_ours(), medians.ours_over_axum());
        let per_server = |value: fn(&Report) -> serde_json::Value| {
            SERVERS
                .iter()
                .map(|kind| {
                    let values: Vec<_> =
                        self.reports().filter(|report| report.server == kind.name()).map(value).collect();
                    (kind.name(), values)
                })
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        // The medians over the rounds and the ratios between them, then the verdicts and the rest.
        let mut results = medians.json();
        results.as_object_mut().expect("P99s::json is an object").extend(
            json!({
                "name": self.name,
                "rounds": rounds.len(),
                "beats_node_3x": node_over_ours.map(|ratio| ratio >= BEAT_NODE_BY),
                "within_1_5x_of_axum": ours_over_axum.map(|ratio| ratio <= WITHIN_AXUM),
                "each_round": rounds.iter().map(P99s::json).collect::<Vec<_>>(),
                "lossless": per_server(|report| report.lossless().into()),
                "kib_per_idle_subscriber": per_server(|report| report.kib_per_subscriber().into()),
            })
            .as_object()
            .cloned()
            .unwrap_or_default(),
        );
        results
    }

    pub fn print(&self) {
        println!("== {}: p99 publish→receive", self.name);
        println!("{}", serde_json::to_string_pretty(&self.results()).unwrap_or_default());
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        for report in self.reports() {
            report.save(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join(format!("{}.json", self.name)), serde_json::to_string_pretty(&self.results())?)?;
        std::fs::write(dir.join(format!("{}-percentiles.svg", self.name)), self.percentile_chart())
    }

    /// Every server's deliveries over all its rounds, as curves on one chart.
    fn percentile_chart(&self) -> String {
        let merged: Vec<(&str, Latencies)> = SERVERS
            .iter()
            .map(|kind| {
                let mut all = Latencies::new();
                for report in self.reports().filter(|report| report.server == kind.name()) {
                    all.add(&report.delivery_latency);
                }
                (kind.name(), all)
            })
            .collect();
        let servers: Vec<(&str, &Latencies)> = merged.iter().map(|(name, latency)| (*name, latency)).collect();
        let title = format!("{}: publish→receive latency by percentile", self.name);
        crate::report::percentile_curves_svg(&title, &servers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_value() {
        assert_eq!(median([].into_iter()), None);
        assert_eq!(median([7.0].into_iter()), Some(7.0));
        assert_eq!(median([30.0, 10.0, 250.0].into_iter()), Some(30.0), "one slow run does not decide it");
        assert_eq!(median([4.0, 1.0, 3.0, 2.0].into_iter()), Some(2.5));
    }

    #[test]
    fn ratios_are_taken_between_the_medians() {
        let round = |pizzeria, axum, node, floor| P99s {
            pizzeria: Some(pizzeria),
            axum: Some(axum),
            node: Some(node),
            floor: Some(floor),
        };
        let medians = P99s::median(&[
            round(258.0, 99.0, 123.0, 60.0),
            round(118.0, 134.0, 161.0, 70.0),
            round(123.0, 110.0, 157.0, 80.0),
        ]);
        assert_eq!(medians, round(123.0, 110.0, 157.0, 70.0));
        assert_eq!(medians.ours_over_axum(), Some(123.0 / 110.0));
        assert_eq!(medians.node_over_ours(), Some(157.0 / 123.0));
        assert_eq!(medians.node_over_floor(), Some(157.0 / 70.0));
        let missing = P99s { node: None, ..round(1.0, 1.0, 1.0, 1.0) };
        assert_eq!(missing.node_over_ours(), None, "a server that delivered nothing has no ratio");
        assert_eq!(missing.node_over_floor(), None);
    }
}

//! Percentiles, the printed summary, the JSON results and the latency histogram plot.

use crate::open_loop::Sends;
use crate::subscriber::Tally;
use hdrhistogram::Histogram;
use serde_json::json;
use std::path::Path;

/// Latencies in µs, from 1 µs to 60 s, 3 significant digits.
pub struct Latencies(Histogram<u64>);

impl Latencies {
    pub fn new() -> Latencies {
        Latencies(Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid bounds"))
    }

    pub fn record(&mut self, micros: u64) {
        self.0.saturating_record(micros.max(1));
    }

    /// Adds another run's samples (same bounds, so this cannot fail).
    pub fn add(&mut self, other: &Latencies) {
        let _ = self.0.add(&other.0);
    }

    pub fn ms(&self, quantile: f64) -> f64 {
        self.0.value_at_quantile(quantile) as f64 / 1000.0
    }

    pub fn summary(&self) -> serde_json::Value {
        json!({
            "count": self.0.len(),
            "p50_ms": self.ms(0.50), "p95_ms": self.ms(0.95), "p99_ms": self.ms(0.99),
            "max_ms": self.0.max() as f64 / 1000.0,
        })
    }

    pub fn line(&self) -> String {
        if self.0.is_empty() {
            return "no samples".into();
        }
        format!(
            "p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
            self.ms(0.50),
            self.ms(0.95),
            self.ms(0.99),
            self.0.max() as f64 / 1000.0,
            self.0.len()
        )
    }
}

pub struct Report {
    pub name: String,
    /// Which server was measured (see `server::Kind`).
    pub server: &'static str,
    /// What each send was: "orders", "messages", "status changes".
    pub sends: &'static str,
    pub subscribers: usize,
    pub rate: f64,
    pub seconds: u64,
    pub orders_sent: usize,
    pub orders_placed: usize,
    pub orders_per_sec: f64,
    pub order_latency: Latencies,
    pub delivery_latency: Latencies,
    pub deliveries: usize,
    pub deliveries_per_sec: f64,
    pub missing: usize,
    pub duplicates: usize,
    /// Subscribers the server disconnected during the run.
    pub cut_off: usize,
    pub rss_before: Option<u64>,
    pub rss_idle: Option<u64>,
    pub rss_after: Option<u64>,
    /// CPU time the server used from the first send to the end of the draining.
    pub server_cpu_seconds: Option<f64>,
    /// The same for the load generator, which shares the machine's cores with the server.
    pub loadgen_cpu_seconds: Option<f64>,
}

/// What a run was, besides its sends and deliveries.
pub struct Run {
    pub name: String,
    pub server: &'static str,
    pub rate: f64,
    pub seconds: u64,
    /// Server RSS alone, with the subscribers idle, and at the end.
    pub rss: [Option<u64>; 3],
    pub server_cpu_seconds: Option<f64>,
    pub loadgen_cpu_seconds: Option<f64>,
}

impl Report {
    /// Sums a run up: `expected(i)` is how many distinct events subscriber `i` should have.
    pub fn new(
        run: Run,
        sends_are: &'static str,
        sends: Sends,
        tallies: &[Tally],
        expected: impl Fn(usize) -> usize,
    ) -> Report {
        let counts = crate::subscriber::count(tallies, expected);
        let mut delivery_latency = Latencies::new();
        for latency in tallies.iter().flat_map(|tally| &tally.latencies_us) {
            delivery_latency.record(*latency);
        }
        let [rss_before, rss_idle, rss_after] = run.rss;
        Report {
            name: run.name,
            server: run.server,
            sends: sends_are,
            subscribers: tallies.len(),
            rate: run.rate,
            seconds: run.seconds,
            orders_sent: sends.accepted.len(),
            orders_placed: sends.accepted_count(),
            orders_per_sec: sends.per_sec(),
            deliveries_per_sec: counts.deliveries as f64 / sends.answered_secs.max(0.001),
            order_latency: sends.latency,
            delivery_latency,
            deliveries: counts.deliveries,
            missing: counts.missing,
            duplicates: counts.duplicates,
            cut_off: counts.cut_off,
            rss_before,
            rss_idle,
            rss_after,
            server_cpu_seconds: run.server_cpu_seconds,
            loadgen_cpu_seconds: run.loadgen_cpu_seconds,
        }
    }

    pub fn lossless(&self) -> bool {
        self.missing == 0 && self.duplicates == 0 && self.cut_off == 0 && self.orders_placed == self.orders_sent
    }

    /// Server memory per idle subscriber, in KiB: the growth from no subscriber to all of
    /// them connected and idle.
    pub fn kib_per_subscriber(&self) -> Option<f64> {
        let (before, idle) = (self.rss_before?, self.rss_idle?);
        Some(idle.saturating_sub(before) as f64 / 1024.0 / self.subscribers.max(1) as f64)
    }

    pub fn print(&self) {
        let mib = |bytes: Option<u64>| bytes.map_or("?".into(), |b| format!("{:.1} MiB", b as f64 / 1048576.0));
        println!(
            "== {} ({}): {} subscribers, {} events/s for {} s",
            self.name, self.server, self.subscribers, self.rate, self.seconds
        );
        println!(
            "{}: {} sent, {} succeeded, {:.0}/s; latency {}",
            self.sends,
            self.orders_sent,
            self.orders_placed,
            self.orders_per_sec,
            self.order_latency.line()
        );
        println!(
            "deliveries: {} ({:.0}/s); publish→receive {}",
            self.deliveries,
            self.deliveries_per_sec,
            self.delivery_latency.line()
        );
        println!(
            "missing events: {}, duplicates: {}, subscribers cut off: {}",
            self.missing, self.duplicates, self.cut_off
        );
        println!(
            "server RSS: {} alone, {} with the subscribers idle ({} per subscriber), {} at the end",
            mib(self.rss_before),
            mib(self.rss_idle),
            self.kib_per_subscriber().map_or("?".into(), |kib| format!("{kib:.1} KiB")),
            mib(self.rss_after)
        );
        for (who, cpu) in [("server", self.server_cpu_seconds), ("load generator", self.loadgen_cpu_seconds)] {
            if let Some(cpu) = cpu {
                println!(
                    "{who} CPU while sending and draining: {cpu:.2} s ({:.0} µs per delivery)",
                    cpu * 1e6 / self.deliveries.max(1) as f64
                );
            }
        }
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let results = json!({
            "name": self.name, "server": self.server, "sends": self.sends, "subscribers": self.subscribers, "rate": self.rate, "seconds": self.seconds,
            "orders_sent": self.orders_sent, "orders_placed": self.orders_placed, "orders_per_sec": self.orders_per_sec,
            "order_latency": self.order_latency.summary(),
            "delivery_latency": self.delivery_latency.summary(),
            "deliveries": self.deliveries, "deliveries_per_sec": self.deliveries_per_sec,
            "missing": self.missing, "duplicates": self.duplicates, "cut_off": self.cut_off,
            "rss_before": self.rss_before, "rss_idle": self.rss_idle, "rss_after": self.rss_after,
            "kib_per_idle_subscriber": self.kib_per_subscriber(),
            "server_cpu_seconds": self.server_cpu_seconds, "loadgen_cpu_seconds": self.loadgen_cpu_seconds,
        });
        save_results(dir, &self.name, &results, &self.delivery_latency)
    }
}

/// Writes `<name>.json` and the latency plot `<name>-latency.svg`.
pub fn save_results(dir: &Path, name: &str, results: &serde_json::Value, latency: &Latencies) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(format!("{name}.json")), serde_json::to_string_pretty(results)?)?;
    std::fs::write(dir.join(format!("{name}-latency.svg")), histogram_svg(name, latency))
}

/// A bar chart of publish→receive latency: the share of deliveries per bucket, drawn by
/// plotters.
fn histogram_svg(name: &str, latency: &Latencies) -> String {
    use plotters::prelude::*;
    const BOUNDS_MS: [f64; 12] = [1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0, 2500.0, f64::INFINITY];
    let histogram = &latency.0;
    let total = histogram.len().max(1) as f64;
    let mut previous = 0u64;
    let shares: Vec<(String, f64)> = BOUNDS_MS
        .iter()
        .map(|bound| {
            let upto =
                if bound.is_finite() { histogram.count_between(0, (*bound * 1000.0) as u64) } else { histogram.len() };
            let percent = (upto.saturating_sub(previous)) as f64 / total * 100.0;
            previous = upto;
            let label = if bound.is_finite() { format!("≤{bound} ms") } else { "more".into() };
            (label, percent)
        })
        .collect();
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (720, 320)).into_drawing_area();
        root.fill(&WHITE)?;
        let caption = format!("{name}: publish→receive latency, share of {} deliveries", histogram.len());
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .build_cartesian_2d((0..shares.len() - 1).into_segmented(), 0.0..100.0)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(shares.len())
            .x_label_formatter(&|bucket| match bucket {
                SegmentValue::CenterOf(index) => shares.get(*index).map(|(label, _)| label.clone()).unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc("% of deliveries")
            .draw()?;
        let red = RGBColor(0xa3, 0x23, 0x1b);
        chart.draw_series(
            Histogram::vertical(&chart)
                .style(red.filled())
                .margin(4)
                .data(shares.iter().enumerate().map(|(index, (_, percent))| (index, *percent))),
        )?;
        root.present()?;
        Ok(())
    })();
    if let Err(err) = drawn {
        eprintln!("could not draw the latency plot of {name}: {err}");
    }
    svg
}

/// Latency against percentile, one curve per server, on one chart: the tail is what differs
/// between servers, so the percentile axis counts nines (50%, 90%, 99%, 99.9%, 99.99%) and the
/// latency axis is logarithmic.
pub fn percentile_curves_svg(title: &str, servers: &[(&str, &Latencies)]) -> String {
    use plotters::prelude::*;
    const NINES: f64 = 4.0;
    const STEPS: usize = 200;
    // x counts nines: q = 1 - 10^-x.
    let curve = |latency: &Latencies| -> Vec<(f64, f64)> {
        (0..=STEPS)
            .map(|step| {
                let nines = NINES * step as f64 / STEPS as f64;
                (nines, latency.ms(1.0 - 10f64.powf(-nines)).max(0.001))
            })
            .collect()
    };
    let curves: Vec<(&str, Vec<(f64, f64)>)> = servers
        .iter()
        .filter(|(_, latency)| !latency.0.is_empty())
        .map(|(name, latency)| (*name, curve(latency)))
        .collect();
    let highest = curves.iter().flat_map(|(_, points)| points.iter().map(|(_, ms)| *ms)).fold(1.0, f64::max);
    let colours = [RGBColor(0xa3, 0x23, 0x1b), RGBColor(0x1f, 0x5f, 0xa8), RGBColor(0x2e, 0x7d, 0x32), BLACK];
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (720, 400)).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            // Room for the last label, "99.99%", centred on the chart's edge.
            .margin_right(32)
            .x_label_area_size(36)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..NINES, (0.01..highest * 1.5).log_scale())?;
        chart
            .configure_mesh()
            .x_labels(NINES as usize + 1)
            .x_label_formatter(&|nines| format!("{}%", 100.0 * (1.0 - 10f64.powf(-nines))))
            .x_desc("percentile")
            .y_desc("publish→receive, ms")
            .draw()?;
        for ((name, points), colour) in curves.iter().zip(colours.iter().cycle()) {
            chart
                .draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2)))?
                .label(*name)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2)));
        }
        chart.configure_series_labels().background_style(WHITE.mix(0.8)).border_style(BLACK).draw()?;
        root.present()?;
        Ok(())
    })();
    if let Err(err) = drawn {
        eprintln!("could not draw {title}: {err}");
    }
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latency_plot_has_a_bar_per_bucket_as_tall_as_its_share() {
        let mut latency = Latencies::new();
        // Three quarters within 1 ms, a quarter between 5 and 10 ms.
        for micros in [300, 600, 900, 7_000] {
            latency.record(micros);
        }
        let svg = histogram_svg("test", &latency);
        assert!(svg.starts_with("<svg") && svg.contains("share of 4 deliveries"), "{svg}");
        assert!(svg.contains("≤1 ms") && svg.contains("more"), "every bucket is labelled: {svg}");
        // Bars are filled rectangles in the bar colour (drawn in no set order); their heights
        // keep the 3:1 ratio.
        let mut heights: Vec<f64> = svg
            .split("<rect")
            .filter(|rect| rect.contains("#A3231B") || rect.contains("#a3231b"))
            .filter_map(|rect| rect.split("height=\"").nth(1)?.split('"').next()?.parse().ok())
            .filter(|height: &f64| *height > 0.0)
            .collect();
        assert_eq!(heights.len(), 2, "{svg}");
        heights.sort_by(f64::total_cmp);
        assert!((heights[1] / heights[0] - 3.0).abs() < 0.1, "{heights:?}");
    }

    #[test]
    fn the_percentile_chart_draws_one_labelled_curve_per_server() {
        let (mut fast, mut slow) = (Latencies::new(), Latencies::new());
        for n in 1..=1000 {
            fast.record(n);
            slow.record(n * 10);
        }
        let svg =
            percentile_curves_svg("fan-out", &[("pizzeria", &fast), ("node-ws", &slow), ("idle", &Latencies::new())]);
        assert!(svg.contains("pizzeria") && svg.contains("node-ws"), "{svg}");
        assert!(!svg.contains(">idle<"), "a server that delivered nothing has no curve");
        assert!(svg.contains("99.9%"), "the percentile axis counts nines: {svg}");
        // Each server's colour draws its curve and its legend's sample; the third colour, none.
        let lines_in = |colour: &str| svg.split("<polyline").filter(|line| line.contains(colour)).count();
        assert_eq!((lines_in("#A3231B"), lines_in("#1F5FA8"), lines_in("#2E7D32")), (2, 2, 0), "{svg}");
    }
}

//! Open-loop sending: one request every 1/rate s, each in its own task, whatever happened to
//! the previous ones, so a slow server cannot hide its latency by slowing the sender.

use crate::report::Latencies;
use crate::subscriber::SendTimes;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How the sends went.
pub struct Sends {
    /// Per send, whether the server accepted it.
    pub accepted: Vec<bool>,
    /// Seconds spent sending, and until the last answer came.
    pub send_secs: f64,
    pub answered_secs: f64,
    /// Request to answer, for the accepted ones.
    pub latency: Latencies,
}

impl Sends {
    pub fn accepted_count(&self) -> usize {
        self.accepted.iter().filter(|accepted| **accepted).count()
    }

    pub fn per_sec(&self) -> f64 {
        self.accepted_count() as f64 / self.answered_secs.max(self.send_secs)
    }
}

/// Sends `request(n)` for n in 0..total at `rate` per second, marking each send's time in
/// `times`, and waits for every answer.
pub async fn send(
    rate: f64,
    total: usize,
    times: &Arc<SendTimes>,
    request: impl Fn(usize) -> reqwest::RequestBuilder,
) -> Sends {
    let latency = Arc::new(Mutex::new(Latencies::new()));
    let accepted: Arc<Vec<AtomicBool>> = Arc::new((0..total).map(|_| AtomicBool::new(false)).collect());
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut requests = Vec::with_capacity(total);
    let progress = crate::progress::stage(&format!("sending at {rate}/s"), total);
    for n in 0..total {
        ticker.tick().await;
        progress.inc(1);
        let (request, times, latency, accepted) = (request(n), times.clone(), latency.clone(), accepted.clone());
        requests.push(tokio::spawn(async move {
            let sent = Instant::now();
            times.mark_sent(n);
            if request.send().await.is_ok_and(|response| response.status().is_success()) {
                latency.lock().unwrap().record(sent.elapsed().as_micros() as u64);
                accepted[n].store(true, Ordering::Release);
            }
        }));
    }
    progress.finish_and_clear();
    let send_secs = started.elapsed().as_secs_f64();
    for request in requests {
        let _ = request.await;
    }
    let answered_secs = started.elapsed().as_secs_f64();
    let latency = std::mem::replace(&mut *latency.lock().unwrap(), Latencies::new());
    Sends {
        accepted: accepted.iter().map(|accepted| accepted.load(Ordering::Acquire)).collect(),
        send_secs,
        answered_secs,
        latency,
    }
}

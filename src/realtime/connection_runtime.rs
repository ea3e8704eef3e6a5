//! Where live connections run: a runtime of their own, beside the one that answers requests.
//!
//! Publishing one event wakes one task per subscriber. On a runtime shared with requests,
//! those thousands of tasks fill the workers' queues, and the request that places or
//! advances the next order waits behind all of them at every step it takes (reading the
//! request, each database round trip, the pump that publishes its event). At 10,000 × 10/s
//! that put an order's own p99 at 130–170 ms instead of 20–45 ms, and every event waited
//! with it (BENCHMARKS.md, tenth sitting). On a runtime of their own, the connections compete
//! with requests for the cores through the kernel's scheduler, which runs a request's
//! thread soon after it wakes.

use std::future::Future;
use std::time::Duration;
use tokio::runtime::Handle;
use tokio_util::task::TaskTracker;

/// The live connections: where they run, and which are still open (so shutdown can wait for
/// their goodbyes).
#[derive(Clone)]
pub struct ConnectionRuntime {
    tracker: TaskTracker,
    runtime: Handle,
}

impl ConnectionRuntime {
    /// Connections that run on `runtime`, which should be theirs alone (see the module's notes).
    pub fn on(runtime: Handle) -> ConnectionRuntime {
        ConnectionRuntime { tracker: TaskTracker::new(), runtime }
    }

    pub fn spawn(&self, connection: impl Future<Output = ()> + Send + 'static) {
        self.tracker.spawn_on(connection, &self.runtime);
    }

    /// Takes no more connections and waits up to `timeout` for the open ones to end; how many
    /// were still open then.
    pub async fn drain(&self, timeout: Duration) -> usize {
        self.tracker.close();
        match tokio::time::timeout(timeout, self.tracker.wait()).await {
            Ok(()) => 0,
            Err(_) => self.tracker.len(),
        }
    }
}

/// A multi-threaded runtime with what every runtime of this server needs; `name` names its
/// threads (as `top -H` and profiles show them).
pub fn runtime(name: &'static str) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name(name)
        // Live deliveries are counted per worker thread and added to /metrics in batches.
        .on_thread_park(crate::metrics::flush_thread)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_run_on_their_own_runtime_and_shutdown_waits_for_them() {
        let requests = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let live = super::runtime("test-live").unwrap();
        let connections = ConnectionRuntime::on(live.handle().clone());
        requests.block_on(async {
            let (ran_on, thread) = tokio::sync::oneshot::channel();
            let (goodbye, said_goodbye) = tokio::sync::oneshot::channel::<()>();
            connections.spawn(async move {
                let _ = ran_on.send(std::thread::current().name().map(str::to_owned));
                // A connection ends when shutdown tells it to, after a goodbye that takes a moment.
                tokio::time::sleep(Duration::from_millis(50)).await;
                let _ = goodbye.send(());
            });
            assert_eq!(thread.await.unwrap().as_deref(), Some("test-live"), "not on the requests' runtime");
            assert_eq!(connections.drain(Duration::from_secs(5)).await, 0, "every connection ended in time");
            assert!(said_goodbye.await.is_ok(), "drained only after the goodbye");

            // One that never ends is given up on, and counted.
            let stuck = ConnectionRuntime::on(live.handle().clone());
            stuck.spawn(std::future::pending());
            assert_eq!(stuck.drain(Duration::from_millis(20)).await, 1);
        });
        live.shutdown_background();
    }
}

//! Commits made by other instances (PostgreSQL): LISTEN for their NOTIFY and wake the pump,
//! which reads the new events from the table like any others.
//!
//! A notice only says "read the log": nothing is published from it. So a notice lost while
//! the LISTEN connection was down costs nothing, because on reconnecting the pump catches up
//! from its head, and it also looks at the log every couple of seconds regardless.

use super::Hub;
use crate::store::Store;
use app::domain::backoff::reconnect_delay_ms;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Keeps a LISTEN connection open for as long as the instance runs, re-establishing it when
/// it is lost. Does nothing on SQLite.
pub fn spawn_commit_listener(hub: Arc<Hub>, store: Store, instance: String, mut shutdown: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut failures = 0u32;
        loop {
            match store.listen_for_commits(&instance).await {
                None => return,
                Some(Ok(mut listener)) => {
                    if failures > 0 {
                        tracing::info!("commit listener reconnected; catching up from the event log");
                        crate::metrics::commit_listener_reconnected();
                    }
                    failures = 0;
                    crate::metrics::commit_listener_connected(true);
                    // Whatever was committed while nobody listened is in the table.
                    hub.committed();
                    loop {
                        tokio::select! {
                            next = listener.next_commit() => match next {
                                Ok(Some(seq)) => {
                                    if seq > hub.head() {
                                        hub.committed();
                                    }
                                }
                                Ok(None) => {
                                    tracing::warn!("commit listener lost its connection");
                                    break;
                                }
                                Err(err) => {
                                    tracing::warn!(error = %err, "commit listener failed");
                                    break;
                                }
                            },
                            _ = shutdown.changed() => return,
                        }
                    }
                    crate::metrics::commit_listener_connected(false);
                }
                Some(Err(err)) => tracing::warn!(error = %err, attempt = failures, "commit listener could not connect"),
            }
            let delay = Duration::from_millis(reconnect_delay_ms(failures, rand::random::<f64>()) as u64);
            failures = failures.saturating_add(1);
            tokio::select! {
                _ = tokio::time::sleep(delay) => {}
                _ = shutdown.changed() => return,
            }
        }
    });
}

//! Commits made by other instances (PostgreSQL): LISTEN for their NOTIFY and wake the pump,
//! which reads the new events from the table like any others; and revocations, read from
//! their table, which close this instance's connections opened with what was withdrawn.
//!
//! A notice only says "read the table": nothing is published from it. So a notice lost while
//! the LISTEN connection was down costs nothing, because on reconnecting the pump catches up
//! from its head (it also looks at the log every couple of seconds regardless), and the
//! revocations are read from the last one this instance applied.

use super::Hub;
use crate::store::{Notice, Store};
use app::domain::backoff::reconnect_delay_ms;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Keeps a LISTEN connection open for as long as the instance runs, re-establishing it when
/// it is lost. Does nothing on SQLite.
pub fn spawn_commit_listener(hub: Arc<Hub>, store: Store, instance: String, mut shutdown: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut failures = 0u32;
        // Revocations made before this instance started closed nothing of its own.
        let mut revocations_applied = match store.last_revocation_id().await {
            Ok(id) => id,
            Err(err) => {
                tracing::warn!(error = %err, "could not read the last revocation: applying them all");
                0
            }
        };
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
                    // Whatever was committed while nobody listened is in the tables.
                    hub.committed();
                    let mut caught_up = apply_revocations(&hub, &store, &mut revocations_applied).await;
                    hub.set_hearing_revocations(caught_up);
                    loop {
                        tokio::select! {
                            next = listener.next_notice() => match next {
                                Ok(Some(Notice::Commit { location_id, seq })) => {
                                    if seq > hub.head(location_id) {
                                        hub.committed();
                                    }
                                    // A read of the revocations that failed is tried again at the
                                    // next notice of any kind, not only at the next revocation.
                                    if !caught_up {
                                        caught_up = apply_revocations(&hub, &store, &mut revocations_applied).await;
                                        hub.set_hearing_revocations(caught_up);
                                    }
                                }
                                Ok(Some(Notice::Revocation)) => {
                                    caught_up = apply_revocations(&hub, &store, &mut revocations_applied).await;
                                    hub.set_hearing_revocations(caught_up);
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
                    hub.set_hearing_revocations(false);
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

/// Closes this instance's connections opened with what was revoked after `applied`, and
/// moves `applied` on. A revocation this instance made itself closed them already: hearing
/// it again changes nothing. Says whether it read them all.
async fn apply_revocations(hub: &Hub, store: &Store, applied: &mut i64) -> bool {
    match store.revocations_after(*applied).await {
        Ok(revocations) => {
            for (id, revoked) in revocations {
                hub.revoke(revoked);
                *applied = id;
            }
            true
        }
        // Read again at the next notice, or when the listener reconnects.
        Err(err) => {
            tracing::warn!(error = %err, "could not read the revocations");
            false
        }
    }
}

//! The connections on kitchen feeds and what each last acknowledged: the first thing to look
//! at when a cook says "the screen didn't show it". Each instance keeps its own and reports
//! them to the database, where the others read them.

use crate::store::{ScreenRow, Store};
use app::domain::ConnectedScreen;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// Who a connection belongs to, as admins should read it.
#[derive(Clone, Debug, Default)]
pub struct ScreenLabel {
    pub name: String,
    pub kind: &'static str,
    pub address: String,
    pub location_id: i64,
}

struct Entry {
    label: ScreenLabel,
    transport: &'static str,
    connected_at: DateTime<Utc>,
    /// The head when it connected: until it acknowledges, that is what it is measured from.
    head_at_connect: i64,
    acked: Option<(i64, DateTime<Utc>)>,
}

#[derive(Default)]
pub struct Screens {
    next_id: AtomicU64,
    entries: Mutex<HashMap<u64, Entry>>,
    /// Something changed since the last report to the other instances.
    changed: AtomicBool,
}

/// A registered connection; dropping it unregisters it.
pub struct ScreenGuard {
    screens: Arc<Screens>,
    pub id: u64,
}

impl Screens {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn register(self: &Arc<Self>, label: ScreenLabel, transport: &'static str, head: i64) -> ScreenGuard {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let entry = Entry { label, transport, connected_at: Utc::now(), head_at_connect: head, acked: None };
        self.entries().insert(id, entry);
        self.changed.store(true, Ordering::Relaxed);
        ScreenGuard { screens: self.clone(), id }
    }

    /// Records an acknowledgement. A seq outside `0..=head` is a client error and is capped,
    /// so a screen can claim neither to be ahead of the log nor a position before it.
    pub fn ack(&self, id: u64, seq: i64, head: i64) {
        if let Some(entry) = self.entries().get_mut(&id) {
            let seq = seq.min(head).max(0);
            if entry.acked.is_none_or(|(previous, _)| seq >= previous) {
                entry.acked = Some((seq, Utc::now()));
                self.changed.store(true, Ordering::Relaxed);
            }
        }
    }

    /// This instance's connections, as reported to the others.
    pub fn rows(&self, instance: &str) -> Vec<ScreenRow> {
        self.entries()
            .iter()
            .map(|(id, entry)| ScreenRow {
                instance: instance.to_string(),
                connection_id: *id as i64,
                location_id: entry.label.location_id,
                name: entry.label.name.clone(),
                kind: entry.label.kind.to_string(),
                address: entry.label.address.clone(),
                transport: entry.transport.to_string(),
                connected_at: entry.connected_at,
                head_at_connect: entry.head_at_connect,
                acked_seq: entry.acked.map(|(seq, _)| seq),
                acked_at: entry.acked.map(|(_, at)| at),
            })
            .collect()
    }

    /// The location's screens, this instance's and those `elsewhere` (other instances'
    /// reports), most behind first.
    pub fn list(&self, instance: &str, location_id: i64, head: i64, elsewhere: Vec<ScreenRow>) -> Vec<ConnectedScreen> {
        let mut screens: Vec<ConnectedScreen> = self
            .rows(instance)
            .into_iter()
            .chain(elsewhere)
            .filter(|row| row.location_id == location_id)
            .map(|row| {
                let seen = row.acked_seq.unwrap_or(row.head_at_connect);
                ConnectedScreen {
                    connection_id: row.connection_id.max(0) as u64,
                    instance: row.instance,
                    name: row.name,
                    kind: row.kind,
                    address: row.address,
                    transport: row.transport,
                    connected_at: row.connected_at,
                    acked_seq: row.acked_seq,
                    acked_at: row.acked_at,
                    behind: head.saturating_sub(seen).max(0),
                }
            })
            .collect();
        screens.sort_by(|a, b| {
            b.behind.cmp(&a.behind).then_with(|| (&a.instance, a.connection_id).cmp(&(&b.instance, b.connection_id)))
        });
        screens
    }
}

/// How often each instance reports its connections to the others.
const REPORT_EVERY: Duration = Duration::from_secs(2);
/// Reports older than this are from an instance that stopped (crashed): ignored.
pub const REPORT_FRESH_FOR: Duration = Duration::from_secs(10);
/// A pizzeria has a handful of screens; past this many connections an instance reports only
/// the first ones, so a flood of connections cannot turn into a flood of writes.
const MOST_REPORTED: usize = 1000;

/// Reports this instance's kitchen-feed connections to the database when they change (and
/// that they are still there, every couple of seconds), so an admin served by any instance
/// sees every screen; withdraws them on shutdown. Only where instances share the database:
/// a SQLite file has one instance, whose own list is complete.
pub fn spawn_screen_reports(
    screens: Arc<Screens>,
    store: Store,
    instance: String,
    mut shutdown: watch::Receiver<bool>,
) {
    if !store.is_shared() {
        return;
    }
    tokio::spawn(async move {
        let mut reported_any = false;
        loop {
            let stopping = tokio::select! {
                _ = tokio::time::sleep(REPORT_EVERY) => false,
                _ = shutdown.changed() => true,
            };
            let now = crate::store::now();
            let outcome = if stopping || screens.changed.swap(false, Ordering::Relaxed) {
                let mut rows = if stopping { Vec::new() } else { screens.rows(&instance) };
                rows.truncate(MOST_REPORTED);
                let written = store.report_screens(&instance, &rows, now).await;
                if written.is_ok() {
                    reported_any = !rows.is_empty();
                } else {
                    screens.changed.store(true, Ordering::Relaxed);
                }
                written
            } else if reported_any {
                store.touch_screens(&instance, now).await
            } else {
                Ok(())
            };
            if let Err(err) = outcome {
                tracing::warn!(error = %err, "could not report the connected screens");
            }
            if stopping {
                return;
            }
        }
    });
}

impl Drop for ScreenGuard {
    fn drop(&mut self) {
        self.screens.entries().remove(&self.id);
        self.screens.changed.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(name: &str, location_id: i64) -> ScreenLabel {
        ScreenLabel { name: name.into(), kind: "device", address: "10.0.0.7".into(), location_id }
    }

    #[test]
    fn screens_are_measured_from_their_last_acknowledgement() {
        let screens = Arc::new(Screens::default());
        let wall = screens.register(label("Oven wall", 1), "websocket", 10);
        let _pass = screens.register(label("Pass", 1), "websocket", 10);
        let _elsewhere = screens.register(label("Other shop", 2), "websocket", 10);
        screens.ack(wall.id, 12, 15);
        let listed = screens.list("a", 1, 15, Vec::new());
        assert_eq!(listed.len(), 2, "only this location's screens");
        assert_eq!(listed[0].instance, "a");
        assert_eq!((listed[0].name.as_str(), listed[0].behind, listed[0].acked_seq), ("Pass", 5, None));
        assert_eq!((listed[1].name.as_str(), listed[1].behind, listed[1].acked_seq), ("Oven wall", 3, Some(12)));
        screens.ack(wall.id, 11, 15);
        assert_eq!(
            screens.list("a", 1, 15, Vec::new())[1].acked_seq,
            Some(12),
            "an older acknowledgement never moves it back"
        );
        screens.ack(wall.id, 99, 15);
        assert_eq!(screens.list("a", 1, 15, Vec::new())[1].behind, 0, "nobody is ahead of the log");
        screens.ack(wall.id, i64::MIN, 15);
        assert_eq!(screens.list("a", 1, 15, Vec::new())[1].acked_seq, Some(15), "nor before it");
        drop(wall);
        assert_eq!(screens.list("a", 1, 15, Vec::new()).len(), 1, "a closed connection leaves the list");
    }

    #[test]
    fn other_instances_screens_are_listed_too() {
        let screens = Arc::new(Screens::default());
        let _wall = screens.register(label("Oven wall", 1), "websocket", 10);
        let mut remote = screens.rows("b");
        remote[0].instance = "b".into();
        remote[0].name = "Pass on b".into();
        remote[0].acked_seq = Some(8);
        let listed = screens.list("a", 1, 10, remote);
        let names: Vec<(&str, &str, i64)> =
            listed.iter().map(|s| (s.instance.as_str(), s.name.as_str(), s.behind)).collect();
        assert_eq!(names, vec![("b", "Pass on b", 2), ("a", "Oven wall", 0)]);
    }
}

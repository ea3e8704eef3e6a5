//! The connections on kitchen feeds and what each last acknowledged: the first thing to look
//! at when a cook says "the screen didn't show it".

use app::domain::ConnectedScreen;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

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
        ScreenGuard { screens: self.clone(), id }
    }

    /// Records an acknowledgement. A seq beyond `head` is a client error and is capped, so a
    /// screen cannot claim to be ahead of the log.
    pub fn ack(&self, id: u64, seq: i64, head: i64) {
        if let Some(entry) = self.entries().get_mut(&id) {
            let seq = seq.min(head);
            if entry.acked.is_none_or(|(previous, _)| seq >= previous) {
                entry.acked = Some((seq, Utc::now()));
            }
        }
    }

    /// The location's screens, most behind first.
    pub fn list(&self, location_id: i64, head: i64) -> Vec<ConnectedScreen> {
        let mut screens: Vec<ConnectedScreen> = self
            .entries()
            .iter()
            .filter(|(_, entry)| entry.label.location_id == location_id)
            .map(|(id, entry)| {
                let seen = entry.acked.map_or(entry.head_at_connect, |(seq, _)| seq);
                ConnectedScreen {
                    connection_id: *id,
                    name: entry.label.name.clone(),
                    kind: entry.label.kind.to_string(),
                    address: entry.label.address.clone(),
                    transport: entry.transport.to_string(),
                    connected_at: entry.connected_at,
                    acked_seq: entry.acked.map(|(seq, _)| seq),
                    acked_at: entry.acked.map(|(_, at)| at),
                    behind: (head - seen).max(0),
                }
            })
            .collect();
        screens.sort_by(|a, b| b.behind.cmp(&a.behind).then(a.connection_id.cmp(&b.connection_id)));
        screens
    }
}

impl Drop for ScreenGuard {
    fn drop(&mut self) {
        self.screens.entries().remove(&self.id);
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
        let listed = screens.list(1, 15);
        assert_eq!(listed.len(), 2, "only this location's screens");
        assert_eq!((listed[0].name.as_str(), listed[0].behind, listed[0].acked_seq), ("Pass", 5, None));
        assert_eq!((listed[1].name.as_str(), listed[1].behind, listed[1].acked_seq), ("Oven wall", 3, Some(12)));
        screens.ack(wall.id, 11, 15);
        assert_eq!(screens.list(1, 15)[1].acked_seq, Some(12), "an older acknowledgement never moves it back");
        screens.ack(wall.id, 99, 15);
        assert_eq!(screens.list(1, 15)[1].behind, 0, "nobody is ahead of the log");
        drop(wall);
        assert_eq!(screens.list(1, 15).len(), 1, "a closed connection leaves the list");
    }
}

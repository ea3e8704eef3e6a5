//! Which pizzeria a request is about.
//!
//! Signed-in staff, kitchen screens and API clients belong to one location: theirs. Customers
//! are routed by host name (`north.pizza.example`), and every other host, including a bare IP
//! address, reaches the first location, so a single pizzeria needs no set-up at all.

use crate::store::{Location, Store, StoreError};
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// An unknown host re-reads the locations at most this often, so a location created from the
/// command line is served within a second, and junk `Host` headers cannot flood the database.
const REFRESH_AT_MOST_EVERY: Duration = Duration::from_millis(500);

pub struct Locations {
    store: Store,
    known: RwLock<Known>,
}

struct Known {
    by_host: HashMap<String, i64>,
    first: i64,
    refreshed: Instant,
}

impl Known {
    fn from_rows(rows: &[Location]) -> Known {
        Known {
            by_host: rows.iter().filter_map(|row| Some((row.host.as_deref()?.to_ascii_lowercase(), row.id))).collect(),
            first: rows.first().map_or(1, |row| row.id),
            refreshed: Instant::now(),
        }
    }
}

impl Locations {
    pub async fn load(store: Store) -> Result<Locations, StoreError> {
        let known = Known::from_rows(&store.locations().await?);
        Ok(Locations { store, known: RwLock::new(known) })
    }

    /// Every location known at the last look.
    pub fn ids(&self) -> Vec<i64> {
        let known = self.known.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut ids: Vec<i64> = known.by_host.values().copied().collect();
        ids.push(known.first);
        ids
    }

    /// The location customers reach through `host` (a `Host` header, port allowed).
    pub async fn for_host(&self, host: Option<&str>) -> i64 {
        let host = host.map(host_name).unwrap_or_default();
        let (found, stale) = {
            let known = self.known.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            (known.by_host.get(&host).copied(), known.refreshed.elapsed() >= REFRESH_AT_MOST_EVERY)
        };
        if let Some(id) = found {
            return id;
        }
        if stale {
            match self.store.locations().await {
                Ok(rows) => {
                    *self.known.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Known::from_rows(&rows)
                }
                Err(err) => tracing::warn!(error = %err, "could not re-read the locations"),
            }
        }
        let known = self.known.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        known.by_host.get(&host).copied().unwrap_or(known.first)
    }
}

/// `North.Pizza.example:443` → `north.pizza.example`.
fn host_name(host: &str) -> String {
    let host = host.trim();
    // A port follows the last colon, unless that colon is inside a bare IPv6 address.
    let without_port = match host.rsplit_once(':') {
        Some((name, port))
            if port.bytes().all(|b| b.is_ascii_digit()) && (name.ends_with(']') || !name.contains(':')) =>
        {
            name
        }
        _ => host,
    };
    without_port.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_lose_their_port_and_case() {
        assert_eq!(host_name("North.Pizza.example:443"), "north.pizza.example");
        assert_eq!(host_name("north.pizza.example"), "north.pizza.example");
        assert_eq!(host_name("127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(host_name("[::1]:3000"), "[::1]");
        assert_eq!(host_name("::1"), "::1");
    }

    #[test]
    fn the_first_location_answers_for_unknown_hosts() {
        let rows = vec![
            Location { id: 3, slug: "demo".into(), name: "Demo".into(), host: None },
            Location { id: 4, slug: "south".into(), name: "South".into(), host: Some("South.example".into()) },
        ];
        let known = Known::from_rows(&rows);
        assert_eq!(known.first, 3);
        assert_eq!(known.by_host.get("south.example"), Some(&4));
    }
}

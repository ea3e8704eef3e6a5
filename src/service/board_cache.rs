//! The latest open-orders snapshot of each pizzeria, reused while nothing has happened since.
//!
//! Loading the kitchen screen, a staff board or a customer's order page (whose ready estimate
//! looks at the whole queue) each read every open order and its lines. Between two events the
//! answer cannot change, except that collected orders leave the board as their recall window
//! closes, which [`Order::on_board`] decides from the cached copy alone. So a board is kept
//! with the seq it was read at, and served again while the hub has published nothing newer
//! and this instance has committed nothing since the read began.
//!
//! A served copy is consistent at its seq, like a fresh read: a page resumes its live feed
//! from that seq and gets every later event. Whoever wrote through this instance reads their
//! write at once (a commit makes the kept boards stale before the write is answered). With
//! several instances, another instance's event counts once this instance's hub has published
//! it, as it does for the live feeds.

use app::domain::{Order, Snapshot};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::Mutex;

/// Where this instance stands: the seq its hub last published, and how many writes it has
/// committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AsOf {
    pub head: i64,
    pub commits: u64,
}

#[derive(Default)]
pub struct BoardCache {
    boards: Mutex<HashMap<i64, CachedBoard>>,
}

struct CachedBoard {
    snapshot: Snapshot,
    /// This instance's commits when the read began.
    commits: u64,
    /// The recall window's start the snapshot was read with: it holds every order on the
    /// board for this or any later start.
    collected_since: DateTime<Utc>,
}

impl BoardCache {
    /// The board of `location_id`, taken `now`, if the one kept is still current at `as_of`
    /// and was read with a recall window at least as wide.
    pub fn get(
        &self,
        location_id: i64,
        as_of: AsOf,
        collected_since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Option<Snapshot> {
        let boards = self.boards.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let cached = boards.get(&location_id)?;
        let current = cached.snapshot.seq == as_of.head && cached.commits == as_of.commits;
        if !current || cached.collected_since > collected_since {
            return None;
        }
        let orders: Vec<Order> =
            cached.snapshot.orders.iter().filter(|order| order.on_board(collected_since)).cloned().collect();
        Some(Snapshot { seq: cached.snapshot.seq, orders, taken_at: now, estimate: None })
    }

    /// Keeps a board just read (begun after `commits` commits), unless a newer one is kept.
    pub fn put(&self, location_id: i64, snapshot: &Snapshot, commits: u64, collected_since: DateTime<Utc>) {
        let mut boards = self.boards.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if boards
            .get(&location_id)
            .is_some_and(|cached| (cached.snapshot.seq, cached.commits) > (snapshot.seq, commits))
        {
            return;
        }
        boards.insert(location_id, CachedBoard { snapshot: snapshot.clone(), commits, collected_since });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::fixtures::order;
    use app::domain::OrderStatus;
    use chrono::Duration;

    fn board(seq: i64, orders: Vec<Order>, at: DateTime<Utc>) -> Snapshot {
        Snapshot { seq, orders, taken_at: at, estimate: None }
    }

    fn as_of(head: i64, commits: u64) -> AsOf {
        AsOf { head, commits }
    }

    #[test]
    fn serves_a_board_only_while_nothing_happened_since() {
        let cache = BoardCache::default();
        let at = Utc::now();
        let since = at - Duration::minutes(30);
        cache.put(1, &board(7, vec![order(1, OrderStatus::Received, at)], at), 4, since);
        let later = at + Duration::seconds(5);
        let served = cache.get(1, as_of(7, 4), since, later).expect("nothing happened since seq 7");
        assert_eq!((served.seq, served.orders.len(), served.taken_at), (7, 1, later));
        assert!(cache.get(1, as_of(8, 4), since, later).is_none(), "an event was published since");
        assert!(cache.get(1, as_of(7, 5), since, later).is_none(), "this instance committed a write since");
        assert!(cache.get(2, as_of(7, 4), since, later).is_none(), "another pizzeria");
    }

    #[test]
    fn recalled_orders_leave_as_their_window_closes() {
        let cache = BoardCache::default();
        let at = Utc::now();
        let collected = order(2, OrderStatus::Collected, at - Duration::minutes(20));
        cache.put(
            1,
            &board(3, vec![order(1, OrderStatus::Preparing, at), collected], at),
            0,
            at - Duration::minutes(30),
        );
        let now = at + Duration::minutes(15);
        let served = cache.get(1, as_of(3, 0), now - Duration::minutes(30), now).unwrap();
        assert_eq!(served.orders.iter().map(|order| order.id).collect::<Vec<_>>(), [1], "collected 35 minutes ago");
        assert!(cache.get(1, as_of(3, 0), at - Duration::hours(1), now).is_none(), "a wider window than was read");
    }

    #[test]
    fn an_older_read_does_not_replace_a_newer_board() {
        let cache = BoardCache::default();
        let at = Utc::now();
        cache.put(1, &board(9, vec![], at), 2, at);
        cache.put(1, &board(8, vec![order(1, OrderStatus::Received, at)], at), 1, at);
        assert!(cache.get(1, as_of(9, 2), at, at).is_some_and(|served| served.orders.is_empty()));
        assert!(cache.get(1, as_of(8, 1), at, at).is_none());
    }
}

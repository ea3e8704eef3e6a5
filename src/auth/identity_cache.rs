//! Who holds a token, remembered for a few seconds, so a burst of requests with the same token
//! reads the database once. A page load is several requests, and after a restart thousands of
//! screens reconnect within a second: each of those read its session before, and the read pool
//! queued them for seconds.
//!
//! Safe because every way a token stops being valid goes through [`Hub::revoke`], or is an
//! expiry, which the cache knows: an answer read before the latest revocation is never used
//! again. Instances sharing a database (PostgreSQL) hear each other's revocations through
//! their LISTEN connection, within milliseconds of the commit; while it is down the hub says
//! so (no epoch) and every request reads the database. A live connection identified from the
//! cache in those milliseconds is checked again once it listens for revocations.
//!
//! Concurrent lookups of one token share one read: the storm's first second would otherwise
//! send every reconnecting screen to the database before the first answer is back.
//!
//! [`Hub::revoke`]: crate::realtime::Hub::revoke

use crate::store::StoreError;
use app::api::AppError;
use app::domain::Principal;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// How long an answer is trusted when nothing was revoked meanwhile. Revocations take effect at
/// once regardless; this bounds how long anything unforeseen could go unnoticed.
const FRESH_FOR: Duration = Duration::from_secs(10);
/// At most this many tokens are remembered; past it, stale ones go, and if that is not enough,
/// all of them (the next lookups read the database again).
const MAX_TOKENS: usize = 16_384;

/// What the database said about a token: its holder and, for a session, until when it is valid.
pub type Found = Option<(Principal, Option<DateTime<Utc>>)>;

#[derive(Default)]
pub struct IdentityCache {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

struct Slot {
    /// [`Hub::revocation_epoch`](crate::realtime::Hub::revocation_epoch) when the slot was
    /// made: after any later revocation, it is stale.
    revocations: u64,
    made: Instant,
    /// A failed read is kept too, so that the lookups already waiting on it fail at once
    /// rather than each trying again in turn; new lookups do not use it.
    found: OnceCell<Result<Found, AppError>>,
}

impl Slot {
    fn usable(&self, revocations: u64, now: Instant) -> bool {
        self.revocations == revocations
            && now.duration_since(self.made) < FRESH_FOR
            && !matches!(self.found.get(), Some(Err(_)))
    }
}

impl IdentityCache {
    pub fn new() -> IdentityCache {
        IdentityCache::default()
    }

    /// Who holds the token with this hash, reading it with `load` only if no usable answer is
    /// remembered. `epoch` is the hub's revocation epoch: `None` reads the database and
    /// remembers nothing. A failed read is not remembered for later lookups: the next one
    /// reads again.
    pub async fn principal(
        &self,
        token_hash: &str,
        epoch: Option<u64>,
        load: impl Future<Output = Result<Found, StoreError>>,
    ) -> Result<Option<Principal>, AppError> {
        let found = match epoch {
            None => load.await.map_err(AppError::from)?,
            Some(revocations) => {
                let slot = Self::slot(&self.slots, token_hash, revocations);
                slot.found.get_or_init(|| async { load.await.map_err(AppError::from) }).await.clone()?
            }
        };
        Ok(match found {
            Some((principal, expires_at)) if expires_at.is_none_or(|at| Utc::now() < at) => Some(principal),
            _ => None,
        })
    }

    fn slot(slots: &Mutex<HashMap<String, Arc<Slot>>>, token_hash: &str, revocations: u64) -> Arc<Slot> {
        let now = Instant::now();
        let mut slots = slots.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(slot) = slots.get(token_hash).filter(|slot| slot.usable(revocations, now)) {
            return slot.clone();
        }
        if slots.len() >= MAX_TOKENS {
            slots.retain(|_, slot| slot.usable(revocations, now));
            if slots.len() >= MAX_TOKENS {
                slots.clear();
            }
        }
        let slot = Arc::new(Slot { revocations, made: now, found: OnceCell::new() });
        slots.insert(token_hash.to_string(), slot.clone());
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn cook() -> Principal {
        Principal::User { user_id: 7, username: "cook".into(), role: app::domain::Role::Staff, location_id: 1 }
    }

    /// A load that counts how often the database would have been read.
    async fn counted(reads: &AtomicUsize, found: Found) -> Result<Found, StoreError> {
        reads.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        Ok(found)
    }

    #[tokio::test]
    async fn concurrent_lookups_of_one_token_share_one_read() {
        let cache = IdentityCache::new();
        let reads = AtomicUsize::new(0);
        let lookups = (0..50).map(|_| cache.principal("abc", Some(0), counted(&reads, Some((cook(), None)))));
        let answers = futures::future::join_all(lookups).await;
        assert!(answers.iter().all(|answer| matches!(answer, Ok(Some(principal)) if *principal == cook())));
        assert_eq!(reads.load(Ordering::SeqCst), 1);
        // Another token is its own read.
        assert_eq!(cache.principal("def", Some(0), counted(&reads, None)).await.unwrap(), None);
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn without_an_epoch_every_lookup_reads_and_nothing_is_kept() {
        let cache = IdentityCache::new();
        let reads = AtomicUsize::new(0);
        for _ in 0..3 {
            assert!(cache.principal("abc", None, counted(&reads, Some((cook(), None)))).await.unwrap().is_some());
        }
        assert_eq!(reads.load(Ordering::SeqCst), 3, "each lookup read the database");
        // Hearing revocations again: nothing from the gap is used.
        assert_eq!(cache.principal("abc", Some(5), counted(&reads, None)).await.unwrap(), None);
        assert_eq!(reads.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn any_revocation_makes_earlier_answers_unusable() {
        let cache = IdentityCache::new();
        let reads = AtomicUsize::new(0);
        assert!(cache.principal("abc", Some(0), counted(&reads, Some((cook(), None)))).await.unwrap().is_some());
        // The session was revoked meanwhile: the database now says nobody holds it.
        assert_eq!(cache.principal("abc", Some(1), counted(&reads, None)).await.unwrap(), None);
        assert_eq!(reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_expired_session_counts_as_nobody_without_a_read() {
        let cache = IdentityCache::new();
        let reads = AtomicUsize::new(0);
        let ended = Utc::now() - chrono::Duration::seconds(1);
        let later = Utc::now() + chrono::Duration::hours(1);
        assert_eq!(cache.principal("old", Some(0), counted(&reads, Some((cook(), Some(ended))))).await.unwrap(), None);
        assert_eq!(cache.principal("old", Some(0), counted(&reads, Some((cook(), Some(later))))).await.unwrap(), None);
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_read_is_not_remembered() {
        let cache = IdentityCache::new();
        let reads = AtomicUsize::new(0);
        let failing = async {
            tokio::task::yield_now().await;
            Err(StoreError::UnsupportedUrl("down".into()))
        };
        // Those waiting on the failed read fail with it, without reading again one by one.
        let waiting = cache.principal("abc", Some(0), counted(&reads, Some((cook(), None))));
        let (first, second) = tokio::join!(cache.principal("abc", Some(0), failing), waiting);
        assert_eq!(first.unwrap_err(), AppError::internal());
        assert_eq!(second.unwrap_err(), AppError::internal());
        assert_eq!(reads.load(Ordering::SeqCst), 0);
        // The next lookup reads again.
        assert!(cache.principal("abc", Some(0), counted(&reads, Some((cook(), None)))).await.unwrap().is_some());
        assert_eq!(reads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn past_its_bound_it_forgets_rather_than_grows() {
        let cache = IdentityCache::new();
        let reads = AtomicUsize::new(0);
        for token in 0..MAX_TOKENS + 10 {
            cache.principal(&token.to_string(), Some(0), counted(&reads, None)).await.unwrap();
        }
        let remembered = cache.slots.lock().unwrap().len();
        assert!(remembered <= MAX_TOKENS, "{remembered} tokens remembered");
    }
}

use super::encode::EncodedEvent;
use crate::store::{Scope, Store};
use app::domain::ResyncReason;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};

/// How many events the pump reads from the log at a time.
const PUMP_BATCH: i64 = 500;
/// A safety net: the pump also looks at the log this often, even if nobody woke it.
const PUMP_IDLE_CHECK: Duration = Duration::from_secs(2);
/// The queue of one order's channel. An order has a handful of events in its whole life, and
/// a broadcast channel allocates every slot up front: 10,000 customers on channels of the
/// full queue size would hold hundreds of megabytes of empty slots.
const ORDER_QUEUE: usize = 32;
/// How many of the newest events the hub keeps in memory. A client that comes back after a
/// short absence, or after a restart, resumes from them without reading the database: when
/// 10,000 screens reconnect within a second, 10,000 log reads at once would exhaust the
/// read pool and fail most of them.
pub const RECENT_EVENTS: usize = 2048;

/// Fans committed events out to the connections subscribed to their scopes.
pub struct Hub {
    channels: Mutex<HashMap<Scope, broadcast::Sender<Arc<EncodedEvent>>>>,
    /// The seq of the last event delivered to the channels.
    published: AtomicI64,
    /// How many writes this instance has committed so far (see [`Hub::committed`]).
    commits: AtomicU64,
    /// The newest events, contiguous by seq, oldest first (see [`RECENT_EVENTS`]).
    recent: Mutex<VecDeque<Arc<EncodedEvent>>>,
    /// Each connection's queue holds at most this many undelivered events.
    queue_capacity: usize,
    wake: Notify,
    revocations: broadcast::Sender<Revoked>,
    /// How many revocations were announced so far: whatever was learnt about a token before
    /// the latest one may be out of date (see `auth::IdentityCache`).
    revocations_announced: AtomicU64,
    /// Whether every revocation reaches this hub as it is made. With a shared database that
    /// takes the LISTEN connection: while it is down, nothing learnt about a token is reused.
    hearing_revocations: AtomicBool,
    /// Kitchen-feed connections and their acknowledgements.
    pub screens: Arc<super::screens::Screens>,
}

pub use crate::store::Revoked;

/// What a live connection was opened with, so it can be closed when that is revoked.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub session_hash: Option<String>,
    pub device_id: Option<i64>,
    pub user_id: Option<i64>,
    /// Whether events reach this connection with customers' phone numbers.
    pub contact: super::encode::ContactDetails,
    /// How admins see this connection among the connected screens.
    pub label: super::screens::ScreenLabel,
}

impl Credentials {
    pub fn revoked_by(&self, revoked: &Revoked) -> bool {
        match revoked {
            Revoked::Session(hash) => self.session_hash.as_ref() == Some(hash),
            Revoked::Device(id) => self.device_id == Some(*id),
            Revoked::User(id) => self.user_id == Some(*id),
        }
    }
}

/// A connection's place in one scope's channel. Dropping it frees the channel once unused.
pub struct Subscription {
    hub: Arc<Hub>,
    scope: Scope,
    pub receiver: broadcast::Receiver<Arc<EncodedEvent>>,
}

impl Hub {
    /// `head` is the newest seq already in the log: the hub continues from there.
    pub fn new(head: i64, queue_capacity: usize) -> Arc<Hub> {
        Arc::new(Hub {
            channels: Mutex::new(HashMap::new()),
            published: AtomicI64::new(head),
            commits: AtomicU64::new(0),
            recent: Mutex::new(VecDeque::with_capacity(RECENT_EVENTS)),
            queue_capacity: queue_capacity.max(1),
            wake: Notify::new(),
            revocations: broadcast::channel(64).0,
            revocations_announced: AtomicU64::new(0),
            hearing_revocations: AtomicBool::new(true),
            screens: Arc::default(),
        })
    }

    /// Closes the live connections that were opened with these credentials.
    pub fn revoke(&self, revoked: Revoked) {
        // Counted before the live connections hear of it, so nothing identified from here on
        // trusts an answer read before.
        self.revocations_announced.fetch_add(1, Ordering::AcqRel);
        let _ = self.revocations.send(revoked);
    }

    /// How many revocations were announced so far, or `None` while revocations made elsewhere
    /// may not be reaching this hub: then nothing learnt about a token may be reused.
    pub fn revocation_epoch(&self) -> Option<u64> {
        self.hearing_revocations.load(Ordering::Acquire).then(|| self.revocations_announced.load(Ordering::Acquire))
    }

    /// Says whether revocations made elsewhere reach this hub (see `realtime::listen`). Hearing
    /// them again starts a new epoch: whatever was learnt before the gap is not reused.
    pub fn set_hearing_revocations(&self, hearing: bool) {
        if hearing {
            self.revocations_announced.fetch_add(1, Ordering::AcqRel);
        }
        self.hearing_revocations.store(hearing, Ordering::Release);
    }

    pub fn revocations(&self) -> broadcast::Receiver<Revoked> {
        self.revocations.subscribe()
    }

    pub fn head(&self) -> i64 {
        self.published.load(Ordering::Acquire)
    }

    /// Tells the pump that something was committed.
    pub fn committed(&self) {
        // Counted first: a board read before this write is not served again (`BoardCache`),
        // even before the pump publishes the write's events.
        self.commits.fetch_add(1, Ordering::AcqRel);
        self.wake.notify_one();
    }

    /// How many writes this instance has committed so far.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }

    pub fn subscribe(self: &Arc<Self>, scope: Scope) -> Subscription {
        let mut channels = self.channels.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let capacity = match scope {
            Scope::Order(_) => self.queue_capacity.min(ORDER_QUEUE),
            Scope::Location(_) | Scope::Menu(_) => self.queue_capacity,
        };
        let receiver = channels.entry(scope).or_insert_with(|| broadcast::channel(capacity).0).subscribe();
        Subscription { hub: self.clone(), scope, receiver }
    }

    /// The events of `scope` after `since`, from memory, if the hub still holds every event
    /// after `since`; `None` sends the caller to the log. More than `limit` of them: resync.
    pub fn recent_since(
        &self,
        scope: Scope,
        since: i64,
        limit: i64,
    ) -> Option<Result<Vec<Arc<EncodedEvent>>, ResyncReason>> {
        let recent = self.recent.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (oldest, newest) = (recent.front()?.seq, recent.back()?.seq);
        if since < oldest - 1 || since > newest {
            return None;
        }
        let events: Vec<_> = recent
            .iter()
            .filter(|event| event.seq > since && Scope::of_event(event.location_id, event.order_id).contains(&scope))
            .cloned()
            .collect();
        if events.len() as i64 > limit {
            return Some(Err(ResyncReason::TooFarBehind));
        }
        Some(Ok(events))
    }

    /// Reads the newest events of the log into memory (at start-up), so screens reconnecting
    /// after a restart resume without a database read each.
    pub async fn load_recent(&self, store: &Store) -> crate::store::Result<()> {
        let after = (self.head() - RECENT_EVENTS as i64).max(0);
        let events = store.events_after(after, RECENT_EVENTS as i64).await?;
        self.remember(
            events
                .iter()
                .filter(|stored| stored.seq <= self.head())
                .filter_map(|stored| EncodedEvent::encode(stored).ok())
                .map(Arc::new),
        );
        Ok(())
    }

    /// Keeps committed events (each one delivered, and the log's newest at start-up) for
    /// clients that resume; a gap in seq starts the memory afresh.
    pub fn remember(&self, events: impl IntoIterator<Item = Arc<EncodedEvent>>) {
        let mut recent = self.recent.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        for event in events {
            if recent.back().is_some_and(|newest| event.seq != newest.seq + 1) {
                // Not contiguous: what was kept cannot answer "everything after N" any more.
                recent.clear();
            }
            if recent.len() == RECENT_EVENTS {
                recent.pop_front();
            }
            recent.push_back(event);
        }
    }

    /// Sends one event to the channels of its scopes. Never blocks: a full queue makes that
    /// receiver lag, and its connection is told to resync.
    pub(super) fn deliver(&self, event: Arc<EncodedEvent>) {
        let seq = event.seq;
        let channels = self.channels.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Under the channels lock, like the sends: a client that subscribes and then reads the
        // recent events finds each event in one or the other.
        self.remember([event.clone()]);
        for scope in Scope::of_event(event.location_id, event.order_id) {
            if let Some(sender) = channels.get(&scope) {
                let _ = sender.send(event.clone());
            }
        }
        // Under the lock: whoever subscribes and then reads the head either got this event
        // or sees a head that includes it, never neither.
        self.published.store(seq, Ordering::Release);
    }

    #[cfg(test)]
    fn channel_count(&self) -> usize {
        self.channels.lock().unwrap().len()
    }
}

impl Subscription {
    /// The newest seq published in any scope (see [`Hub::head`]).
    pub fn head(&self) -> i64 {
        self.hub.head()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut channels = self.hub.channels.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Our own receiver is still alive here, hence `<= 1`.
        if channels.get(&self.scope).is_some_and(|sender| sender.receiver_count() <= 1) {
            channels.remove(&self.scope);
        }
    }
}

/// Runs the pump until shutdown: reads newly committed events from the log, in seq order, and
/// delivers each exactly once.
pub fn spawn_pump(hub: Arc<Hub>, store: Store, mut shutdown: watch::Receiver<bool>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = hub.wake.notified() => {}
                _ = tokio::time::sleep(PUMP_IDLE_CHECK) => {}
                _ = shutdown.changed() => return,
            }
            if let Err(err) = publish_pending(&hub, &store).await {
                tracing::warn!(error = %err, "could not read the event log; retrying");
                tokio::time::sleep(Duration::from_millis(250)).await;
                hub.committed();
            }
        }
    })
}

async fn publish_pending(hub: &Hub, store: &Store) -> crate::store::Result<()> {
    loop {
        let batch = store.events_after(hub.head(), PUMP_BATCH).await?;
        let full = batch.len() as i64 == PUMP_BATCH;
        for stored in batch {
            match EncodedEvent::encode(&stored) {
                Ok(event) => {
                    hub.deliver(Arc::new(EncodedEvent { published_at: Some(std::time::Instant::now()), ..event }));
                    crate::metrics::event_published();
                }
                Err(err) => {
                    // Cannot happen for rows we wrote; skip rather than stall every screen.
                    tracing::error!(error = %err, "skipping an event that cannot be sent");
                    hub.published.store(stored.seq, Ordering::Release);
                }
            }
        }
        if !full {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, location_id: i64, order_id: i64) -> Arc<EncodedEvent> {
        EncodedEvent::sample(seq, location_id, order_id, format!("{{\"seq\":{seq}}}"))
    }

    #[tokio::test]
    async fn delivers_to_the_location_and_the_order_only() {
        let hub = Hub::new(0, 8);
        let mut kitchen = hub.subscribe(Scope::Location(1));
        let mut other_kitchen = hub.subscribe(Scope::Location(2));
        let mut customer = hub.subscribe(Scope::Order(7));
        let mut other_customer = hub.subscribe(Scope::Order(8));
        hub.deliver(event(1, 1, 7));
        assert_eq!(kitchen.receiver.recv().await.unwrap().seq, 1);
        assert_eq!(customer.receiver.recv().await.unwrap().seq, 1);
        assert!(other_kitchen.receiver.try_recv().is_err());
        assert!(other_customer.receiver.try_recv().is_err());
        assert_eq!(hub.head(), 1);
    }

    #[tokio::test]
    async fn a_full_queue_lags_instead_of_blocking() {
        let hub = Hub::new(0, 2);
        let mut slow = hub.subscribe(Scope::Location(1));
        for seq in 1..=5 {
            hub.deliver(event(seq, 1, seq));
        }
        assert!(matches!(slow.receiver.recv().await, Err(broadcast::error::RecvError::Lagged(3))));
    }

    #[tokio::test]
    async fn an_order_channel_is_small_and_a_kitchen_channel_is_not() {
        let hub = Hub::new(0, 1024);
        let mut customer = hub.subscribe(Scope::Order(7));
        let mut kitchen = hub.subscribe(Scope::Location(1));
        let events = ORDER_QUEUE as i64 + 3;
        for seq in 1..=events {
            hub.deliver(event(seq, 1, 7));
        }
        assert!(matches!(customer.receiver.recv().await, Err(broadcast::error::RecvError::Lagged(3))));
        assert_eq!(kitchen.receiver.recv().await.unwrap().seq, 1);
    }

    #[test]
    fn recent_events_answer_a_resume_by_scope_and_send_older_ones_to_the_log() {
        let hub = Hub::new(0, 8);
        for seq in 1..=5 {
            hub.deliver(event(seq, 1 + seq % 2, seq));
        }
        let seqs = |answer: Option<Result<Vec<Arc<EncodedEvent>>, ResyncReason>>| {
            answer.map(|events| events.map(|events| events.iter().map(|event| event.seq).collect::<Vec<_>>()))
        };
        assert_eq!(seqs(hub.recent_since(Scope::Location(1), 1, 100)), Some(Ok(vec![2, 4])));
        assert_eq!(seqs(hub.recent_since(Scope::Order(5), 0, 100)), Some(Ok(vec![5])));
        assert_eq!(seqs(hub.recent_since(Scope::Location(2), 5, 100)), Some(Ok(vec![])));
        assert_eq!(seqs(hub.recent_since(Scope::Location(2), 0, 1)), Some(Err(ResyncReason::TooFarBehind)));
        // Newer than anything known: the log decides (unknown seq).
        assert_eq!(seqs(hub.recent_since(Scope::Location(1), 6, 100)), None);
        // Older than what is kept: the log answers.
        for seq in 6..=(RECENT_EVENTS as i64 + 6) {
            hub.deliver(event(seq, 1, seq));
        }
        assert_eq!(seqs(hub.recent_since(Scope::Location(1), 5, 10_000)), None);
        assert!(hub.recent_since(Scope::Location(1), 7, 10_000).is_some());
    }

    #[test]
    fn a_gap_in_what_is_kept_sends_everyone_to_the_log() {
        let hub = Hub::new(0, 8);
        hub.remember([event(1, 1, 1), event(2, 1, 2)]);
        hub.remember([event(4, 1, 4)]);
        assert!(hub.recent_since(Scope::Location(1), 1, 100).is_none());
        assert!(hub.recent_since(Scope::Location(1), 3, 100).is_some());
    }

    #[test]
    fn unused_channels_are_freed() {
        let hub = Hub::new(0, 2);
        let first = hub.subscribe(Scope::Order(1));
        let second = hub.subscribe(Scope::Order(1));
        drop(first);
        assert_eq!(hub.channel_count(), 1);
        drop(second);
        assert_eq!(hub.channel_count(), 0);
    }
}

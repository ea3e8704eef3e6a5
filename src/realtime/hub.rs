use super::encode::EncodedEvent;
use crate::store::{Scope, Store};
use app::domain::ResyncReason;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
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
/// How many of each pizzeria's newest events the hub keeps in memory. A client that comes back after a
/// short absence, or after a restart, resumes from them without reading the database: when
/// 10,000 screens reconnect within a second, 10,000 log reads at once would exhaust the
/// read pool and fail most of them.
pub const RECENT_EVENTS: usize = 2048;

/// Fans committed events out to the connections subscribed to their scopes.
///
/// Each pizzeria numbers its own events (see `store::sql::events`), so the hub follows each
/// one's order apart: a seq means something only within its pizzeria.
pub struct Hub {
    channels: Mutex<HashMap<Scope, broadcast::Sender<Arc<EncodedEvent>>>>,
    /// What was published of each pizzeria's events.
    logs: RwLock<HashMap<i64, Arc<PublishedLog>>>,
    /// How many writes this instance has committed so far (see [`Hub::committed`]).
    commits: AtomicU64,
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

/// One pizzeria's events as this hub has published them.
#[derive(Default)]
struct PublishedLog {
    /// The seq of its last event delivered to the channels.
    head: AtomicI64,
    /// Its newest events (see [`RECENT_EVENTS`]).
    recent: Mutex<Recent>,
}

/// A pizzeria's newest events, oldest first, and from where they are all there.
#[derive(Default)]
struct Recent {
    /// Every event of the pizzeria after this seq is kept. Not "the oldest kept minus one":
    /// seqs from before events were numbered per pizzeria have holes, which are no loss.
    complete_after: i64,
    events: VecDeque<Arc<EncodedEvent>>,
}

impl PublishedLog {
    /// A pizzeria whose events up to `head` were published before this hub started.
    fn starting_at(head: i64) -> PublishedLog {
        PublishedLog { head: head.into(), recent: Mutex::new(Recent { complete_after: head, events: VecDeque::new() }) }
    }

    fn head(&self) -> i64 {
        self.head.load(Ordering::Acquire)
    }

    fn recent(&self) -> std::sync::MutexGuard<'_, Recent> {
        self.recent.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps a delivered event for clients that resume.
    fn remember(&self, event: Arc<EncodedEvent>) {
        let mut recent = self.recent();
        if recent.events.len() == RECENT_EVENTS {
            if let Some(forgotten) = recent.events.pop_front() {
                recent.complete_after = forgotten.seq;
            }
        }
        recent.events.push_back(event);
    }

    /// Keeps the events read from the log at start-up: every one after `after`, oldest first.
    fn remember_loaded(&self, after: i64, events: impl IntoIterator<Item = Arc<EncodedEvent>>) {
        let mut recent = self.recent();
        recent.events = events.into_iter().collect();
        recent.complete_after = after;
    }
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
    log: Arc<PublishedLog>,
    pub receiver: broadcast::Receiver<Arc<EncodedEvent>>,
}

impl Hub {
    /// `heads` are each pizzeria's newest seq already in the log: the hub continues from
    /// there. A pizzeria not among them starts at 0 (it was created later).
    pub fn new(heads: impl IntoIterator<Item = (i64, i64)>, queue_capacity: usize) -> Arc<Hub> {
        let logs = heads
            .into_iter()
            .map(|(location_id, head)| (location_id, Arc::new(PublishedLog::starting_at(head))))
            .collect();
        Arc::new(Hub {
            channels: Mutex::new(HashMap::new()),
            logs: RwLock::new(logs),
            commits: AtomicU64::new(0),
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

    /// The seq of a pizzeria's last published event.
    pub fn head(&self, location_id: i64) -> i64 {
        self.log(location_id).head()
    }

    fn log(&self, location_id: i64) -> Arc<PublishedLog> {
        if let Some(log) = self.logs.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&location_id) {
            return log.clone();
        }
        self.logs.write().unwrap_or_else(|poisoned| poisoned.into_inner()).entry(location_id).or_default().clone()
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
            Scope::Order { .. } => self.queue_capacity.min(ORDER_QUEUE),
            Scope::Location(_) | Scope::Menu(_) => self.queue_capacity,
        };
        let receiver = channels.entry(scope).or_insert_with(|| broadcast::channel(capacity).0).subscribe();
        Subscription { hub: self.clone(), scope, log: self.log(scope.location_id()), receiver }
    }

    /// The events of `scope` after its pizzeria's seq `since`, from memory, if the hub still
    /// holds every event after `since`; `None` sends the caller to the log. More than `limit`
    /// of them: resync.
    pub fn recent_since(
        &self,
        scope: Scope,
        since: i64,
        limit: i64,
    ) -> Option<Result<Vec<Arc<EncodedEvent>>, ResyncReason>> {
        let log = self.log(scope.location_id());
        let recent = log.recent();
        if since < recent.complete_after || since > log.head() {
            return None;
        }
        let events: Vec<_> = recent
            .events
            .iter()
            .filter(|event| event.seq > since && Scope::of_event(event.location_id, event.order_id).contains(&scope))
            .cloned()
            .collect();
        if events.len() as i64 > limit {
            return Some(Err(ResyncReason::TooFarBehind));
        }
        Some(Ok(events))
    }

    /// Reads each pizzeria's newest events into memory (at start-up), so screens
    /// reconnecting after a restart resume without a database read each.
    pub async fn load_recent(&self, store: &Store) -> crate::store::Result<()> {
        let logs: Vec<(i64, Arc<PublishedLog>)> = self
            .logs
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .map(|(location_id, log)| (*location_id, log.clone()))
            .collect();
        for (location_id, log) in logs {
            let head = log.head();
            // At most as many events as seqs in (after, head]: all of them fit. Runs before
            // the pump starts, so nothing delivered is replaced.
            let after = (head - RECENT_EVENTS as i64).max(0);
            let events = store.events_after(location_id, after, RECENT_EVENTS as i64).await?;
            log.remember_loaded(
                after,
                events
                    .iter()
                    .filter(|stored| stored.seq <= head)
                    .filter_map(|stored| EncodedEvent::encode(stored).ok())
                    .map(Arc::new),
            );
        }
        Ok(())
    }

    /// Sends one event to the channels of its scopes. Never blocks: a full queue makes that
    /// receiver lag, and its connection is told to resync.
    pub(super) fn deliver(&self, event: Arc<EncodedEvent>) {
        let seq = event.seq;
        let log = self.log(event.location_id);
        let channels = self.channels.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Under the channels lock, like the sends: a client that subscribes and then reads the
        // recent events finds each event in one or the other.
        log.remember(event.clone());
        for scope in Scope::of_event(event.location_id, event.order_id) {
            if let Some(sender) = channels.get(&scope) {
                let _ = sender.send(event.clone());
            }
        }
        // Under the lock: whoever subscribes and then reads the head either got this event
        // or sees a head that includes it, never neither.
        log.head.store(seq, Ordering::Release);
    }

    #[cfg(test)]
    fn channel_count(&self) -> usize {
        self.channels.lock().unwrap().len()
    }
}

impl Subscription {
    /// The seq of the last event published at this scope's pizzeria (see [`Hub::head`]).
    pub fn head(&self) -> i64 {
        self.log.head()
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

/// Runs the pump until shutdown: reads newly committed events from the log, each pizzeria's in
/// seq order, and delivers each exactly once.
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

/// Publishes what each pizzeria committed past the hub's head for it. What commits meanwhile
/// wakes the pump again.
async fn publish_pending(hub: &Hub, store: &Store) -> crate::store::Result<()> {
    for (location_id, committed) in store.heads().await? {
        let log = hub.log(location_id);
        while log.head() < committed {
            let batch = store.events_after(location_id, log.head(), PUMP_BATCH).await?;
            if batch.is_empty() {
                break;
            }
            for stored in batch {
                match EncodedEvent::encode(&stored) {
                    Ok(event) => {
                        hub.deliver(Arc::new(EncodedEvent { published_at: Some(std::time::Instant::now()), ..event }));
                        crate::metrics::event_published();
                    }
                    Err(err) => {
                        // Cannot happen for rows we wrote; skip rather than stall every screen.
                        tracing::error!(error = %err, "skipping an event that cannot be sent");
                        log.head.store(stored.seq, Ordering::Release);
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64, location_id: i64, order_id: i64) -> Arc<EncodedEvent> {
        EncodedEvent::sample(seq, location_id, order_id, format!("{{\"seq\":{seq}}}"))
    }

    fn order(location_id: i64, order_id: i64) -> Scope {
        Scope::Order { location_id, order_id }
    }

    #[tokio::test]
    async fn delivers_to_the_location_and_the_order_only() {
        let hub = Hub::new([], 8);
        let mut kitchen = hub.subscribe(Scope::Location(1));
        let mut other_kitchen = hub.subscribe(Scope::Location(2));
        let mut customer = hub.subscribe(order(1, 7));
        let mut other_customer = hub.subscribe(order(1, 8));
        hub.deliver(event(1, 1, 7));
        assert_eq!(kitchen.receiver.recv().await.unwrap().seq, 1);
        assert_eq!(customer.receiver.recv().await.unwrap().seq, 1);
        assert!(other_kitchen.receiver.try_recv().is_err());
        assert!(other_customer.receiver.try_recv().is_err());
        assert_eq!((hub.head(1), hub.head(2)), (1, 0));
    }

    #[test]
    fn each_pizzeria_has_its_own_head_and_memory() {
        let hub = Hub::new([(1, 10), (2, 3)], 8);
        let north = hub.subscribe(Scope::Location(1));
        let south = hub.subscribe(Scope::Location(2));
        assert_eq!((north.head(), south.head(), hub.head(3)), (10, 3, 0), "a pizzeria unknown at start is at 0");
        // Interleaved, as two pizzerias commit side by side.
        hub.deliver(event(11, 1, 100));
        hub.deliver(event(4, 2, 200));
        hub.deliver(event(12, 1, 101));
        hub.deliver(event(5, 2, 201));
        assert_eq!((north.head(), south.head()), (12, 5));
        let seqs = |scope, since| {
            hub.recent_since(scope, since, 100)
                .map(|events| events.unwrap().iter().map(|event| event.seq).collect::<Vec<_>>())
        };
        // Neither pizzeria's memory is broken by the other's seqs.
        assert_eq!(seqs(Scope::Location(1), 10), Some(vec![11, 12]));
        assert_eq!(seqs(Scope::Location(2), 3), Some(vec![4, 5]));
        assert_eq!(seqs(order(2, 201), 3), Some(vec![5]));
        assert_eq!(seqs(Scope::Menu(1), 10), Some(vec![]));
    }

    #[tokio::test]
    async fn a_full_queue_lags_instead_of_blocking() {
        let hub = Hub::new([], 2);
        let mut slow = hub.subscribe(Scope::Location(1));
        for seq in 1..=5 {
            hub.deliver(event(seq, 1, seq));
        }
        assert!(matches!(slow.receiver.recv().await, Err(broadcast::error::RecvError::Lagged(3))));
    }

    #[tokio::test]
    async fn an_order_channel_is_small_and_a_kitchen_channel_is_not() {
        let hub = Hub::new([], 1024);
        let mut customer = hub.subscribe(order(1, 7));
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
        let hub = Hub::new([], 8);
        for seq in 1..=5 {
            hub.deliver(event(seq, 1, seq));
        }
        let seqs = |answer: Option<Result<Vec<Arc<EncodedEvent>>, ResyncReason>>| {
            answer.map(|events| events.map(|events| events.iter().map(|event| event.seq).collect::<Vec<_>>()))
        };
        assert_eq!(seqs(hub.recent_since(Scope::Location(1), 1, 100)), Some(Ok(vec![2, 3, 4, 5])));
        assert_eq!(seqs(hub.recent_since(order(1, 5), 0, 100)), Some(Ok(vec![5])));
        assert_eq!(seqs(hub.recent_since(Scope::Location(1), 5, 100)), Some(Ok(vec![])));
        assert_eq!(seqs(hub.recent_since(Scope::Location(1), 0, 1)), Some(Err(ResyncReason::TooFarBehind)));
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
    fn memory_answers_from_where_it_is_complete_even_across_old_holes() {
        let hub = Hub::new([(1, 10)], 8);
        let seqs = |since| {
            hub.recent_since(Scope::Location(1), since, 100)
                .map(|events| events.unwrap().iter().map(|event| event.seq).collect::<Vec<_>>())
        };
        // Nothing published since start-up: a client at the head needs nothing, an older one
        // the log.
        assert_eq!(seqs(10), Some(vec![]));
        assert_eq!(seqs(9), None);
        // Read at start-up: events of the old, global numbering, with holes that were other
        // pizzerias' seqs. Every one of this pizzeria's after 4 is there.
        hub.log(1).remember_loaded(4, [event(5, 1, 5), event(8, 1, 8), event(10, 1, 10)]);
        assert_eq!(seqs(4), Some(vec![5, 8, 10]));
        assert_eq!(seqs(6), Some(vec![8, 10]));
        assert_eq!(seqs(3), None, "from before the memory: the log answers");
        hub.deliver(event(11, 1, 11));
        assert_eq!(seqs(8), Some(vec![10, 11]));
    }

    #[test]
    fn unused_channels_are_freed() {
        let hub = Hub::new([], 2);
        let first = hub.subscribe(order(1, 1));
        let second = hub.subscribe(order(1, 1));
        drop(first);
        assert_eq!(hub.channel_count(), 1);
        drop(second);
        assert_eq!(hub.channel_count(), 0);
    }
}

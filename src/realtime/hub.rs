use super::encode::EncodedEvent;
use crate::store::{Scope, Store};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch, Notify};

/// How many events the pump reads from the log at a time.
const PUMP_BATCH: i64 = 500;
/// A safety net: the pump also looks at the log this often, even if nobody woke it.
const PUMP_IDLE_CHECK: Duration = Duration::from_secs(2);

/// Fans committed events out to the connections subscribed to their scopes.
pub struct Hub {
    channels: Mutex<HashMap<Scope, broadcast::Sender<Arc<EncodedEvent>>>>,
    /// The seq of the last event delivered to the channels.
    published: AtomicI64,
    /// Each connection's queue holds at most this many undelivered events.
    queue_capacity: usize,
    wake: Notify,
    revocations: broadcast::Sender<Revoked>,
    /// Kitchen-feed connections and their acknowledgements.
    pub screens: Arc<super::screens::Screens>,
}

/// Credentials that were just withdrawn: live connections opened with them close at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revoked {
    /// One session (sign-out), by its token hash.
    Session(String),
    /// A kitchen device and all its sessions.
    Device(i64),
    /// A staff account (disabled) and all its sessions.
    User(i64),
}

/// What a live connection was opened with, so it can be closed when that is revoked.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    pub session_hash: Option<String>,
    pub device_id: Option<i64>,
    pub user_id: Option<i64>,
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
            queue_capacity: queue_capacity.max(1),
            wake: Notify::new(),
            revocations: broadcast::channel(64).0,
            screens: Arc::default(),
        })
    }

    /// Closes the live connections that were opened with these credentials.
    pub fn revoke(&self, revoked: Revoked) {
        let _ = self.revocations.send(revoked);
    }

    pub fn revocations(&self) -> broadcast::Receiver<Revoked> {
        self.revocations.subscribe()
    }

    pub fn head(&self) -> i64 {
        self.published.load(Ordering::Acquire)
    }

    /// Tells the pump that something was committed.
    pub fn committed(&self) {
        self.wake.notify_one();
    }

    pub fn subscribe(self: &Arc<Self>, scope: Scope) -> Subscription {
        let mut channels = self.channels.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let receiver = channels
            .entry(scope)
            .or_insert_with(|| broadcast::channel(self.queue_capacity).0)
            .subscribe();
        Subscription { hub: self.clone(), scope, receiver }
    }

    /// Sends one event to the channels of its scopes. Never blocks: a full queue makes that
    /// receiver lag, and its connection is told to resync.
    fn deliver(&self, event: Arc<EncodedEvent>) {
        let seq = event.seq;
        let channels = self.channels.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
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
    use app::domain::EventKind;

    fn event(seq: i64, location_id: i64, order_id: i64) -> Arc<EncodedEvent> {
        Arc::new(EncodedEvent {
            seq,
            kind: EventKind::OrderUpdated,
            location_id,
            order_id: Some(order_id),
            json: format!("{{\"seq\":{seq}}}").into(),
            published_at: None,
        })
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

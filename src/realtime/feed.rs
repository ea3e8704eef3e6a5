use super::encode::EncodedEvent;
use super::hub::{Hub, Subscription};
use crate::store::{Replay, Scope, Store};
use app::domain::ResyncReason;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// One client's stream of events: first what it missed (from the log), then live ones.
///
/// It subscribes before reading the log, so nothing committed in between is lost, and drops
/// live events it already replayed, so nothing arrives twice.
pub struct Feed {
    subscription: Subscription,
    backlog: VecDeque<Arc<EncodedEvent>>,
    last_seq: i64,
}

pub enum FeedItem {
    /// `live` is false for events the client missed and gets now, from memory or the log.
    Event { event: Arc<EncodedEvent>, live: bool },
    /// The client must reload a snapshot; the feed is over.
    Resync(ResyncReason),
    /// The hub is gone (shutting down).
    Closed,
}

impl Feed {
    /// `since` is the last seq the client applied; `None` starts with live events only: those
    /// after the head at the moment of subscribing ([`Feed::start`]).
    pub async fn open(
        hub: &Arc<Hub>,
        store: &Store,
        scope: Scope,
        since: Option<i64>,
        replay_limit: i64,
    ) -> crate::store::Result<Result<Feed, ResyncReason>> {
        let subscription = hub.subscribe(scope);
        let Some(since) = since else {
            let last_seq = subscription.head();
            return Ok(Ok(Feed { subscription, backlog: VecDeque::new(), last_seq }));
        };
        // Recent events come from memory; only a longer absence reads the log.
        match hub.recent_since(scope, since, replay_limit) {
            Some(Ok(events)) => return Ok(Ok(Feed { subscription, backlog: events.into(), last_seq: since })),
            Some(Err(reason)) => return Ok(Err(reason)),
            None => {}
        }
        let events = match store.replay(scope, since, replay_limit).await? {
            Replay::Events(events) => events,
            Replay::TooFarBehind => return Ok(Err(ResyncReason::TooFarBehind)),
            Replay::UnknownSeq => return Ok(Err(ResyncReason::UnknownSeq)),
        };
        let backlog = events
            .iter()
            .filter_map(|stored| match EncodedEvent::encode(stored) {
                Ok(event) => Some(Arc::new(event)),
                Err(err) => {
                    tracing::error!(error = %err, "skipping an event that cannot be replayed");
                    None
                }
            })
            .collect();
        Ok(Ok(Feed { subscription, backlog, last_seq: since }))
    }

    /// Where the feed starts: the client has (or is told it need not have) every event up to
    /// this seq.
    pub fn start(&self) -> i64 {
        self.last_seq
    }

    /// The seq of the last event published at this feed's pizzeria.
    pub fn head(&self) -> i64 {
        self.subscription.head()
    }

    /// The next event to send. Cancel-safe, so it can sit in a `select!`.
    pub async fn next(&mut self) -> FeedItem {
        if let Some(item) = self.next_from_backlog() {
            return item;
        }
        loop {
            let received = self.subscription.receiver.recv().await;
            if let Some(item) = self.live(received) {
                return item;
            }
        }
    }

    /// The next event if one is already waiting; `None` if the client has had everything.
    pub fn try_next(&mut self) -> Option<FeedItem> {
        if let Some(item) = self.next_from_backlog() {
            return Some(item);
        }
        // Nothing newer published at this pizzeria: nothing can be waiting, and asking the channel
        // would take the lock every subscriber of this scope shares. The head is stored after
        // the event is sent, so a head that counts an event means the channel holds it.
        if self.last_seq >= self.subscription.head() {
            return None;
        }
        loop {
            let received = match self.subscription.receiver.try_recv() {
                Ok(event) => Ok(event),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Lagged(missed)) => Err(RecvError::Lagged(missed)),
                Err(TryRecvError::Closed) => Err(RecvError::Closed),
            };
            if let Some(item) = self.live(received) {
                return Some(item);
            }
        }
    }

    fn next_from_backlog(&mut self) -> Option<FeedItem> {
        let event = self.backlog.pop_front()?;
        self.last_seq = event.seq;
        Some(FeedItem::Event { event, live: false })
    }

    /// What a live event (or the channel's error) means for the client; `None` for an event
    /// it already got from the backlog.
    fn live(&mut self, received: Result<Arc<EncodedEvent>, RecvError>) -> Option<FeedItem> {
        match received {
            Ok(event) if event.seq <= self.last_seq => None,
            Ok(event) => {
                self.last_seq = event.seq;
                Some(FeedItem::Event { event, live: true })
            }
            Err(RecvError::Lagged(missed)) => {
                tracing::info!(missed, "a client fell behind its queue; asking it to resync");
                Some(FeedItem::Resync(ResyncReason::Lagged))
            }
            Err(RecvError::Closed) => Some(FeedItem::Closed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(seq: i64) -> Arc<EncodedEvent> {
        EncodedEvent::sample(seq, 1, seq, format!("{{\"seq\":{seq}}}"))
    }

    fn seq_of(item: Option<FeedItem>) -> Option<(i64, bool)> {
        match item? {
            FeedItem::Event { event, live } => Some((event.seq, live)),
            FeedItem::Resync(_) | FeedItem::Closed => Some((-1, false)),
        }
    }

    #[tokio::test]
    async fn what_is_waiting_comes_without_waiting_each_event_once() {
        let hub = Hub::new([], 4);
        let subscription = hub.subscribe(Scope::Location(1));
        // Replayed 1 and 2; 2 also arrives live, as it does when it is committed meanwhile.
        let mut feed = Feed { subscription, backlog: VecDeque::from([event(1), event(2)]), last_seq: 0 };
        hub.deliver(event(2));
        hub.deliver(event(3));
        assert_eq!(seq_of(feed.try_next()), Some((1, false)));
        assert_eq!(seq_of(feed.try_next()), Some((2, false)));
        assert_eq!(seq_of(feed.try_next()), Some((3, true)));
        assert_eq!(seq_of(feed.try_next()), None, "nothing waits: no event, no wait");
        // Another pizzeria's event moves the head but is not this feed's.
        hub.deliver(EncodedEvent::sample(4, 2, 4, "{}".into()));
        assert_eq!(seq_of(feed.try_next()), None, "another scope's event is not waiting here");
        for seq in 5..=10 {
            hub.deliver(event(seq));
        }
        assert!(
            matches!(feed.try_next(), Some(FeedItem::Resync(ResyncReason::Lagged))),
            "a client past its queue resyncs"
        );
    }
}

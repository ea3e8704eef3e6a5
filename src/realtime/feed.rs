use super::encode::EncodedEvent;
use super::hub::{Hub, Subscription};
use crate::store::{Replay, Scope, Store};
use app::domain::ResyncReason;
use std::collections::VecDeque;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

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
            return Ok(Ok(Feed { subscription, backlog: VecDeque::new(), last_seq: hub.head() }));
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

    /// The next event to send. Cancel-safe, so it can sit in a `select!`.
    pub async fn next(&mut self) -> FeedItem {
        if let Some(event) = self.backlog.pop_front() {
            self.last_seq = event.seq;
            return FeedItem::Event { event, live: false };
        }
        loop {
            match self.subscription.receiver.recv().await {
                Ok(event) if event.seq <= self.last_seq => continue,
                Ok(event) => {
                    self.last_seq = event.seq;
                    return FeedItem::Event { event, live: true };
                }
                Err(RecvError::Lagged(missed)) => {
                    tracing::info!(missed, "a client fell behind its queue; asking it to resync");
                    return FeedItem::Resync(ResyncReason::Lagged);
                }
                Err(RecvError::Closed) => return FeedItem::Closed,
            }
        }
    }
}

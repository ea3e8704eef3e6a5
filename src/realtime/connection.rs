//! One subscriber's connection, whatever the transport (WebSocket or SSE): hello, replay, live
//! events, heartbeats, and a clean end on resync, slowness or shutdown.

use super::encode::{ContactDetails, EncodedEvent};
use super::feed::{Feed, FeedItem};
use super::hub::{Credentials, Hub, Revoked};
use crate::store::{Scope, Store};
use app::domain::ServerMessage;
use futures::task::{waker_ref, ArcWake, AtomicWaker};
use futures::StreamExt as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::watch;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;

/// How many bytes of waiting events a connection writes at once, at most (one event is a few
/// hundred). The WebSocket's write buffer keeps the capacity of its largest write, so this
/// also bounds what a connection holds on to after catching up.
pub const BATCH_BYTES: usize = 4 * 1024;

#[derive(Clone, Debug)]
pub struct ConnectionSettings {
    pub build_id: String,
    pub heartbeat: Duration,
    /// A client that cannot take a message within this time is disconnected.
    pub send_timeout: Duration,
    /// More missed events than this and the client reloads a snapshot instead.
    pub replay_limit: i64,
}

/// What a connection sends; each transport frames it its own way.
pub enum Outgoing {
    /// Boxed: a `ServerMessage` can hold a whole order, and every send future (one per live
    /// connection, for as long as it lives) would otherwise keep room for two of them.
    Control(Box<ServerMessage>),
    /// With what the receiving connection may see of it (see [`EncodedEvent::json_for`]).
    Event(Arc<EncodedEvent>, ContactDetails),
}

impl Outgoing {
    pub fn control(message: ServerMessage) -> Outgoing {
        Outgoing::Control(Box::new(message))
    }

    pub fn control_json(message: &ServerMessage) -> String {
        // Our own messages always serialise; should one ever not, the client gets an empty
        // frame, which it ignores, rather than the connection a panic.
        serde_json::to_string(message).unwrap_or_default()
    }
}

/// What a client said.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// It has shown everything up to this seq.
    Ack(i64),
    Closed,
}

/// Why a connection ended: the transport may want to say so (e.g. a WebSocket close code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    ClientLeft,
    Resync,
    TooSlow,
    ShuttingDown,
    /// The session or device it was opened with was revoked.
    Revoked,
    Failed,
}

/// A way to reach one client.
pub trait Transport: Send {
    /// "websocket" or "sse", for metrics.
    const KIND: &'static str;
    /// Sends one message; `false` if the client is gone.
    fn send(&mut self, message: Outgoing) -> impl std::future::Future<Output = bool> + Send;
    /// Takes one message to go out with the next [`Transport::flush`] (or sooner, when the
    /// transport's own buffer is full); `false` if the client is gone. By default: sends it.
    fn queue(&mut self, message: Outgoing) -> impl std::future::Future<Output = bool> + Send {
        self.send(message)
    }
    /// Sends whatever [`Transport::queue`] took; `false` if the client is gone.
    fn flush(&mut self) -> impl std::future::Future<Output = bool> + Send {
        std::future::ready(true)
    }
    /// The next thing the client says: an acknowledgement, or that it is gone (it went away
    /// or sent something it must not).
    fn incoming(&mut self) -> impl std::future::Future<Output = Incoming> + Send;
}

// The connection's inputs are independent, and each is named at the call sites: bundling them
// into a struct would only move the list.
#[allow(clippy::too_many_arguments)]
pub async fn run<T: Transport>(
    transport: &mut T,
    hub: &Arc<Hub>,
    store: &Store,
    settings: &ConnectionSettings,
    scope: Scope,
    since: Option<i64>,
    credentials: &Credentials,
    mut shutdown: watch::Receiver<bool>,
) -> Ended {
    let _connected = crate::metrics::connection_opened(T::KIND, scope.feed_name());
    let deliveries = crate::metrics::DeliveryMetrics::new(T::KIND);
    // Kitchen feeds are screens: admins see each one and what it last acknowledged.
    let screen = matches!(scope, Scope::Location(_))
        .then(|| hub.screens.register(credentials.label.clone(), T::KIND, hub.head(scope.location_id())));
    // Long-lived waits are set up once, not on every turn of the loop below: re-creating them
    // would take the locks they share with every other connection (the revocation channel,
    // the shutdown signal) twice per delivered event.
    let mut revocations = BroadcastStream::new(hub.revocations());
    // The caller was identified before this connection heard of revocations, maybe from the
    // identity cache: a revocation committed in between would be missed. Asked again now,
    // from the database, anything revoked later reaches `revocations`.
    match still_trusted(store, credentials).await {
        Ok(true) => {}
        Ok(false) => return Ended::Revoked,
        Err(err) => {
            tracing::error!(error = %err, "could not check a connection's credentials");
            return Ended::Failed;
        }
    }
    let stop = stopping(&mut shutdown);
    tokio::pin!(stop);
    let timeout = settings.send_timeout;
    // Subscribe before saying hello: a client that acts on the hello (places an order, say)
    // must find its event in the feed, not in the gap between the two.
    // Boxed: reading the log is the largest step of a connection, and an idle connection should
    // not keep room for it in its state for as long as it lives.
    let opened = Box::pin(Feed::open(hub, store, scope, since, settings.replay_limit)).await;
    let head = match (&opened, since) {
        (Ok(Ok(feed)), None) => feed.start(),
        _ => hub.head(scope.location_id()),
    };
    let hello = ServerMessage::Hello {
        build_id: settings.build_id.clone(),
        head,
        heartbeat_ms: settings.heartbeat.as_millis() as u64,
    };
    if !send_within(transport, timeout, Outgoing::control(hello)).await {
        return Ended::ClientLeft;
    }
    let mut feed = match opened {
        Ok(Ok(feed)) => feed,
        Ok(Err(reason)) => {
            send_within(transport, timeout, Outgoing::control(ServerMessage::Resync { reason })).await;
            return Ended::Resync;
        }
        Err(err) => {
            tracing::error!(error = %err, "could not open a feed");
            return Ended::Failed;
        }
    };
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + settings.heartbeat, settings.heartbeat);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let slow_waits = SlowWaits::new();
    loop {
        let woke = {
            let event = feed.next();
            let incoming = transport.incoming();
            tokio::pin!(event, incoming);
            std::future::poll_fn(|cx| {
                if let Poll::Ready(item) = event.as_mut().poll(cx) {
                    return Poll::Ready(Woke::Event(item));
                }
                if let Poll::Ready(said) = incoming.as_mut().poll(cx) {
                    return Poll::Ready(Woke::Incoming(said));
                }
                slow_waits.poll(cx, &mut heartbeat, stop.as_mut(), &mut revocations)
            })
            .await
        };
        match woke {
            Woke::Event(item) => match item {
                FeedItem::Event { event, live } => match feed.try_next() {
                    // Usually nothing else is waiting, and the event goes out on its own.
                    None => {
                        // A missed event's age says how long the client was away, not how fast we are.
                        let (published_at, seq) = (event.published_at.filter(|_| live), event.seq);
                        if !send_within(transport, timeout, Outgoing::Event(event, credentials.contact)).await {
                            return Ended::TooSlow;
                        }
                        deliveries.delivered(published_at, feed.head() - seq);
                        heartbeat.reset();
                    }
                    // More are waiting (a burst the server is still working through, a resume):
                    // they go out together, one system call instead of one per event, so
                    // delivering gets cheaper per event just when the server is busiest.
                    // Boxed: that state is needed only while catching up, and an idle
                    // connection should not keep room for it.
                    Some(waiting) => {
                        let first = FeedItem::Event { event, live };
                        let caught_up = Box::pin(catch_up(
                            transport,
                            &mut feed,
                            [first, waiting],
                            &deliveries,
                            credentials.contact,
                            timeout,
                        ));
                        if let Some(ended) = caught_up.await {
                            return ended;
                        }
                        heartbeat.reset();
                    }
                },
                FeedItem::Resync(reason) => {
                    send_within(transport, timeout, Outgoing::control(ServerMessage::Resync { reason })).await;
                    return Ended::Resync;
                }
                FeedItem::Closed => return Ended::ShuttingDown,
            },
            Woke::Incoming(Incoming::Ack(seq)) => {
                if let Some(screen) = &screen {
                    hub.screens.ack(screen.id, seq, feed.head());
                }
            }
            Woke::Incoming(Incoming::Closed) => return Ended::ClientLeft,
            Woke::Heartbeat => {
                if !send_within(transport, timeout, Outgoing::control(ServerMessage::Heartbeat { head: feed.head() }))
                    .await
                {
                    return Ended::TooSlow;
                }
            }
            Woke::Stopping => return Ended::ShuttingDown,
            Woke::Revocation(revoked) => match revoked {
                Ok(revoked) if credentials.revoked_by(&revoked) => return Ended::Revoked,
                // A burst of revocations we missed: close rather than risk keeping a revoked one.
                Err(BroadcastStreamRecvError::Lagged(_)) if credentials.session_hash.is_some() => {
                    return Ended::Revoked
                }
                _ => {}
            },
        }
    }
}

/// What a connection woke for.
enum Woke {
    Event(FeedItem),
    Incoming(Incoming),
    Heartbeat,
    Stopping,
    Revocation(Result<Revoked, BroadcastStreamRecvError>),
}

/// A waker of their own for a connection's slow waits: the heartbeat, shutdown and revocations.
/// A connection wakes for nearly every event delivered, and polling those waits each time would
/// take two locks that every connection shares (the shutdown signal's and the revocation
/// channel's) and touch the timer; this way they are polled only when one of them woke it.
struct SlowWaits {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl ArcWake for SlowWaits {
    fn wake_by_ref(waits: &Arc<Self>) {
        waits.woken.store(true, Ordering::Release);
        waits.task.wake();
    }
}

impl SlowWaits {
    fn new() -> Arc<SlowWaits> {
        // Woken to begin with: each wait must be polled once to be registered at all.
        Arc::new(SlowWaits { woken: AtomicBool::new(true), task: AtomicWaker::new() })
    }

    /// Polls the slow waits if one of them woke the task since the last look.
    fn poll(
        self: &Arc<Self>,
        cx: &mut Context<'_>,
        heartbeat: &mut tokio::time::Interval,
        stop: Pin<&mut impl Future<Output = ()>>,
        revocations: &mut BroadcastStream<Revoked>,
    ) -> Poll<Woke> {
        // Registered before the flag is read: a wake in between finds this task's waker.
        self.task.register(cx.waker());
        if !self.woken.swap(false, Ordering::AcqRel) {
            return Poll::Pending;
        }
        let waker = waker_ref(self);
        let mut own = Context::from_waker(&waker);
        let woke = if heartbeat.poll_tick(&mut own).is_ready() {
            Woke::Heartbeat
        } else if stop.poll(&mut own).is_ready() {
            Woke::Stopping
        } else if let Poll::Ready(Some(revoked)) = revocations.poll_next_unpin(&mut own) {
            Woke::Revocation(revoked)
        } else {
            return Poll::Pending;
        };
        // Another of them may be ready too: look at them all again next time.
        self.woken.store(true, Ordering::Release);
        Poll::Ready(woke)
    }
}

/// Whether the token a connection was opened with is still current, read from the database.
/// Connections without one (customers following their order) have nothing to withdraw.
async fn still_trusted(store: &Store, credentials: &Credentials) -> Result<bool, crate::store::StoreError> {
    let Some(hash) = &credentials.session_hash else { return Ok(true) };
    Ok(store.session_holder(hash, chrono::Utc::now()).await?.is_some()
        || store.principal_for_api_key(hash).await?.is_some())
}

/// Sends `taken` and whatever else is waiting, up to [`BATCH_BYTES`], in one write; the
/// connection's end if it came meanwhile.
async fn catch_up<T: Transport>(
    transport: &mut T,
    feed: &mut Feed,
    taken: [FeedItem; 2],
    deliveries: &crate::metrics::DeliveryMetrics,
    contact: ContactDetails,
    timeout: Duration,
) -> Option<Ended> {
    let mut taken = taken.into_iter();
    let mut queued_bytes = 0;
    // What was already taken from the feed goes out whatever its size; more only below the cap.
    while let Some(item) = taken.next().or_else(|| (queued_bytes < BATCH_BYTES).then(|| feed.try_next()).flatten()) {
        match item {
            FeedItem::Event { event, live } => {
                let (published_at, seq) = (event.published_at.filter(|_| live), event.seq);
                queued_bytes += event.json.len();
                if !within(timeout, || transport.queue(Outgoing::Event(event, contact))).await {
                    return Some(Ended::TooSlow);
                }
                deliveries.delivered(published_at, feed.head() - seq);
            }
            // Sending the resync sends the events queued before it too.
            FeedItem::Resync(reason) => {
                send_within(transport, timeout, Outgoing::control(ServerMessage::Resync { reason })).await;
                return Some(Ended::Resync);
            }
            // The goodbye (see the transport's `finish`) sends what was queued.
            FeedItem::Closed => return Some(Ended::ShuttingDown),
        }
    }
    (!within(timeout, || transport.flush()).await).then_some(Ended::TooSlow)
}

/// Sends one message, giving up on a client that can't take it within `timeout`.
fn send_within<T: Transport>(
    transport: &mut T,
    timeout: Duration,
    message: Outgoing,
) -> impl std::future::Future<Output = bool> + '_ {
    within(timeout, move || transport.send(message))
}

/// Runs one step of sending, giving up on a client that can't take it within `timeout`.
/// Takes the step's maker, not the step: an idle connection's state holds every step it may
/// await, and a step passed in would be held twice, as the argument and pinned.
async fn within<F: std::future::Future<Output = bool>>(timeout: Duration, step: impl FnOnce() -> F) -> bool {
    let send = step();
    tokio::pin!(send);
    // Nearly every send completes at once; only one that has to wait is timed, sparing the
    // clock read and timer of a timeout per delivered event.
    if let Poll::Ready(sent) = futures::poll!(send.as_mut()) {
        return sent;
    }
    tokio::time::timeout(timeout, send).await.unwrap_or(false)
}

/// Resolves once shutdown has begun (or the signal is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stopping| *stopping).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Writes down what the connection asks of it; the client never says anything.
    struct RecordingTransport {
        log: Arc<Mutex<Vec<String>>>,
    }

    impl RecordingTransport {
        fn note(&self, what: String) -> bool {
            self.log.lock().unwrap().push(what);
            true
        }
    }

    fn describe(message: &Outgoing) -> String {
        match message {
            Outgoing::Event(event, _) => format!("event {}", event.seq),
            Outgoing::Control(control) => match control.as_ref() {
                ServerMessage::Hello { .. } => "hello".into(),
                ServerMessage::Heartbeat { .. } => "heartbeat".into(),
                ServerMessage::Resync { .. } => "resync".into(),
                ServerMessage::Event(_) => "event".into(),
            },
        }
    }

    impl Transport for RecordingTransport {
        const KIND: &'static str = "test";

        async fn send(&mut self, message: Outgoing) -> bool {
            self.note(format!("send {}", describe(&message)))
        }

        async fn queue(&mut self, message: Outgoing) -> bool {
            self.note(format!("queue {}", describe(&message)))
        }

        async fn flush(&mut self) -> bool {
            self.note("flush".into())
        }

        async fn incoming(&mut self) -> Incoming {
            std::future::pending().await
        }
    }

    /// An order event at the first pizzeria whose message is `bytes` long.
    fn event(seq: i64, bytes: usize) -> Arc<EncodedEvent> {
        EncodedEvent::sample(seq, 1, seq, "x".repeat(bytes))
    }

    /// Lets the connection run until `done` holds for what it did (a single-threaded runtime:
    /// the connection moves only when the test waits).
    async fn until(log: &Mutex<Vec<String>>, done: impl Fn(&[String]) -> bool) {
        // Bounded by time, not by turns: opening a connection reads the database, which takes
        // longer on a busy machine.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        for turn in 0u64.. {
            if done(&log.lock().unwrap()) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                break;
            }
            if turn % 100 == 99 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            } else {
                tokio::task::yield_now().await;
            }
        }
        panic!("the connection never got there: {:?}", log.lock().unwrap());
    }

    /// A kitchen connection on a fresh hub, recording what it sends, with these heartbeat and
    /// credentials; waits for its hello.
    struct TestConnection {
        hub: Arc<Hub>,
        log: Arc<Mutex<Vec<String>>>,
        stop: watch::Sender<bool>,
        ended: tokio::task::JoinHandle<Ended>,
        _dir: tempfile::TempDir,
    }

    impl TestConnection {
        async fn start(heartbeat: Duration, credentials: Credentials) -> TestConnection {
            let (dir, store) = Store::temporary().await;
            if let Some(hash) = &credentials.session_hash {
                // Signed in for real: a connection is checked against the database as it opens.
                let now = chrono::Utc::now();
                let user = store.create_user(1, "sam", "hash", app::domain::Role::Staff, now).await.unwrap().unwrap();
                store.open_user_session(hash, user, now, now + chrono::Duration::hours(1)).await.unwrap();
            }
            let hub = Hub::new([], 64);
            let (stop, shutdown) = watch::channel(false);
            let log: Arc<Mutex<Vec<String>>> = Arc::default();
            let settings = ConnectionSettings {
                build_id: "test".into(),
                heartbeat,
                send_timeout: Duration::from_secs(1),
                replay_limit: 100,
            };
            let ended = tokio::spawn({
                let (hub, log) = (hub.clone(), log.clone());
                async move {
                    let mut transport = RecordingTransport { log };
                    run(&mut transport, &hub, &store, &settings, Scope::Location(1), None, &credentials, shutdown).await
                }
            });
            until(&log, |log| log.len() == 1).await;
            TestConnection { hub, log, stop, ended, _dir: dir }
        }
    }

    /// Between events a connection still hears its other waits: the heartbeat after a quiet
    /// spell, and a revocation of the credentials it was opened with.
    #[tokio::test]
    async fn after_delivering_a_connection_still_sends_heartbeats_and_closes_when_revoked() {
        let heartbeat = Duration::from_millis(50);
        let credentials = Credentials { session_hash: Some("hash".into()), ..Credentials::default() };
        // Bound whole: the stop signal and the folder must live as long as the connection.
        let connection = TestConnection::start(heartbeat, credentials).await;
        let (hub, log) = (&connection.hub, &connection.log);
        for seq in 1..=2 {
            hub.deliver(event(seq, 100));
            until(log, |log| log.last().is_some_and(|last| *last == format!("send event {seq}"))).await;
        }
        // The connection's heartbeat is due before this sleep ends (one clock, earlier deadline).
        tokio::time::sleep(heartbeat * 2).await;
        until(log, |log| log.last().is_some_and(|last| last == "send heartbeat")).await;

        hub.revoke(Revoked::Session("someone else".into()));
        hub.deliver(event(3, 100));
        until(log, |log| log.last().is_some_and(|last| last == "send event 3")).await;
        hub.revoke(Revoked::Session("hash".into()));
        assert_eq!(connection.ended.await.unwrap(), Ended::Revoked);
    }

    #[tokio::test]
    async fn events_already_waiting_go_out_together_up_to_the_batch_size() {
        let connection = TestConnection::start(Duration::from_secs(3600), Credentials::default()).await;
        let (hub, log) = (&connection.hub, &connection.log);

        // Three small events published before the connection runs: one write.
        for seq in 1..=3 {
            hub.deliver(event(seq, 100));
        }
        until(log, |log| log.ends_with(&["flush".to_string()])).await;
        // Three large ones: a batch ends once it holds `BATCH_BYTES`, the rest waits its turn.
        let large = BATCH_BYTES / 2 + 1;
        for seq in 4..=6 {
            hub.deliver(event(seq, large));
        }
        until(log, |log| log.ends_with(&["send event 6".to_string()])).await;

        connection.stop.send(true).unwrap();
        assert_eq!(connection.ended.await.unwrap(), Ended::ShuttingDown);
        // The one left over goes out on its own, as any lone event does.
        let expected = [
            "send hello",
            "queue event 1",
            "queue event 2",
            "queue event 3",
            "flush",
            "queue event 4",
            "queue event 5",
            "flush",
            "send event 6",
        ];
        assert_eq!(*log.lock().unwrap(), expected);
    }
}

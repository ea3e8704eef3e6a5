//! The WebSocket client proper (browser only).

use super::{now_ms, ConnectionState, Feed, LiveOrders};
use crate::api::AppError;
use crate::build::BUILD_META_NAME;
use crate::domain::backoff::reconnect_delay_ms;
use crate::domain::{ClientMessage, EventKind, Menu, Payload, ServerMessage};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// The server closes with this code when the session or device was revoked.
const SIGNED_OUT_CLOSE_CODE: u16 = 4401;
/// Acknowledgements go out at most this often while events stream in.
const ACK_INTERVAL_MS: f64 = 1000.0;

/// A link silent for this many heartbeat intervals is treated as dead.
const MISSED_HEARTBEATS: f64 = 3.0;

/// A reload in flight: the seq to resume from once it is done.
type Reload = Pin<Box<dyn Future<Output = Result<i64, AppError>>>>;

/// What a live page keeps current from its feed. The connection calls it without knowing
/// which: a page links only the code of what it follows (in a split build, the kitchen's
/// island does not carry the menu's).
pub(super) trait Follow {
    /// Applies one new event to what the page shows.
    fn apply(&self, kind: EventKind, payload: Payload, now: f64);
    /// Loads the whole picture again (the server said ours is stale); the seq to resume from.
    fn reload(&self) -> Reload;
}

/// The orders of the kitchen, staff and order pages.
pub(super) struct FollowOrders {
    pub feed: Feed,
    pub live: LiveOrders,
}

impl Follow for FollowOrders {
    fn apply(&self, kind: EventKind, payload: Payload, now: f64) {
        let Payload::Order(order) = payload else { return };
        let order_id = order.id;
        let mut is_new = false;
        self.live.board.update(|board| {
            let known = board.get(order_id).is_some();
            let changed = board.apply(order);
            is_new = changed && !known;
        });
        if is_new && kind == EventKind::OrderCreated {
            self.live.arrivals.update(|arrivals| arrivals.push((order_id, now)));
        }
    }

    fn reload(&self) -> Reload {
        let (feed, live) = (self.feed.clone(), self.live);
        Box::pin(async move {
            let snapshot = feed.snapshot().await?;
            live.estimate.set(snapshot.estimate);
            live.board.update(|board| board.replace(snapshot.orders));
            Ok(snapshot.seq)
        })
    }
}

/// The menu of the menu pages: sold-out marks and prices.
pub(super) struct FollowMenu {
    pub menu: RwSignal<Menu>,
}

impl Follow for FollowMenu {
    fn apply(&self, _kind: EventKind, payload: Payload, _now: f64) {
        if let Some(change) = payload.menu_change() {
            self.menu.update(|menu| menu.apply(&change));
        }
    }

    fn reload(&self) -> Reload {
        let menu = self.menu;
        Box::pin(async move {
            let fresh = crate::api::get_menu().await?;
            let seq = fresh.seq;
            menu.set(fresh);
            Ok(seq)
        })
    }
}

struct Handlers {
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

struct Connection {
    feed: Feed,
    live: LiveOrders,
    follower: Box<dyn Follow>,
    build_id: String,
    last_seq: Cell<i64>,
    attempt: Cell<u32>,
    /// Bumped for every new socket, so callbacks of an abandoned socket are ignored.
    generation: Cell<u32>,
    socket: RefCell<Option<(WebSocket, Handlers)>>,
    opened_at: Cell<f64>,
    heard_at: Cell<f64>,
    retry: RefCell<Option<TimeoutHandle>>,
    stopped: Cell<bool>,
    /// The last seq acknowledged to the server, and when.
    acked: Cell<(i64, f64)>,
}

pub(super) fn start(feed: Feed, since: i64, live: LiveOrders, follower: Box<dyn Follow>) {
    let connection = Rc::new(Connection {
        feed,
        live,
        follower,
        build_id: page_build_id(),
        last_seq: Cell::new(since),
        attempt: Cell::new(0),
        generation: Cell::new(0),
        socket: RefCell::new(None),
        opened_at: Cell::new(now_ms()),
        heard_at: Cell::new(now_ms()),
        retry: RefCell::new(None),
        stopped: Cell::new(false),
        acked: Cell::new((since, 0.0)),
    });
    connection.connect();

    let ticking = connection.clone();
    let ticker = set_interval_with_handle(move || ticking.tick(), Duration::from_secs(1)).ok();
    let went_offline = connection.clone();
    let offline = window_event_listener(leptos::ev::offline, move |_| went_offline.went_offline());
    let came_online = connection.clone();
    let online = window_event_listener(leptos::ev::online, move |_| came_online.came_online());

    let stop = SendWrapper::new(move || {
        connection.stopped.set(true);
        connection.cancel_retry();
        connection.disconnect();
        if let Some(ticker) = ticker {
            ticker.clear();
        }
        offline.remove();
        online.remove();
    });
    on_cleanup(move || (stop.take())());
}

impl Connection {
    fn url(&self) -> String {
        let location = window().location();
        let scheme = match location.protocol().as_deref() {
            Ok("https:") => "wss",
            _ => "ws",
        };
        let host = location.host().unwrap_or_default();
        format!("{scheme}://{host}/ws?{}&since={}", self.feed.query(), self.last_seq.get())
    }

    fn connect(self: &Rc<Self>) {
        if self.stopped.get() {
            return;
        }
        self.disconnect();
        if !window().navigator().on_line() {
            self.went_offline();
            return;
        }
        let generation = self.generation.get().wrapping_add(1);
        self.generation.set(generation);
        let socket = match WebSocket::new(&self.url()) {
            Ok(socket) => socket,
            Err(_) => return self.schedule_reconnect(),
        };
        let this = self.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(text) = event.data().as_string() {
                this.on_text(generation, &text);
            }
        });
        let this = self.clone();
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |event: CloseEvent| {
            if event.code() == SIGNED_OUT_CLOSE_CODE {
                // Signed out or revoked: the page itself sends us to sign in again.
                this.stopped.set(true);
                let _ = window().location().reload();
                return;
            }
            this.on_lost(generation);
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.opened_at.set(now_ms());
        *self.socket.borrow_mut() = Some((socket, Handlers { _on_message: on_message, _on_close: on_close }));
    }

    /// Closes the current socket, if any, without triggering a reconnect.
    fn disconnect(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        if let Some((socket, handlers)) = self.socket.borrow_mut().take() {
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
            drop(handlers);
        }
    }

    fn on_text(self: &Rc<Self>, generation: u32, text: &str) {
        if generation != self.generation.get() {
            return;
        }
        let now = now_ms();
        self.heard_at.set(now);
        self.live.last_heard_ms.set(Some(now));
        let Ok(message) = serde_json::from_str::<ServerMessage>(text) else {
            leptos::logging::warn!("ignoring a message this page does not understand");
            return;
        };
        match message {
            ServerMessage::Hello { build_id, heartbeat_ms, .. } => {
                if !self.build_id.is_empty() && build_id != self.build_id {
                    // A new deployment: load its pages and code.
                    let _ = window().location().reload();
                    return;
                }
                self.live.heartbeat_ms.set(heartbeat_ms as f64);
                self.attempt.set(0);
                self.live.connection.set(ConnectionState::Live);
            }
            ServerMessage::Event(event) => {
                if event.seq <= self.last_seq.get() {
                    return;
                }
                self.last_seq.set(event.seq);
                self.follower.apply(event.kind, event.payload, now);
                self.acknowledge(now, false);
            }
            ServerMessage::Heartbeat { .. } => self.acknowledge(now, true),
            ServerMessage::Resync { .. } => self.resync(),
        }
    }

    /// Tells the server what this screen now shows (kitchen feed only): at most once a
    /// second while events stream in, and on the next heartbeat after the last of them.
    fn acknowledge(&self, now: f64, on_heartbeat: bool) {
        let seq = self.last_seq.get();
        let (acked_seq, acked_at) = self.acked.get();
        if self.feed != Feed::Kitchen || seq <= acked_seq || (!on_heartbeat && now - acked_at < ACK_INTERVAL_MS) {
            return;
        }
        let message = serde_json::to_string(&ClientMessage::Ack { seq }).unwrap_or_default();
        if let Some((socket, _)) = self.socket.borrow().as_ref() {
            if socket.send_with_str(&message).is_ok() {
                self.acked.set((seq, now));
            }
        }
    }

    fn on_lost(self: &Rc<Self>, generation: u32) {
        if generation != self.generation.get() {
            return;
        }
        self.disconnect();
        self.schedule_reconnect();
    }

    fn mark_lost(&self) {
        let since_ms = self.live.connection.get_untracked().lost_since_ms().unwrap_or_else(now_ms);
        self.live.connection.set(ConnectionState::Reconnecting { since_ms });
    }

    fn schedule_reconnect(self: &Rc<Self>) {
        if self.stopped.get() {
            return;
        }
        self.mark_lost();
        self.cancel_retry();
        let delay = reconnect_delay_ms(self.attempt.get(), js_sys::Math::random());
        self.attempt.set(self.attempt.get().saturating_add(1));
        let this = self.clone();
        let handle = set_timeout_with_handle(move || this.connect(), Duration::from_millis(delay as u64)).ok();
        *self.retry.borrow_mut() = handle;
    }

    fn cancel_retry(&self) {
        if let Some(handle) = self.retry.borrow_mut().take() {
            handle.clear();
        }
    }

    /// The server said our data is stale: reload what the page shows, then resume from there.
    fn resync(self: &Rc<Self>) {
        self.disconnect();
        let this = self.clone();
        leptos::task::spawn_local(async move {
            match this.follower.reload().await {
                Ok(seq) => {
                    this.last_seq.set(seq);
                    this.connect();
                }
                Err(_) => this.schedule_reconnect(),
            }
        });
    }

    fn went_offline(&self) {
        self.cancel_retry();
        self.disconnect();
        let since_ms = self.live.connection.get_untracked().lost_since_ms().unwrap_or_else(now_ms);
        self.live.connection.set(ConnectionState::Offline { since_ms });
    }

    fn came_online(self: &Rc<Self>) {
        self.cancel_retry();
        self.attempt.set(0);
        self.mark_lost();
        self.connect();
    }

    /// Once a second: move the clock, and give up on a link that went silent.
    fn tick(self: &Rc<Self>) {
        let now = now_ms();
        self.live.now_ms.set(now);
        if self
            .live
            .arrivals
            .with_untracked(|arrivals| arrivals.iter().any(|(_, at)| now - at > 10.0 * super::ARRIVAL_HIGHLIGHT_MS))
        {
            self.live.arrivals.update(|arrivals| arrivals.retain(|(_, at)| now - at <= super::ARRIVAL_HIGHLIGHT_MS));
        }
        let Some(ready_state) = self.socket.borrow().as_ref().map(|(socket, _)| socket.ready_state()) else {
            return;
        };
        let silence_limit = self.live.heartbeat_ms.get_untracked() * MISSED_HEARTBEATS;
        let dead = match ready_state {
            WebSocket::OPEN => now - self.heard_at.get().max(self.opened_at.get()) > silence_limit,
            WebSocket::CONNECTING => now - self.opened_at.get() > silence_limit,
            _ => false,
        };
        if dead {
            self.on_lost(self.generation.get());
        }
    }
}

/// The build id the server wrote into this page.
fn page_build_id() -> String {
    document()
        .query_selector(&format!("meta[name='{BUILD_META_NAME}']"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .unwrap_or_default()
}

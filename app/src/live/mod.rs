//! The browser's side of the live channel: one WebSocket per live page that resumes from the
//! last applied seq, reconnects with jittered backoff, watches heartbeats and resyncs from a
//! snapshot when the server says so. On the server (SSR) it only holds the initial snapshot,
//! which reaches the browser inside the page (`snapshot_in_page`).

#[cfg(feature = "hydrate")]
mod client;
#[cfg(feature = "hydrate")]
pub mod kiosk;
pub mod menu_cache;
#[cfg(feature = "hydrate")]
pub mod ready_alert;
#[cfg(feature = "hydrate")]
pub mod share;
pub mod snapshot_in_page;
#[cfg(feature = "hydrate")]
pub mod wall;

use crate::api::{get_order, list_open_orders, AppError};
use crate::domain::eta::ReadyEstimate;
use crate::domain::{Menu, OrderBoard, Snapshot};
use leptos::prelude::*;

/// What a live page subscribes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Feed {
    /// Every order of the pizzeria: the kitchen screen and the staff board.
    Kitchen,
    /// One order, by its customer token: the customer's order page.
    Order(String),
    /// The pizzeria's menu changes (sold out, prices): every menu page. Public.
    Menu,
}

impl Feed {
    /// The query string selecting this feed on `/ws` and `/events`.
    pub fn query(&self) -> String {
        match self {
            Feed::Kitchen => "feed=kitchen".to_string(),
            Feed::Order(token) => format!("feed=order&token={token}"),
            Feed::Menu => "feed=menu".to_string(),
        }
    }

    /// A fresh, consistent snapshot of this feed's orders, with the seq to resume from.
    pub async fn snapshot(self) -> Result<Snapshot, AppError> {
        match self {
            Feed::Kitchen => list_open_orders().await,
            Feed::Order(token) => get_order(token).await,
            // The menu page reloads the menu itself (see `client`): no orders here.
            Feed::Menu => Ok(Snapshot::default()),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConnectionState {
    Connecting,
    Live,
    /// Lost the link at `since_ms` (ms since the epoch) and trying again.
    Reconnecting {
        since_ms: f64,
    },
    /// The browser reports no network since `since_ms`.
    Offline {
        since_ms: f64,
    },
}

/// Until the server's hello says otherwise.
pub const DEFAULT_HEARTBEAT_MS: f64 = 5_000.0;

/// After this long without a link, "reconnecting…" becomes "offline since …".
pub const OFFLINE_AFTER_MS: f64 = 5_000.0;

impl ConnectionState {
    /// A short machine-readable name, also used by the end-to-end tests.
    pub fn code(self, now_ms: f64) -> &'static str {
        match self {
            ConnectionState::Connecting => "connecting",
            ConnectionState::Live => "live",
            ConnectionState::Reconnecting { since_ms } if now_ms - since_ms < OFFLINE_AFTER_MS => "reconnecting",
            ConnectionState::Reconnecting { .. } | ConnectionState::Offline { .. } => "offline",
        }
    }

    pub fn lost_since_ms(self) -> Option<f64> {
        match self {
            ConnectionState::Reconnecting { since_ms } | ConnectionState::Offline { since_ms } => Some(since_ms),
            _ => None,
        }
    }
}

/// The reactive state of one live page.
#[derive(Clone, Copy)]
pub struct LiveOrders {
    pub board: RwSignal<OrderBoard>,
    pub connection: RwSignal<ConnectionState>,
    /// When the server was last heard from (ms since the epoch).
    pub last_heard_ms: RwSignal<Option<f64>>,
    /// How often a healthy link hears from the server at least (its hello says).
    pub heartbeat_ms: RwSignal<f64>,
    /// Ticks every second, for ticket timers and ages. Server-rendered pages use the render time.
    pub now_ms: RwSignal<f64>,
    /// Orders that arrived live (not in the first snapshot), with when they arrived: the
    /// kitchen highlights them for a while and chimes.
    pub arrivals: RwSignal<Vec<(i64, f64)>>,
    /// On a customer's order page: when it should be ready.
    pub estimate: RwSignal<Option<ReadyEstimate>>,
}

/// How long a newly arrived ticket stays highlighted.
pub const ARRIVAL_HIGHLIGHT_MS: f64 = 12_000.0;

impl LiveOrders {
    /// The page's state as `snapshot` shows it, not yet connected.
    fn at(snapshot: Snapshot) -> LiveOrders {
        LiveOrders {
            board: RwSignal::new(OrderBoard::from_orders(snapshot.orders)),
            connection: RwSignal::new(ConnectionState::Connecting),
            last_heard_ms: RwSignal::new(None),
            heartbeat_ms: RwSignal::new(DEFAULT_HEARTBEAT_MS),
            // The snapshot's time, not the local clock: the same on the server and in the
            // browser, so hydration sees what the server rendered. The first tick moves it on.
            now_ms: RwSignal::new(snapshot.taken_at.timestamp_millis() as f64),
            arrivals: RwSignal::new(Vec::new()),
            estimate: RwSignal::new(snapshot.estimate),
        }
    }

    /// Whether `order_id` arrived within the highlight window.
    pub fn just_arrived(&self, order_id: i64) -> bool {
        let now = self.now_ms.get();
        self.arrivals
            .with(|arrivals| arrivals.iter().any(|(id, at)| *id == order_id && now - at < ARRIVAL_HIGHLIGHT_MS))
    }
}

/// Starts keeping `snapshot` live. The connection closes when the calling component unmounts.
pub fn use_live_orders(feed: Feed, snapshot: Snapshot) -> LiveOrders {
    let seq = snapshot.seq;
    let live = LiveOrders::at(snapshot);
    #[cfg(feature = "hydrate")]
    client::start(feed.clone(), seq, live, Box::new(client::FollowOrders { feed, live }));
    #[cfg(not(feature = "hydrate"))]
    let _ = (feed, seq);
    live
}

/// Starts keeping `menu` current: sold-out marks and prices change on the page as staff
/// change them.
pub fn use_live_menu(menu: RwSignal<Menu>) -> LiveOrders {
    let seq = menu.with_untracked(|menu| menu.seq);
    let live = LiveOrders::at(Snapshot { seq, ..Snapshot::default() });
    #[cfg(feature = "hydrate")]
    client::start(Feed::Menu, seq, live, Box::new(client::FollowMenu { menu }));
    live
}

/// Milliseconds since the epoch, on either side.
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        chrono::Utc::now().timestamp_millis() as f64
    }
}

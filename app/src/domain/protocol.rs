//! The live channel's wire format: what the server sends on `/ws` and `/events`.
//! docs/protocol.md describes it for people; these types are the truth.

use super::menu::{MenuChange, MenuItem, Topping};
use super::order::Order;
use serde::{Deserialize, Serialize};

/// What a client may send on `/ws`: acknowledgements only. Anything else closes the connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// "I have shown everything up to `seq`": how admins see whether a screen keeps up.
    Ack { seq: i64 },
}

/// A live connection on the kitchen feed, as admins see it: who, from where, and how far
/// behind what it last reported showing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectedScreen {
    pub connection_id: u64,
    /// The server instance it is connected to.
    pub instance: String,
    /// The device's or the account's name.
    pub name: String,
    /// "device", "user" or "api_key".
    pub kind: String,
    pub address: String,
    pub transport: String,
    pub connected_at: chrono::DateTime<chrono::Utc>,
    /// The last seq the screen reported showing, and when.
    pub acked_seq: Option<i64>,
    pub acked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Events committed since that acknowledgement (since it connected, before any).
    pub behind: i64,
}

/// A screen has this long to show and acknowledge an event before an owner is told it is
/// behind: a healthy screen is a few events behind for a moment after every burst.
pub const SCREEN_GRACE_SECS: i64 = 15;

/// How a connected screen is doing, as an owner is told it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenHealth {
    UpToDate,
    /// Behind, and silent for this many seconds (past the grace period).
    Behind {
        secs: i64,
    },
}

impl ConnectedScreen {
    /// Up to date, or behind for how long: counted from its last acknowledgement (or from when
    /// it connected), and only past [`SCREEN_GRACE_SECS`].
    pub fn health(&self, now: chrono::DateTime<chrono::Utc>) -> ScreenHealth {
        let silent_secs = (now - self.acked_at.unwrap_or(self.connected_at)).num_seconds().max(0);
        if self.behind <= 0 || silent_secs < SCREEN_GRACE_SECS {
            ScreenHealth::UpToDate
        } else {
            ScreenHealth::Behind { secs: silent_secs }
        }
    }
}

/// A message from the server. Clients send nothing but acknowledgements ([`ClientMessage`]).
// Messages are read one at a time and dropped: boxing the common one (an event) would only add
// an allocation to each.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", try_from = "ServerMessageFields")]
pub enum ServerMessage {
    /// First message on every connection.
    Hello {
        /// Identifies the deployed build: a client that loaded another build reloads itself.
        build_id: String,
        /// The newest seq of the connection's pizzeria published when it opened.
        head: i64,
        /// The server sends something at least this often; three silent intervals mean a dead link.
        heartbeat_ms: u64,
    },
    /// A committed change.
    Event(LiveEvent),
    /// Sent when the connection is otherwise idle.
    Heartbeat { head: i64 },
    /// "Your data is stale": reload a snapshot, then reconnect from the snapshot's seq.
    Resync { reason: ResyncReason },
}

/// A [`ServerMessage`] as it is read: every field any message has (see [`super::wire`]).
#[derive(Deserialize)]
struct ServerMessageFields {
    r#type: ServerMessageType,
    build_id: Option<String>,
    head: Option<i64>,
    heartbeat_ms: Option<u64>,
    seq: Option<i64>,
    kind: Option<EventKind>,
    location_id: Option<i64>,
    url: Option<String>,
    payload: Option<Payload>,
    reason: Option<ResyncReason>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ServerMessageType {
    Hello,
    Event,
    Heartbeat,
    Resync,
}

impl TryFrom<ServerMessageFields> for ServerMessage {
    type Error = String;

    fn try_from(fields: ServerMessageFields) -> Result<ServerMessage, String> {
        use super::tagged_json::required;
        Ok(match fields.r#type {
            ServerMessageType::Hello => ServerMessage::Hello {
                build_id: required(fields.build_id, "build_id")?,
                head: required(fields.head, "head")?,
                heartbeat_ms: required(fields.heartbeat_ms, "heartbeat_ms")?,
            },
            ServerMessageType::Event => ServerMessage::Event(LiveEvent {
                seq: required(fields.seq, "seq")?,
                kind: required(fields.kind, "kind")?,
                location_id: required(fields.location_id, "location_id")?,
                url: required(fields.url, "url")?,
                payload: required(fields.payload, "payload")?,
            }),
            ServerMessageType::Heartbeat => ServerMessage::Heartbeat { head: required(fields.head, "head")? },
            ServerMessageType::Resync => ServerMessage::Resync { reason: required(fields.reason, "reason")? },
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResyncReason {
    /// The requested seq is older than the retained event log, or too much was missed to replay.
    TooFarBehind,
    /// The requested seq is newer than anything this server knows (e.g. the database was replaced).
    UnknownSeq,
    /// The client read too slowly and its bounded queue overflowed.
    Lagged,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    #[serde(rename = "order.created")]
    OrderCreated,
    #[serde(rename = "order.updated")]
    OrderUpdated,
    #[serde(rename = "menu_item.updated")]
    MenuItemUpdated,
    #[serde(rename = "topping.updated")]
    ToppingUpdated,
}

impl EventKind {
    pub const ALL: [EventKind; 4] =
        [EventKind::OrderCreated, EventKind::OrderUpdated, EventKind::MenuItemUpdated, EventKind::ToppingUpdated];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::OrderCreated => "order.created",
            EventKind::OrderUpdated => "order.updated",
            EventKind::MenuItemUpdated => "menu_item.updated",
            EventKind::ToppingUpdated => "topping.updated",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|kind| kind.as_str() == s)
    }
}

/// One entry of the event log, as clients see it.
/// It carries the changed resource (apply it by version) and the URL to refetch it from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LiveEvent {
    /// Its place in its pizzeria's events: gap-free and increasing within the pizzeria (each
    /// pizzeria numbers its own).
    pub seq: i64,
    pub kind: EventKind,
    pub location_id: i64,
    pub url: String,
    pub payload: Payload,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    Order(Order),
    MenuItem(MenuItem),
    Topping(Topping),
}

impl Payload {
    /// The menu change this carries, if it is one.
    pub fn menu_change(self) -> Option<MenuChange> {
        match self {
            Payload::MenuItem(item) => Some(MenuChange::Item(item)),
            Payload::Topping(topping) => Some(MenuChange::Topping(topping)),
            Payload::Order(_) => None,
        }
    }
}

/// A consistent picture of some orders and the seq it was read at: a client resumes from `seq`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Snapshot {
    pub seq: i64,
    pub orders: Vec<Order>,
    /// When it was read. Pages start their clock here, so the server's render and the
    /// browser's hydration show the same ticket ages (a mismatch would stop hydration).
    #[serde(default)]
    pub taken_at: chrono::DateTime<chrono::Utc>,
    /// On a customer's order: when it should be ready, from the queue at `taken_at`.
    #[serde(default)]
    pub estimate: Option<super::eta::ReadyEstimate>,
}

impl Snapshot {
    /// The snapshot as `who` may see it: kitchen screens get no phone numbers.
    pub fn shown_to(mut self, who: &super::Principal) -> Snapshot {
        self.orders = self.orders.into_iter().map(|order| order.shown_to(who)).collect();
        self
    }
}

pub fn order_url(order_id: i64) -> String {
    format!("/api/v1/orders/{order_id}")
}

/// Where a client refetches the menu after a menu event.
pub const MENU_URL: &str = "/api/v1/menu";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_screen_is_behind_only_past_the_grace_period() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let ago = |secs| now - chrono::Duration::seconds(secs);
        let screen = |behind, acked_secs_ago: Option<i64>| ConnectedScreen {
            connection_id: 1,
            instance: "a".into(),
            name: "Oven wall".into(),
            kind: "device".into(),
            address: "192.0.2.1".into(),
            transport: "websocket".into(),
            connected_at: ago(600),
            acked_seq: acked_secs_ago.map(|_| 40),
            acked_at: acked_secs_ago.map(ago),
            behind,
        };
        assert_eq!(screen(0, Some(300)).health(now), ScreenHealth::UpToDate, "quiet, but shows everything");
        assert_eq!(screen(2, Some(3)).health(now), ScreenHealth::UpToDate, "just after a burst");
        assert_eq!(screen(2, Some(SCREEN_GRACE_SECS)).health(now), ScreenHealth::Behind { secs: SCREEN_GRACE_SECS });
        assert_eq!(screen(1, None).health(now), ScreenHealth::Behind { secs: 600 }, "never reported since connecting");
    }

    #[test]
    fn messages_are_tagged_by_type() {
        let hello = ServerMessage::Hello { build_id: "b1".into(), head: 7, heartbeat_ms: 5000 };
        let json = serde_json::to_value(&hello).unwrap();
        assert_eq!(json["type"], "hello");
        assert_eq!(json["head"], 7);
        let resync: ServerMessage = serde_json::from_str(r#"{"type":"resync","reason":"too_far_behind"}"#).unwrap();
        assert_eq!(resync, ServerMessage::Resync { reason: ResyncReason::TooFarBehind });
    }

    #[test]
    fn every_message_reads_back_as_written() {
        use crate::domain::{fixtures, OrderStatus};
        let event = LiveEvent {
            seq: 12,
            kind: EventKind::OrderUpdated,
            location_id: 1,
            url: order_url(7),
            payload: Payload::Order(fixtures::order(7, OrderStatus::Baking, chrono::Utc::now())),
        };
        for message in [
            ServerMessage::Hello { build_id: "b1".into(), head: 7, heartbeat_ms: 5000 },
            ServerMessage::Event(event),
            ServerMessage::Heartbeat { head: 9 },
            ServerMessage::Resync { reason: ResyncReason::Lagged },
        ] {
            let json = serde_json::to_string(&message).unwrap();
            assert_eq!(serde_json::from_str::<ServerMessage>(&json).unwrap(), message, "{json}");
        }
    }

    #[test]
    fn a_message_missing_what_its_type_needs_is_refused() {
        let err = serde_json::from_str::<ServerMessage>(r#"{"type":"heartbeat"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `head`"), "{err}");
        assert!(serde_json::from_str::<ServerMessage>(r#"{"type":"goodbye","head":1}"#).is_err());
        // Fields it does not need are ignored, as before.
        let hello = r#"{"head":3,"type":"heartbeat","build_id":"x"}"#;
        assert_eq!(serde_json::from_str::<ServerMessage>(hello).unwrap(), ServerMessage::Heartbeat { head: 3 });
    }

    #[test]
    fn kitchen_screens_get_snapshots_without_phone_numbers() {
        use crate::domain::{fixtures, Principal, Role};
        let order = Order {
            phone: Some("+33 6 12 34 56 78".into()),
            ..fixtures::order(7, crate::domain::OrderStatus::Baking, chrono::Utc::now())
        };
        let snapshot = Snapshot { seq: 3, orders: vec![order.clone()], ..Snapshot::default() };
        let device = Principal::Device { device_id: 1, name: "wall".into(), location_id: 1 };
        let staff = Principal::User { user_id: 1, username: "s".into(), role: Role::Staff, location_id: 1 };

        let on_screen = snapshot.clone().shown_to(&device);
        assert_eq!(on_screen.orders[0].phone, None);
        assert_eq!(on_screen.orders[0], Order { phone: None, ..order.clone() }, "only the phone is withheld");
        assert_eq!(on_screen.seq, 3);
        assert_eq!(snapshot.clone().shown_to(&staff), snapshot);
    }

    #[test]
    fn event_kind_names_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}

use crate::store::StoredEvent;
use app::domain::EventKind;
use axum::extract::ws::Utf8Bytes;
use serde::Serialize;
use serde_json::value::RawValue;

/// An event ready to send: serialised once, then shared by every connection that gets it.
#[derive(Debug)]
pub struct EncodedEvent {
    pub seq: i64,
    pub kind: EventKind,
    pub location_id: i64,
    pub order_id: Option<i64>,
    /// The whole `{"type":"event",...}` message.
    pub json: Utf8Bytes,
    /// When the pump handed it to the hub; `None` when replayed from the log.
    pub published_at: Option<std::time::Instant>,
}

/// Mirrors `ServerMessage::Event` field for field, but embeds the stored payload as is.
#[derive(Serialize)]
struct WireEvent<'a> {
    #[serde(rename = "type")]
    message_type: &'static str,
    seq: i64,
    kind: EventKind,
    location_id: i64,
    url: &'a str,
    payload: &'a RawValue,
}

#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("event {seq} has an unknown kind {kind:?}")]
    UnknownKind { seq: i64, kind: String },
    #[error("event {seq} has a payload that is not JSON: {source}")]
    Payload { seq: i64, source: serde_json::Error },
}

impl EncodedEvent {
    pub fn encode(event: &StoredEvent) -> Result<EncodedEvent, EncodeError> {
        let kind = EventKind::parse(&event.kind)
            .ok_or_else(|| EncodeError::UnknownKind { seq: event.seq, kind: event.kind.clone() })?;
        let payload: &RawValue = serde_json::from_str(&event.payload)
            .map_err(|source| EncodeError::Payload { seq: event.seq, source })?;
        let wire = WireEvent {
            message_type: "event",
            seq: event.seq,
            kind,
            location_id: event.location_id,
            url: &event.url,
            payload,
        };
        let json = serde_json::to_string(&wire).map_err(|source| EncodeError::Payload { seq: event.seq, source })?;
        Ok(EncodedEvent {
            seq: event.seq,
            kind,
            location_id: event.location_id,
            order_id: event.order_id,
            json: json.into(),
            published_at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::{Cents, Order, OrderStatus, Payload, ServerMessage};
    use chrono::Utc;

    #[test]
    fn encodes_exactly_what_clients_decode() {
        let order = Order {
            id: 42,
            location_id: 1,
            customer_name: "Ada".into(),
            phone: None,
            pickup_at: None,
            notes: String::new(),
            status: OrderStatus::Baking,
            version: 3,
            lines: vec![],
            total: Cents(1200),
            created_at: Utc::now(),
            updated_at: Utc::now(),
            previous_status: None,
            cancel_reason: None,
        };
        let stored = StoredEvent {
            seq: 9,
            location_id: 1,
            kind: "order.updated".into(),
            order_id: Some(42),
            url: "/api/v1/orders/42".into(),
            payload: serde_json::to_string(&Payload::Order(order.clone())).unwrap(),
        };
        let encoded = EncodedEvent::encode(&stored).unwrap();
        let ServerMessage::Event(event) = serde_json::from_str(encoded.json.as_str()).unwrap() else {
            panic!("not an event message");
        };
        assert_eq!(event.seq, 9);
        assert_eq!(event.kind, EventKind::OrderUpdated);
        assert_eq!(event.url, "/api/v1/orders/42");
        assert_eq!(event.payload, Payload::Order(order));
    }

    #[test]
    fn refuses_a_corrupt_row() {
        let stored = StoredEvent {
            seq: 1,
            location_id: 1,
            kind: "order.exploded".into(),
            order_id: None,
            url: String::new(),
            payload: "{}".into(),
        };
        assert!(EncodedEvent::encode(&stored).is_err());
    }
}

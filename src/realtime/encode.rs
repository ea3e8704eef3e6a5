use crate::store::StoredEvent;
use app::domain::{EventKind, Payload};
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
    /// The same message without the customer's phone number, for kitchen screens; `None`
    /// when `json` carries none. Connections pick theirs with [`EncodedEvent::json_for`].
    pub json_without_contact: Option<Utf8Bytes>,
    /// When the pump handed it to the hub; `None` when replayed from the log.
    pub published_at: Option<std::time::Instant>,
}

/// Whether a connection may see customers' contact details: see
/// `Principal::sees_customer_contact`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ContactDetails {
    /// Withheld unless known to be allowed.
    #[default]
    Withheld,
    Shown,
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
        let payload: &RawValue =
            serde_json::from_str(&event.payload).map_err(|source| EncodeError::Payload { seq: event.seq, source })?;
        let payload_error = |source| EncodeError::Payload { seq: event.seq, source };
        let wire = |payload: &RawValue| {
            let wire = WireEvent {
                message_type: "event",
                seq: event.seq,
                kind,
                location_id: event.location_id,
                url: &event.url,
                payload,
            };
            serde_json::to_string(&wire).map(Utf8Bytes::from).map_err(payload_error)
        };
        let json_without_contact = match kind {
            // Encoded once here, like `json`, rather than once per kitchen screen.
            EventKind::OrderCreated | EventKind::OrderUpdated => match serde_json::from_str(payload.get())
                .map_err(payload_error)?
            {
                Payload::Order(order) if order.phone.is_some() => {
                    let withheld = serde_json::value::to_raw_value(&Payload::Order(order.without_customer_contact()))
                        .map_err(payload_error)?;
                    Some(wire(&withheld)?)
                }
                _ => None,
            },
            EventKind::MenuItemUpdated | EventKind::ToppingUpdated => None,
        };
        Ok(EncodedEvent {
            seq: event.seq,
            kind,
            location_id: event.location_id,
            order_id: event.order_id,
            json: wire(payload)?,
            json_without_contact,
            published_at: None,
        })
    }

    /// An order event at `location_id` whose message is `json`, as the pump hands it over, for
    /// the realtime module's tests.
    #[cfg(test)]
    pub(super) fn sample(seq: i64, location_id: i64, order_id: i64, json: String) -> std::sync::Arc<EncodedEvent> {
        std::sync::Arc::new(EncodedEvent {
            seq,
            kind: EventKind::OrderUpdated,
            location_id,
            order_id: Some(order_id),
            json: json.into(),
            json_without_contact: None,
            published_at: Some(std::time::Instant::now()),
        })
    }

    /// The message as a connection that may (or may not) see contact details gets it.
    pub fn json_for(&self, contact: ContactDetails) -> &Utf8Bytes {
        match (contact, &self.json_without_contact) {
            (ContactDetails::Withheld, Some(withheld)) => withheld,
            _ => &self.json,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::{Cents, Order, OrderStatus, ServerMessage};
    use chrono::Utc;

    fn order(phone: Option<&str>) -> Order {
        Order {
            id: 42,
            location_id: 1,
            customer_name: "Ada".into(),
            phone: phone.map(Into::into),
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
            fire_at: None,
        }
    }

    fn stored(order: &Order) -> StoredEvent {
        StoredEvent {
            seq: 9,
            location_id: 1,
            kind: "order.updated".into(),
            order_id: Some(42),
            url: "/api/v1/orders/42".into(),
            payload: serde_json::to_string(&Payload::Order(order.clone())).unwrap(),
        }
    }

    fn decode(json: &Utf8Bytes) -> app::domain::LiveEvent {
        let ServerMessage::Event(event) = serde_json::from_str(json.as_str()).unwrap() else {
            panic!("not an event message");
        };
        event
    }

    #[test]
    fn encodes_exactly_what_clients_decode() {
        let order = order(None);
        let encoded = EncodedEvent::encode(&stored(&order)).unwrap();
        let event = decode(&encoded.json);
        assert_eq!(event.seq, 9);
        assert_eq!(event.kind, EventKind::OrderUpdated);
        assert_eq!(event.url, "/api/v1/orders/42");
        assert_eq!(event.payload, Payload::Order(order));
        assert!(encoded.json_without_contact.is_none(), "nothing to withhold: one encoding serves everyone");
        assert_eq!(encoded.json_for(ContactDetails::Withheld), &encoded.json);
    }

    #[test]
    fn kitchen_screens_get_the_event_without_the_phone_number() {
        let order = order(Some("+33 6 12 34 56 78"));
        let encoded = EncodedEvent::encode(&stored(&order)).unwrap();
        assert_eq!(decode(encoded.json_for(ContactDetails::Shown)).payload, Payload::Order(order.clone()));
        let withheld = decode(encoded.json_for(ContactDetails::Withheld));
        assert_eq!(withheld.payload, Payload::Order(order.without_customer_contact()));
        assert_eq!(
            (withheld.seq, withheld.kind, withheld.url.as_str()),
            (9, EventKind::OrderUpdated, "/api/v1/orders/42")
        );
        assert!(!encoded.json_for(ContactDetails::Withheld).as_str().contains("+33"));
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

//! `/events`: the same live channel as Server-Sent Events, for integrations and networks that
//! block WebSockets. `id:` is the seq, and `Last-Event-ID` resumes.

use super::AppState;
use super::{ApiError, FeedQuery};
use crate::realtime::connection::{self, Incoming, Outgoing, Transport};
use crate::realtime::Credentials;
use app::domain::ServerMessage;
use app::domain::{ClientAddress, LocationId, Principal};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use axum::Extension;
use futures::Stream;
use std::convert::Infallible;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

/// Messages waiting for the HTTP body to take them. The real bound is the hub queue.
const BODY_QUEUE: usize = 16;

pub async fn stream(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(who): Extension<Principal>,
    Extension(location): Extension<LocationId>,
    credentials: Credentials,
    Extension(client): Extension<ClientAddress>,
    query: FeedQuery,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let scope = query.scope(&state, &who, location).await?;
    let slot = state.limits.open_socket(client)?;
    let last_event_id = match headers.get("last-event-id") {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|id| id.trim().parse::<i64>().ok())
                .ok_or_else(|| ApiError::bad_request("Last-Event-ID must be a seq number"))?,
        ),
        None => None,
    };
    let since = last_event_id.or(query.since);
    let (sender, receiver) = mpsc::channel(BODY_QUEUE);
    state.connections.clone().spawn(async move {
        let mut transport = SseTransport { sender };
        connection::run(
            &mut transport,
            &state.hub,
            &state.store,
            &state.settings,
            scope,
            since,
            &credentials,
            state.shutdown.clone(),
        )
        .await;
        drop(slot);
    });
    Ok(Sse::new(ReceiverStream::new(receiver).map(Ok)))
}

struct SseTransport {
    sender: mpsc::Sender<Event>,
}

fn sse_event(message: Outgoing) -> Event {
    match message {
        Outgoing::Event(event, contact) => {
            Event::default().id(event.seq.to_string()).event(event.kind.as_str()).data(event.json_for(contact).as_str())
        }
        Outgoing::Control(control) => {
            let name = match control.as_ref() {
                ServerMessage::Hello { .. } => "hello",
                ServerMessage::Heartbeat { .. } => "heartbeat",
                ServerMessage::Resync { .. } => "resync",
                ServerMessage::Event(_) => "event",
            };
            let event = Event::default().event(name).data(Outgoing::control_json(&control));
            match *control {
                // Tell EventSource to wait a little, spread out, before it reconnects.
                ServerMessage::Hello { .. } => {
                    event.retry(std::time::Duration::from_millis(1000 + rand::random_range(0..2000)))
                }
                _ => event,
            }
        }
    }
}

impl Transport for SseTransport {
    const KIND: &'static str = "sse";

    async fn send(&mut self, message: Outgoing) -> bool {
        self.sender.send(sse_event(message)).await.is_ok()
    }

    async fn incoming(&mut self) -> Incoming {
        // An SSE client cannot speak: it is only ever gone.
        self.sender.closed().await;
        Incoming::Closed
    }
}

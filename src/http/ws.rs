//! `/ws`: the live channel over WebSocket.

use super::AppState;
use super::{ApiError, FeedQuery};
use crate::realtime::connection::{self, Ended, Incoming, Outgoing, Transport};
use crate::realtime::Credentials;
use app::domain::ClientMessage;
use app::domain::{ClientAddress, LocationId, Principal};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::Response;
use axum::Extension;
use futures::SinkExt;

/// Buffers are kept small on purpose: an idle connection should cost a few kilobytes, and
/// clients only ever send tiny control frames.
const READ_BUFFER_BYTES: usize = 1024;
/// Frames wait in the write buffer up to this size for the flush that ends a batch of
/// waiting events (see `connection::BATCH_BYTES`). It is grown only as frames are written.
const WRITE_BUFFER_BYTES: usize = connection::BATCH_BYTES + MAX_EVENT_FRAME_SLACK;
/// Room for the event that takes a batch past `BATCH_BYTES`, so it is not written alone.
const MAX_EVENT_FRAME_SLACK: usize = 4 * 1024;
const MAX_CLIENT_MESSAGE_BYTES: usize = 4 * 1024;

pub async fn upgrade(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    Extension(location): Extension<LocationId>,
    credentials: Credentials,
    Extension(client): Extension<ClientAddress>,
    query: FeedQuery,
    upgrade: WebSocketUpgrade,
) -> Result<Response, ApiError> {
    let scope = query.scope(&state, &who, location).await?;
    let slot = state.limits.open_socket(client)?;
    // Only what the connection needs lives as long as the connection, not the whole state.
    let (hub, store, settings, shutdown, connections) = (
        state.hub.clone(),
        state.store.clone(),
        state.settings.clone(),
        state.shutdown.clone(),
        state.connections.clone(),
    );
    let since = query.since;
    Ok(upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(WRITE_BUFFER_BYTES)
        .max_message_size(MAX_CLIENT_MESSAGE_BYTES)
        .max_frame_size(MAX_CLIENT_MESSAGE_BYTES)
        .on_upgrade(move |socket| {
            // Not split into halves: the connection never reads and writes at once, and the lock
            // that splitting puts between the halves would be taken on every delivery.
            // Built outside the task and used in place, so the task holds one socket, not two.
            let mut transport = WsTransport { socket };
            connections.spawn(async move {
                let ended =
                    connection::run(&mut transport, &hub, &store, &settings, scope, since, &credentials, shutdown)
                        .await;
                // Boxed: the goodbye is sent once, and needs no room in the connection meanwhile.
                Box::pin(transport.finish(ended)).await;
                drop(slot);
            });
            std::future::ready(())
        }))
}

fn frame(message: Outgoing) -> Message {
    Message::Text(match message {
        Outgoing::Event(event, contact) => event.json_for(contact).clone(),
        Outgoing::Control(control) => Outgoing::control_json(&control).into(),
    })
}

struct WsTransport {
    socket: WebSocket,
}

impl WsTransport {
    async fn finish(mut self, ended: Ended) {
        let (code, reason) = match ended {
            Ended::ClientLeft => return,
            // 1012: "service restart", clients come back after their jittered delay.
            Ended::ShuttingDown => (1012, "server restarting"),
            Ended::Resync => (1000, "resync"),
            Ended::TooSlow => (1008, "too slow"),
            // 4401: the page signs in again instead of reconnecting.
            Ended::Revoked => (4401, "signed out"),
            Ended::Failed => (1011, "internal error"),
        };
        let frame = CloseFrame { code, reason: reason.into() };
        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), self.socket.send(Message::Close(Some(frame))))
            .await;
    }
}

impl Transport for WsTransport {
    const KIND: &'static str = "websocket";

    async fn send(&mut self, message: Outgoing) -> bool {
        self.socket.send(frame(message)).await.is_ok()
    }

    async fn queue(&mut self, message: Outgoing) -> bool {
        self.socket.feed(frame(message)).await.is_ok()
    }

    async fn flush(&mut self) -> bool {
        SinkExt::flush(&mut self.socket).await.is_ok()
    }

    async fn incoming(&mut self) -> Incoming {
        // Clients publish nothing: acknowledgements, pings and pongs (answered by the library)
        // are all they may send; anything else ends the connection.
        loop {
            match self.socket.recv().await {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(Message::Text(text))) => match serde_json::from_str::<ClientMessage>(text.as_str()) {
                    Ok(ClientMessage::Ack { seq }) => return Incoming::Ack(seq),
                    Err(_) => return Incoming::Closed,
                },
                _ => return Incoming::Closed,
            }
        }
    }
}

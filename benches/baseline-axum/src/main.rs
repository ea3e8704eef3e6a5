//! The leanest axum broadcast server there is, as a baseline for `loadgen baselines`: one tokio
//! broadcast channel, no database, no authentication, no sequence numbers, no replay.
//!
//! - `GET /ws` subscribes a WebSocket to every message published from then on.
//! - `POST /publish` sends its body, as is, to every subscriber.
//!
//! Pizzeria Live does all of that plus persistence, auth, routing and replay; the issue asks
//! that it stay within 1.5× of this server's latency.

use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::broadcast;

type Channel = broadcast::Sender<Utf8Bytes>;

#[tokio::main]
async fn main() {
    let addr = std::env::var("BASELINE_ADDR").unwrap_or_else(|_| "127.0.0.1:3900".into());
    let (channel, _) = broadcast::channel::<Utf8Bytes>(1024);
    let app = Router::new()
        .route("/", get(|| async { "ok" }))
        .route("/ws", get(subscribe))
        .route("/publish", post(publish))
        .with_state(channel);
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("baseline-axum: cannot listen on {addr}: {err}");
            std::process::exit(1);
        }
    };
    if let Err(err) = axum::serve(listener, app).await {
        eprintln!("baseline-axum: {err}");
    }
}

async fn publish(State(channel): State<Channel>, body: String) -> StatusCode {
    let _ = channel.send(body.into());
    StatusCode::NO_CONTENT
}

async fn subscribe(upgrade: WebSocketUpgrade, State(channel): State<Channel>) -> Response {
    let receiver = channel.subscribe();
    upgrade.on_upgrade(move |socket| forward(socket, receiver))
}

async fn forward(mut socket: WebSocket, mut receiver: broadcast::Receiver<Utf8Bytes>) {
    loop {
        match receiver.recv().await {
            Ok(text) => {
                if socket.send(Message::Text(text)).await.is_err() {
                    return;
                }
            }
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

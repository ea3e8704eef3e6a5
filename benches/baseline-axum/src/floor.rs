//! The floor under every WebSocket broadcast server on this machine, as a baseline for
//! `loadgen baselines`: the least work a delivery can cost when each subscriber has its own
//! TCP connection.
//!
//! Each message is framed once, and one loop per core writes that same frame to its share of
//! the sockets, one `write` system call each: no task, channel, buffer or copy per subscriber,
//! no database, no authentication. Nothing is read from the sockets but their end.
//!
//! It is a measuring stick, not a server to copy: a subscriber whose socket cannot take the
//! whole frame at once is dropped (the load generator then counts its missing events), where
//! a real server would queue the rest.
//!
//! - `GET /ws` subscribes a WebSocket to every message published from then on.
//! - `POST /publish` sends its body, as is, to every subscriber before it answers.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use std::io::ErrorKind;
use std::sync::{Arc, Mutex};
use tokio::net::TcpStream;

/// Every subscribed socket.
#[derive(Clone, Default)]
struct Subscribers(Arc<Mutex<Vec<Arc<TcpStream>>>>);

impl Subscribers {
    fn snapshot(&self) -> Vec<Arc<TcpStream>> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    fn edit(&self, change: impl FnOnce(&mut Vec<Arc<TcpStream>>)) {
        change(&mut self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
    }
}

#[tokio::main]
async fn main() {
    let addr = std::env::var("BASELINE_ADDR").unwrap_or_else(|_| "127.0.0.1:3902".into());
    let app = Router::new()
        .route("/", get(|| async { "ok" }))
        .route("/ws", get(subscribe))
        .route("/publish", post(publish))
        .with_state(Subscribers::default());
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("baseline-floor: cannot listen on {addr}: {err}");
            std::process::exit(1);
        }
    };
    // HTTP/1 only, served by hyper itself: `axum::serve` sniffs for HTTP/2 first and keeps the
    // socket wrapped in a private type, which would not hand the TCP stream back.
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors, say: let some close before trying again.
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            let _ = connection.await;
        });
    }
}

/// Answers the handshake itself, so that the connection's TCP socket can be taken back
/// from hyper once upgraded.
async fn subscribe(State(subscribers): State<Subscribers>, mut request: Request) -> Response {
    let Some(key) = request.headers().get(header::SEC_WEBSOCKET_KEY) else {
        return (StatusCode::BAD_REQUEST, "a WebSocket handshake needs Sec-WebSocket-Key").into_response();
    };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let upgrade = hyper::upgrade::on(&mut request);
    tokio::spawn(async move {
        let Ok(upgraded) = upgrade.await else { return };
        let Ok(parts) = upgraded.downcast::<TokioIo<TcpStream>>() else {
            eprintln!("baseline-floor: the upgraded connection is not a plain TCP stream");
            return;
        };
        let socket = Arc::new(parts.io.into_inner());
        subscribers.edit(|all| all.push(socket.clone()));
        wait_for_end(&socket).await;
        subscribers.edit(|all| all.retain(|other| !Arc::ptr_eq(other, &socket)));
    });
    Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::UPGRADE, "websocket")
        .header(header::CONNECTION, "upgrade")
        .header(header::SEC_WEBSOCKET_ACCEPT, accept)
        .body(Body::empty())
        .unwrap_or_default()
}

/// Reads (and ignores) whatever the client sends until it hangs up.
async fn wait_for_end(socket: &TcpStream) {
    let mut scratch = [0u8; 512];
    loop {
        if socket.readable().await.is_err() {
            return;
        }
        match socket.try_read(&mut scratch) {
            Ok(0) => return,
            Ok(_) => {}
            Err(err) if err.kind() == ErrorKind::WouldBlock => {}
            Err(_) => return,
        }
    }
}

async fn publish(State(subscribers): State<Subscribers>, body: Bytes) -> StatusCode {
    let frame = text_frame(&body);
    let sockets = subscribers.snapshot();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let share = sockets.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        for chunk in sockets.chunks(share) {
            scope.spawn(|| write_to_each(chunk, &frame));
        }
    });
    StatusCode::NO_CONTENT
}

/// Writes `frame` to each socket. One that cannot take all of it is shut down (the rest of
/// a half-written frame would have to wait in a queue, which this server does not have); its
/// reader then sees the end and drops it.
fn write_to_each(sockets: &[Arc<TcpStream>], frame: &[u8]) {
    for socket in sockets {
        if !matches!(socket.try_write(frame), Ok(n) if n == frame.len()) {
            let _ = shut_down(socket);
        }
    }
}

fn shut_down(socket: &TcpStream) -> std::io::Result<()> {
    use std::os::fd::AsFd;
    let fd = socket.as_fd().try_clone_to_owned()?;
    std::net::TcpStream::from(fd).shutdown(std::net::Shutdown::Both)
}

/// A final, unmasked text frame (server to client) holding `payload`.
fn text_frame(payload: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(payload.len() + 10);
    frame.push(0x81);
    match payload.len() {
        len @ 0..=125 => frame.push(len as u8),
        len @ 126..=0xFFFF => {
            frame.push(126);
            frame.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            frame.push(127);
            frame.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    frame
}

#[cfg(test)]
mod tests {
    use super::text_frame;

    #[test]
    fn frames_carry_their_length_in_the_shortest_form() {
        assert_eq!(text_frame(b"hi"), [0x81, 2, b'h', b'i']);
        let medium = text_frame(&[b'x'; 600]);
        assert_eq!(&medium[..4], &[0x81, 126, 0x02, 0x58]);
        assert_eq!(medium.len(), 604);
        let large = text_frame(&vec![b'x'; 70_000]);
        assert_eq!(&large[..10], &[0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]);
    }
}

//! WebSocket subscribers as a real client runs them: connect (signed in where the feed needs
//! it), wait for the hello, then read every event, noting its seq and how long it took from
//! the send that caused it.

use futures::StreamExt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;
use tokio::sync::{watch, Semaphore};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Where a subscriber connects, and how.
pub struct Endpoint {
    pub url: String,
    pub cookie: Option<String>,
    /// Pizzeria Live says hello first; the baselines say nothing.
    pub hello: bool,
}

/// What one subscriber saw.
pub struct Tally {
    pub seqs: Vec<i64>,
    pub latencies_us: Vec<u64>,
    /// The server ended the connection before the run did (too slow, resync).
    pub cut_off: bool,
}

/// When each send happened, in µs since the start (0: not yet).
pub struct SendTimes {
    start: Instant,
    sent_us: Vec<AtomicU64>,
}

impl SendTimes {
    pub fn new(sends: usize) -> Arc<SendTimes> {
        Arc::new(SendTimes { start: Instant::now(), sent_us: (0..sends).map(|_| AtomicU64::new(0)).collect() })
    }

    pub fn now_us(&self) -> u64 {
        self.start.elapsed().as_micros() as u64
    }

    pub fn mark_sent(&self, n: usize) {
        self.sent_us[n].store(self.now_us().max(1), Ordering::Release);
    }

    /// µs from send number `n` to now, if it was sent.
    fn since_sent(&self, n: usize, now_us: u64) -> Option<u64> {
        self.sent_at_us(n).map(|sent| now_us.saturating_sub(sent))
    }

    /// When send number `n` went out, in µs of the run, if it did.
    pub fn sent_at_us(&self, n: usize) -> Option<u64> {
        self.sent_us.get(n).map(|sent| sent.load(Ordering::Acquire)).filter(|sent| *sent > 0)
    }

    pub fn instant_of(&self, micros: u64) -> Instant {
        self.start + Duration::from_micros(micros)
    }
}

/// Opens the WebSocket and, for Pizzeria Live, waits for its hello and answers the head
/// it announced.
pub async fn connect(endpoint: &Endpoint, url: &str) -> Result<(Socket, Option<i64>), String> {
    let mut request = url.into_client_request().map_err(|err| err.to_string())?;
    if let Some(cookie) = &endpoint.cookie {
        request.headers_mut().insert("cookie", cookie.parse().map_err(|_| "bad cookie".to_string())?);
    }
    let stream = dial(&request).await?;
    let config = WebSocketConfig::default().read_buffer_size(READ_BUFFER_BYTES);
    let (mut socket, _) =
        tokio_tungstenite::client_async_with_config(request, MaybeTlsStream::Plain(stream), Some(config))
            .await
            .map_err(|err| format!("connect: {err}"))?;
    if !endpoint.hello {
        return Ok((socket, None));
    }
    match tokio::time::timeout(Duration::from_secs(30), socket.next()).await {
        Ok(Some(Ok(Message::Text(text)))) if text.as_str().starts_with(r#"{"type":"hello""#) => {
            let head = number_after(text.as_str(), r#""head":"#).ok_or("a hello without a head")?;
            Ok((socket, Some(head)))
        }
        other => Err(format!("no hello: {other:?}")),
    }
}

/// What one read from a socket takes at most. Frames from the server are a few hundred
/// bytes, and tungstenite zero-fills its read buffer (128 KiB by default) before every read:
/// with the default, that filling was half of the load generator's CPU, taken from the two
/// cores the server runs on, and it inflated every server's latency alike.
const READ_BUFFER_BYTES: usize = 4 * 1024;

/// How many loopback addresses the subscribers come from (127.0.1.1 and up).
const SOURCE_ADDRESSES: usize = 64;

/// Opens the TCP connection from one of several loopback addresses in turn, as real clients
/// come from many addresses. From one address the kernel's search for a free local port grows
/// with every open connection: at 10,000 it cost the load generator more CPU than the server's
/// whole handshake.
async fn dial(request: &tokio_tungstenite::tungstenite::handshake::client::Request) -> Result<TcpStream, String> {
    static NEXT_SOURCE: AtomicUsize = AtomicUsize::new(0);
    let uri = request.uri();
    let host = uri.host().ok_or("a URL without a host")?;
    let target = tokio::net::lookup_host((host, uri.port_u16().unwrap_or(80)))
        .await
        .map_err(|err| format!("resolve {host}: {err}"))?
        .find(std::net::SocketAddr::is_ipv4)
        .ok_or_else(|| format!("no IPv4 address for {host}"))?;
    let socket = tokio::net::TcpSocket::new_v4().map_err(|err| err.to_string())?;
    if target.ip().is_loopback() {
        let n = NEXT_SOURCE.fetch_add(1, Ordering::Relaxed) % SOURCE_ADDRESSES;
        let source = std::net::Ipv4Addr::new(127, 0, 1, 1 + n as u8);
        socket.bind((source, 0).into()).map_err(|err| format!("bind {source}: {err}"))?;
    }
    socket.connect(target).await.map_err(|err| format!("connect: {err}"))
}

/// Reads events until `stop`. `send_of(n, k)` names the send that caused the `k`-th event
/// this subscriber got, `n` being the loadgen number in the event's customer name.
pub async fn subscribe(
    endpoint: Arc<Endpoint>,
    times: Arc<SendTimes>,
    mut stop: watch::Receiver<bool>,
    connected: Arc<AtomicUsize>,
    handshakes: Arc<Semaphore>,
    send_of: impl Fn(Option<usize>, usize) -> Option<usize>,
) -> Result<Tally, String> {
    let mut socket = {
        let _permit = handshakes.acquire().await.map_err(|err| err.to_string())?;
        connect(&endpoint, &endpoint.url).await?.0
    };
    connected.fetch_add(1, Ordering::AcqRel);
    let mut tally = Tally { seqs: Vec::new(), latencies_us: Vec::new(), cut_off: false };
    // Made once: a wait made anew for every frame would join and leave the signal's waiting
    // list, behind a lock every subscriber shares, twice per event (4 % of the load
    // generator's CPU, taken from the cores the server runs on).
    let stopped = stop.changed();
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            frame = socket.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    let received_us = times.now_us();
                    if let Some((seq, n)) = event_of(text.as_str()) {
                        if let Some(latency) = send_of(n, tally.seqs.len()).and_then(|send| times.since_sent(send, received_us)) {
                            tally.latencies_us.push(latency);
                        }
                        tally.seqs.push(seq);
                    }
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => {
                    // Counted, not fatal: what it missed shows as missing events.
                    tally.cut_off = true;
                    return Ok(tally);
                }
                Some(Ok(_)) => {}
            },
            _ = &mut stopped => {
                let _ = socket.close(None).await;
                return Ok(tally);
            }
        }
    }
}

/// `count` subscribers on one endpoint, each in its own task, all past their hello when this
/// answers; at most `handshakes` handshakes at once. `send_of` as for [`subscribe`].
pub async fn subscribe_all<F>(
    endpoint: Arc<Endpoint>,
    count: usize,
    handshakes: usize,
    times: &Arc<SendTimes>,
    stop: &watch::Receiver<bool>,
    send_of: F,
) -> Result<Vec<tokio::task::JoinHandle<Result<Tally, String>>>, String>
where
    F: Fn(Option<usize>, usize) -> Option<usize> + Clone + Send + 'static,
{
    let connected = Arc::new(AtomicUsize::new(0));
    let handshakes = Arc::new(Semaphore::new(handshakes));
    let subscribers = (0..count)
        .map(|_| {
            let task = subscribe(
                endpoint.clone(),
                times.clone(),
                stop.clone(),
                connected.clone(),
                handshakes.clone(),
                send_of.clone(),
            );
            tokio::spawn(task)
        })
        .collect();
    all_connected(&connected, count).await?;
    Ok(subscribers)
}

/// Waits until `count` subscribers are connected, at most 60 s.
pub async fn all_connected(connected: &AtomicUsize, count: usize) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let progress = crate::progress::stage("connecting subscribers", count);
    while connected.load(Ordering::Acquire) < count {
        progress.set_position(connected.load(Ordering::Acquire) as u64);
        if Instant::now() > deadline {
            progress.abandon();
            return Err(format!("only {} of {count} subscribers connected in 60 s", connected.load(Ordering::Acquire)));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    progress.finish_and_clear();
    Ok(())
}

/// Deliveries, losses and duplicates over every subscriber.
pub struct Counts {
    pub deliveries: usize,
    pub missing: usize,
    pub duplicates: usize,
    pub cut_off: usize,
}

/// `expected(i)` is how many distinct events subscriber `i` should have had.
pub fn count(tallies: &[Tally], expected: impl Fn(usize) -> usize) -> Counts {
    let mut counts =
        Counts { deliveries: 0, missing: 0, duplicates: 0, cut_off: tallies.iter().filter(|t| t.cut_off).count() };
    for (index, tally) in tallies.iter().enumerate() {
        let mut seqs = tally.seqs.clone();
        counts.deliveries += seqs.len();
        seqs.sort_unstable();
        let received = seqs.len();
        seqs.dedup();
        counts.duplicates += received - seqs.len();
        counts.missing += expected(index).saturating_sub(seqs.len());
    }
    counts
}

/// The seq of an event message and the loadgen number in its customer name, read without
/// parsing the whole JSON (10,000 subscribers parse a lot).
pub fn event_of(text: &str) -> Option<(i64, Option<usize>)> {
    if !text.starts_with(r#"{"type":"event""#) {
        return None;
    }
    let seq = number_after(text, r#""seq":"#)?;
    let n = number_after(text, r#""customer_name":"lg-"#).map(|n| n as usize);
    Some((seq, n))
}

fn number_after(text: &str, marker: &str) -> Option<i64> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let digits: &str = &rest[..rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len())];
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_seq_and_order_number_from_an_event() {
        let event = r#"{"type":"event","seq":42,"kind":"order.created","location_id":1,"url":"/api/v1/orders/7","payload":{"order":{"id":7,"customer_name":"lg-123"}}}"#;
        assert_eq!(event_of(event), Some((42, Some(123))));
        assert_eq!(event_of(r#"{"type":"heartbeat","head":4}"#), None);
    }

    #[test]
    fn the_baseline_event_reads_like_a_real_one() {
        assert_eq!(event_of(&crate::server::baseline_event(6)), Some((7, Some(6))));
    }

    #[test]
    fn counts_losses_and_duplicates_per_subscriber() {
        let tally = |seqs: &[i64], cut_off| Tally { seqs: seqs.to_vec(), latencies_us: vec![], cut_off };
        let counts = count(&[tally(&[1, 2, 3], false), tally(&[1, 1, 3], true)], |_| 3);
        assert_eq!((counts.deliveries, counts.missing, counts.duplicates, counts.cut_off), (6, 1, 1, 1));
    }
}

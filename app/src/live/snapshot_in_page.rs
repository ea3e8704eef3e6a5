//! A live page's first snapshot travels in the page itself, as JSON in a
//! `<script type="application/json">` that the server writes and the island reads back while it
//! hydrates, instead of as a Leptos resource.
//!
//! Why: Leptos writes a resource's JSON into the page as an escaped JavaScript string literal.
//! For a kitchen of 200 orders that escaping was a quarter of the server's instructions per
//! render and added a backslash before every quote of the page's largest part
//! (BENCHMARKS.md, fourteenth sitting). Here the JSON goes into the page as it is.

use super::Feed;
use crate::api::AppError;
use crate::domain::Snapshot;

/// The element holding the snapshot. A page follows one feed at most, so one id serves.
pub const ELEMENT_ID: &str = "live-snapshot";

/// What a page's snapshot load gave: the snapshot or the refusal, and the same as the JSON the
/// page carries.
pub struct PageSnapshot {
    pub result: Result<Snapshot, AppError>,
    pub json: String,
}

/// The snapshot for the page: on the server, loaded (and encoded for the page); in the
/// browser, read back from the page the server wrote, so hydration sees exactly what the
/// server rendered. A page without it (none was written) loads it as the server did.
pub async fn load(feed: Feed) -> PageSnapshot {
    #[cfg(feature = "hydrate")]
    if let Some(snapshot) = read_from_page() {
        return snapshot;
    }
    let result = fetch(feed).await;
    PageSnapshot { json: encode(&result), result }
}

/// On the server the snapshot is read by a task of its own, not by the page's `Suspend`:
/// Leptos polls a `Suspend` once, then leaves it until its suspense's turn comes, and a read
/// parked there holds a database connection that the page's other loads (or other pages') may
/// be waiting for.
#[cfg(feature = "ssr")]
async fn fetch(feed: Feed) -> Result<Snapshot, AppError> {
    let (sent, received) = futures::channel::oneshot::channel();
    leptos::task::spawn(async move {
        let _ = sent.send(feed.snapshot().await);
    });
    received.await.unwrap_or_else(|_| Err(AppError::internal()))
}

#[cfg(not(feature = "ssr"))]
async fn fetch(feed: Feed) -> Result<Snapshot, AppError> {
    feed.snapshot().await
}

/// JSON that can sit between `<script>` tags: `</script>` or `<!--` inside a customer's name
/// must not end the element. A `<` only occurs inside JSON strings, where `\u003c` means the
/// same.
pub fn encode(result: &Result<Snapshot, AppError>) -> String {
    // These types always serialise (no maps with non-text keys); were one not to, the page
    // would carry nothing and the browser would load the snapshot itself.
    serde_json::to_string(result).map(|json| json.replace('<', "\\u003c")).unwrap_or_default()
}

pub fn decode(json: &str) -> Option<Result<Snapshot, AppError>> {
    serde_json::from_str(json).ok()
}

#[cfg(feature = "hydrate")]
fn read_from_page() -> Option<PageSnapshot> {
    let json = leptos::prelude::document().get_element_by_id(ELEMENT_ID)?.text_content()?;
    Some(PageSnapshot { result: decode(&json)?, json })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{line, order};
    use crate::domain::{OrderStatus, Size};

    #[test]
    fn a_snapshot_round_trips_and_never_closes_its_script_element() {
        let mut order = order(7, OrderStatus::Received, chrono::Utc::now());
        order.lines = vec![line("Margherita", Size::M, 2)];
        order.customer_name = "</script><script>alert(1)</script><!-- Zoë".to_string();
        order.notes = "no <b>basil</b>".to_string();
        let snapshot = Snapshot { seq: 42, orders: vec![order], ..Snapshot::default() };
        let json = encode(&Ok(snapshot.clone()));
        assert!(!json.contains('<'), "{json}");
        assert_eq!(decode(&json), Some(Ok(snapshot)));
    }

    #[test]
    fn a_refusal_round_trips_too() {
        let refusal: Result<Snapshot, AppError> = Err(AppError::unauthorized());
        assert_eq!(decode(&encode(&refusal)), Some(refusal));
    }

    #[test]
    fn text_that_is_not_a_snapshot_reads_as_none() {
        assert_eq!(decode(""), None);
        assert_eq!(decode("{\"Ok\":{\"seq\":\"not a number\"}}"), None);
    }
}

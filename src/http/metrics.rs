//! `GET /metrics`: the counters of `crate::metrics`, with orders by status read at scrape time.

use super::AppState;
use crate::metrics;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// `GET /metrics`, in Prometheus's text format. Orders by status are read at scrape time.
pub async fn render(State(state): State<AppState>) -> Response {
    match state.store.order_counts().await {
        Ok(counts) => {
            // Every status of every location, so a status that empties reads 0, not its last count.
            let mut locations: Vec<i64> = counts.iter().map(|(location_id, _, _)| *location_id).collect();
            locations.extend(state.locations.ids());
            locations.sort_unstable();
            locations.dedup();
            for location_id in locations {
                for status in app::domain::OrderStatus::ALL {
                    let count = counts
                        .iter()
                        .find(|(location, name, _)| *location == location_id && name == status.as_str())
                        .map_or(0, |(_, _, count)| *count);
                    ::metrics::gauge!(metrics::ORDERS, "location" => location_id.to_string(), "status" => status.as_str())
                        .set(count as f64);
                }
            }
        }
        Err(err) => tracing::warn!(error = %err, "could not count orders for /metrics"),
    }
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4")], metrics::rendered()).into_response()
}

//! HTTP routes outside Leptos: health, the live channel, and JSON reads of single resources
//! (the URLs that events point to).

mod error;
mod health;
mod orders;
mod server_fn_errors;

pub use error::ApiError;
pub use server_fn_errors::status_from_error_body;

use crate::realtime::{sse, ws};
use crate::startup::AppState;
use crate::store::Scope;
use app::api::AppError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/ws", get(ws::upgrade))
        .route("/events", get(sse::stream))
        .merge(orders::router())
}

/// Which feed a live connection wants: `?feed=kitchen` (default) or `?feed=order&order=42`,
/// plus `since`, the last seq the client applied.
#[derive(Clone, Debug, Deserialize)]
pub struct FeedQuery {
    pub feed: Option<String>,
    pub order: Option<i64>,
    pub since: Option<i64>,
}

impl FeedQuery {
    pub async fn scope(&self, state: &AppState) -> Result<Scope, ApiError> {
        match (self.feed.as_deref(), self.order) {
            (None | Some("kitchen"), _) => Ok(Scope::Location(state.location_id)),
            (Some("order"), Some(order_id)) => {
                if state.store.order_snapshot(order_id).await.map_err(ApiError::from)?.is_none() {
                    return Err(ApiError(AppError::not_found(format!("order {order_id}"))));
                }
                Ok(Scope::Order(order_id))
            }
            (Some("order"), None) => Err(ApiError::bad_request("feed=order needs order=<id>")),
            (Some(other), _) => Err(ApiError::bad_request(format!("unknown feed {other:?}: use kitchen or order"))),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for FeedQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(query) = Query::<FeedQuery>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        Ok(query)
    }
}

//! HTTP routes outside Leptos: health and readiness, the live channel, the order API
//! (`/api/v1`, whose reads are the URLs that events point to), and the browser bundle's files.

mod api_v1;
pub mod assets;
mod browser_cookie;
mod client_address;
mod currency;
mod error;
mod health;
mod identify;
mod json_body;
mod language;
mod limits;
mod metrics;
mod page_policy;
mod reports;
mod server_fn_errors;
mod sse;
mod state;
mod ws;

pub use api_v1::{ApiDoc, OPENAPI_URL};
pub use browser_cookie::know_the_browser;
pub use client_address::{resolve_client_address, TrustedProxies};
pub use currency::page_currency;
pub use error::ApiError;
pub use identify::{identify, same_origin_only};
pub use json_body::{json_bodies_are_objects, require_object};
pub use limits::{cap_request_head, rate_limit, Limits, SocketSlot, MAX_REQUEST_HEAD_BYTES};
pub use page_policy::{page_policy, provide_request_nonce};
pub use server_fn_errors::{framework_errors_as_json, status_from_error_body};
pub use state::{AppState, SharedState};

use crate::service::require_kitchen_access;
use crate::store::Scope;
use app::api::AppError;
use app::domain::{LocationId, Principal};
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/ws", get(ws::upgrade))
        .route("/events", get(sse::stream))
        .merge(api_v1::router())
        .merge(language::router())
        .merge(reports::router())
}

/// Which feed a live connection wants, plus `since`, the last seq the client applied:
/// - `?feed=kitchen` (the default): every order; staff and kitchen devices only;
/// - `?feed=order&token=<customer token>`: one order, for whoever holds its token;
/// - `?feed=order&order=<id>`: one order by id; staff and kitchen devices only.
#[derive(Clone, Debug, Deserialize)]
pub struct FeedQuery {
    pub feed: Option<String>,
    pub order: Option<i64>,
    pub token: Option<String>,
    pub since: Option<i64>,
}

impl FeedQuery {
    /// The scope this caller may subscribe to, or why not.
    /// `location` is the request's pizzeria: the menu feed is that one's. The kitchen is always
    /// the caller's own, and another pizzeria's order does not exist for them.
    pub async fn scope(&self, state: &AppState, who: &Principal, location: LocationId) -> Result<Scope, ApiError> {
        match (self.feed.as_deref(), &self.token, self.order) {
            (None | Some("kitchen"), _, _) => Ok(Scope::Location(require_kitchen_access(who)?)),
            (Some("order"), Some(token), _) => match state.store.order_key_by_token(token).await? {
                Some(order) => Ok(Scope::Order { location_id: order.location_id, order_id: order.id }),
                None => Err(ApiError(AppError::not_found("this order"))),
            },
            (Some("order"), None, Some(order_id)) => {
                let location_id = require_kitchen_access(who)?;
                let snapshot = state.store.order_snapshot(order_id).await?;
                if !snapshot
                    .is_some_and(|snapshot| snapshot.orders.iter().all(|order| order.location_id == location_id))
                {
                    return Err(ApiError(AppError::not_found(format!("order {order_id}"))));
                }
                Ok(Scope::Order { location_id, order_id })
            }
            (Some("order"), None, None) => Err(ApiError::bad_request("feed=order needs token=<order token>")),
            (Some("menu"), _, _) => Ok(Scope::Menu(location.0)),
            (Some(other), _, _) => {
                Err(ApiError::bad_request(format!("unknown feed {other:?}: use kitchen, order or menu")))
            }
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

//! `/lang/<code>?next=<path>`: remembers a language choice and goes back to the page. A plain
//! link, so switching works without JavaScript.

use super::ApiError;
use super::AppState;
use app::api::safe_next_or;
use app::locale::{Lang, LANG_COOKIE};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/lang/{code}", get(switch))
}

#[derive(Deserialize)]
struct Next {
    next: Option<String>,
}

/// A year: a choice of language outlives sessions.
const LANG_COOKIE_MAX_AGE_SECS: i64 = 365 * 24 * 3600;

async fn switch(Path(code): Path<String>, Query(next): Query<Next>) -> Result<Response, ApiError> {
    let lang =
        Lang::parse(&code).ok_or_else(|| ApiError::bad_request(format!("unknown language {code:?}: use en or fr")))?;
    let cookie = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age={LANG_COOKIE_MAX_AGE_SECS}", lang.code());
    let back = safe_next_or(next.next.as_deref(), "/");
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers
        .insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|_| ApiError::bad_request("bad cookie"))?);
    headers.insert(
        header::LOCATION,
        HeaderValue::from_str(&back).map_err(|_| ApiError::bad_request("next is not a path"))?,
    );
    Ok(response)
}

//! Who is calling: the caller's token, read from the request and looked up once (through the
//! identity cache), put into the request as its [`Principal`] and [`Credentials`]; and the
//! refusal of requests that another site's page sent with our cookie.

use super::AppState;
use crate::auth::token_hash;
use crate::realtime::{ContactDetails, Credentials, ScreenLabel};
use app::api::session_cookie_token;
use app::domain::auth::API_KEY_PREFIX;
use app::domain::{ClientAddress, LocationId, Principal};
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The token a request carries: `Authorization: Bearer <token>` (devices, integrations) or the
/// session cookie (browsers).
fn presented_token(request: &Request) -> Option<String> {
    let headers = request.headers();
    if let Some(bearer) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
    {
        return Some(bearer.trim().to_string());
    }
    session_cookie_token(headers)
}

/// Puts the caller's [`Principal`] and the request's [`LocationId`] (see `locations.rs`) into
/// the request for handlers and server functions. An unknown, expired or revoked token counts
/// as anonymous.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let (principal, session_hash) = match presented_token(&request) {
        Some(token) => {
            let hash = token_hash(&token);
            let store = &state.store;
            let load = async {
                if token.starts_with(API_KEY_PREFIX) {
                    Ok(store.principal_for_api_key(&hash).await?.map(|principal| (principal, None)))
                } else {
                    let holder = store.session_holder(&hash, chrono::Utc::now()).await?;
                    Ok(holder.map(|holder| (holder.principal, Some(holder.expires_at))))
                }
            };
            let found = state.identities.principal(&hash, state.hub.revocation_epoch(), load).await;
            match found {
                Ok(Some(principal)) => (principal, Some(hash)),
                Ok(None) => (Principal::Anonymous, None),
                Err(err) => return crate::http::ApiError(err).into_response(),
            }
        }
        None => (Principal::Anonymous, None),
    };
    let location = match principal.location_id() {
        Some(own) => LocationId(own),
        None => LocationId(
            state.locations.for_host(request.headers().get(header::HOST).and_then(|host| host.to_str().ok())).await,
        ),
    };
    // Decided by `http::resolve_client_address`, before any limit.
    let client = request.extensions().get::<ClientAddress>().copied();
    let (device_id, user_id) = match &principal {
        Principal::Device { device_id, .. } => (Some(*device_id), None),
        Principal::User { user_id, .. } => (None, Some(*user_id)),
        Principal::Anonymous | Principal::ApiClient { .. } => (None, None),
    };
    let label = ScreenLabel {
        name: match &principal {
            Principal::User { username, .. } => username.clone(),
            Principal::Device { name, .. } | Principal::ApiClient { name, .. } => name.clone(),
            Principal::Anonymous => String::new(),
        },
        kind: match &principal {
            Principal::User { .. } => "user",
            Principal::Device { .. } => "device",
            Principal::ApiClient { .. } => "api_key",
            Principal::Anonymous => "anonymous",
        },
        address: client.map(|ClientAddress(address)| address.to_string()).unwrap_or_default(),
        location_id: location.0,
    };
    let contact = if principal.sees_customer_contact() { ContactDetails::Shown } else { ContactDetails::Withheld };
    request.extensions_mut().insert(Credentials { session_hash, device_id, user_id, contact, label });
    request.extensions_mut().insert(location);
    request.extensions_mut().insert(principal);
    next.run(request).await
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Credentials {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Credentials>().cloned().unwrap_or_default())
    }
}

/// Refuses state-changing requests sent by another site's page (CSRF), and live channels
/// (`/ws`, `/events`) opened by another site's page with our cookie: those read every order.
/// Browsers always send `Origin` on such requests; tools that send none are not browsers
/// carrying our cookie, and a client that presents a bearer token carries no cookie of ours.
pub async fn same_origin_only(request: Request, next: Next) -> Response {
    let changes_state = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let live_channel = matches!(request.uri().path(), "/ws" | "/events");
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("Bearer "));
    if changes_state || (live_channel && !bearer) {
        if let Some(origin) = request.headers().get(header::ORIGIN).and_then(|value| value.to_str().ok()) {
            let host = request.headers().get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
            let origin_host = origin.split("://").nth(1).unwrap_or_default();
            if origin_host != host {
                let refusal = app::api::AppError::Forbidden {
                    message: "requests from other sites are not accepted".into(),
                    text: None,
                };
                return (StatusCode::FORBIDDEN, axum::Json(refusal)).into_response();
            }
        }
    }
    next.run(request).await
}

//! Passwords, session tokens, and working out who is calling.

mod identity_cache;
pub use identity_cache::IdentityCache;

use crate::realtime::{ContactDetails, Credentials, ScreenLabel};
use crate::startup::AppState;
use app::api::session_cookie_token;
use app::domain::auth::API_KEY_PREFIX;
use app::domain::{ClientAddress, LocationId, Principal};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to check against when the username does not exist, so that a wrong username takes
/// as long as a wrong password and reveals nothing.
pub fn dummy_password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A session or device token: 256 random bits.
pub fn new_session_token() -> String {
    random_hex(32)
}

/// A customer's order token: 128 random bits, short enough for a URL.
pub fn new_order_token() -> String {
    random_hex(16)
}

/// An API key: the prefix, then 256 random bits.
pub fn new_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", random_hex(32))
}

/// Only this hash of a token is stored.
pub fn token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

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
            let found = state.identities.principal(&hash, state.hub.revocations_announced(), load).await;
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
    let bearer = request.headers().contains_key(header::AUTHORIZATION);
    if changes_state || (live_channel && !bearer) {
        if let Some(origin) = request.headers().get(header::ORIGIN).and_then(|value| value.to_str().ok()) {
            let host = request.headers().get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or_default();
            let origin_host = origin.split("://").nth(1).unwrap_or_default();
            if origin_host != host {
                let refusal =
                    app::api::AppError::Forbidden { message: "requests from other sites are not accepted".into() };
                return (StatusCode::FORBIDDEN, axum::Json(refusal)).into_response();
            }
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let (a, b) = (new_session_token(), new_session_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(new_order_token().len(), 32);
        assert!(new_api_key().starts_with("pzk_") && new_api_key().len() == 68);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }
}

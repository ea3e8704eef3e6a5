//! Abuse limits: a per-address rate limit on signing in, and a cap on live connections per
//! address. (Placing orders has its own limit where orders are placed: `service::OrderLimit`.)

use super::AppState;
use crate::http::ApiError;
use crate::service::network_of;
use app::api::AppError;
use app::domain::ClientAddress;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

pub struct Limits {
    sign_ins: DefaultKeyedRateLimiter<IpAddr>,
    max_sockets_per_ip: usize,
    sockets: Mutex<HashMap<IpAddr, usize>>,
}

impl Limits {
    pub fn new(sign_ins_per_minute: u32, max_sockets_per_ip: usize) -> Arc<Limits> {
        let per_minute = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Arc::new(Limits {
            sign_ins: RateLimiter::keyed(per_minute(sign_ins_per_minute)),
            max_sockets_per_ip: max_sockets_per_ip.max(1),
            sockets: Mutex::new(HashMap::new()),
        })
    }

    /// Forgets idle addresses, so the limiters' memory does not grow without bound.
    pub fn forget_idle(&self) {
        self.sign_ins.retain_recent();
    }

    /// Reserves one live connection for `client` (an IPv6 client's /64), or refuses when it
    /// has too many.
    pub fn open_socket(self: &Arc<Self>, ClientAddress(client): ClientAddress) -> Result<SocketSlot, ApiError> {
        let ip = network_of(client);
        let mut sockets = self.sockets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let open = sockets.entry(ip).or_insert(0);
        if *open >= self.max_sockets_per_ip {
            return Err(ApiError(AppError::too_many_requests(format!(
                "too many live connections from this address (at most {})",
                self.max_sockets_per_ip
            ))));
        }
        *open += 1;
        Ok(SocketSlot { limits: self.clone(), ip })
    }
}

/// One live connection counted against its IP; dropping it gives the slot back.
pub struct SocketSlot {
    limits: Arc<Limits>,
    ip: IpAddr,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut sockets = self.limits.sockets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(open) = sockets.get_mut(&self.ip) {
            *open -= 1;
            if *open == 0 {
                sockets.remove(&self.ip);
            }
        }
    }
}

/// Applies the per-IP rate limits to the endpoints that need them.
pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(ClientAddress(client)) = request.extensions().get::<ClientAddress>().copied() else {
        return next.run(request).await;
    };
    let limiter = match request.uri().path() {
        // Screen codes are short: guessing them is limited like guessing passwords.
        "/api/sign_in" | "/api/approve_screen_code" | "/api/request_screen_code" => {
            Some((&state.limits.sign_ins, "too many sign-in attempts, please wait a moment"))
        }
        _ => None,
    };
    if let Some((limiter, message)) = limiter {
        if let Err(not_until) = limiter.check_key(&network_of(client)) {
            let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
            let mut response =
                (StatusCode::TOO_MANY_REQUESTS, axum::Json(AppError::too_many_requests(message))).into_response();
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
    }
    next.run(request).await
}

/// The most a request's line and headers may take: far more than any browser sends.
pub const MAX_REQUEST_HEAD_BYTES: usize = 32 * 1024;

/// Refuses a request whose line and headers together are larger than
/// [`MAX_REQUEST_HEAD_BYTES`], with 431 and the connection closed. (The connection's read
/// buffer is bounded too, but a head that arrives in one read is not measured there.)
pub async fn cap_request_head(request: Request, next: Next) -> Response {
    let head_bytes = request.uri().to_string().len()
        + request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum::<usize>();
    if head_bytes > MAX_REQUEST_HEAD_BYTES {
        let refusal = AppError::request("the request's headers are too large");
        let mut response = (StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, axum::Json(refusal)).into_response();
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
        return response;
    }
    next.run(request).await
}

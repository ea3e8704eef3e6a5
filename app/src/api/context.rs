//! What a server function knows of its request on the server: the services, the caller, the
//! pizzeria and where the request came from, as the server's middleware put them into it.

use super::{AppError, SharedAccountService, SharedOrderService};
use crate::domain::Principal;
use leptos::prelude::*;

pub fn orders() -> Result<SharedOrderService, AppError> {
    use_context::<SharedOrderService>().ok_or_else(AppError::internal)
}

pub fn accounts() -> Result<SharedAccountService, AppError> {
    use_context::<SharedAccountService>().ok_or_else(AppError::internal)
}

/// The caller, as the server's authentication middleware identified it.
pub fn principal() -> Principal {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Principal>().cloned())
        .unwrap_or_default()
}

/// Where the request came from, as the server's middleware decided.
pub fn origin() -> crate::domain::RequestOrigin {
    let parts = use_context::<http::request::Parts>();
    let extension = |parts: &http::request::Parts| {
        (parts.extensions.get::<crate::domain::ClientAddress>().copied(), parts.extensions.get().cloned())
    };
    let (address, browser) = parts.as_ref().map(extension).unwrap_or_default();
    crate::domain::RequestOrigin { address, browser }
}

/// The pizzeria this request is about, as the server's middleware decided.
pub fn location() -> Result<crate::domain::LocationId, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<crate::domain::LocationId>().copied())
        .ok_or_else(AppError::internal)
}

/// Passes a result through, setting the HTTP status of the response when it failed.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            let status = http::StatusCode::from_u16(err.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
            response.set_status(status);
            if status == http::StatusCode::TOO_MANY_REQUESTS {
                response
                    .insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static(super::RETRY_AFTER_SECS));
            }
        }
    }
    result
}

use crate::store::StoreError;
use app::api::AppError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// An [`AppError`] on its way out of a plain axum route: the same JSON body and status code
/// as a server function's error.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError(AppError::request(message))
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError(err)
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.0)).into_response();
        if status == StatusCode::TOO_MANY_REQUESTS {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(app::api::RETRY_AFTER_SECS));
        }
        response
    }
}

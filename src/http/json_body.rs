use super::ApiError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// serde reads a struct from a JSON array as readily as from an object, so `[]` would pass
/// for `{}` (and `["x"]` for `{"name": "x"}`). Every JSON body of ours is an object: anything
/// else is refused here, before a server function sees it. `/api/v1` checks its bodies itself
/// ([`require_object`]), after the caller, so that an anonymous caller is told 401 first.
pub async fn json_bodies_are_objects(request: Request, next: Next) -> Response {
    let is_json = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim_start().to_ascii_lowercase().starts_with("application/json"));
    let path = request.uri().path();
    if !is_json || !path.starts_with("/api/") || path.starts_with("/api/v1/") {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The body limit outside this layer has already cut the body to size.
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => {
            let error = app::api::AppError::request("the request body is too large").says("error-too-large", &[]);
            return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, Json(error)).into_response();
        }
    };
    if let Err(refused) = require_object(&bytes) {
        return refused.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Refuses a non-empty JSON body that is not an object.
pub fn require_object(body: &[u8]) -> Result<(), ApiError> {
    match body.iter().find(|byte| !byte.is_ascii_whitespace()) {
        Some(first) if *first != b'{' => Err(ApiError::bad_request("the request body must be a JSON object")),
        _ => Ok(()),
    }
}

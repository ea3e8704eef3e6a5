use app::api::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// server_fn answers every error with 500, including requests it could not even decode.
/// This gives each error response the status its [`AppError`] stands for (400 for an
/// unreadable request, 422 for a refusal...), so HTTP clients can rely on the status alone.
pub async fn status_from_error_body(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR || !response.headers().contains_key("serverfnerror") {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, 1024 * 1024).await else {
        parts.status = StatusCode::INTERNAL_SERVER_ERROR;
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Errors that the framework answers by itself, before any handler of ours runs (a body over
/// the size limit, a request that took too long, a request it could not parse), come as plain
/// text. Clients of `/api` get them in the same JSON shape as every other error, with the
/// same status.
pub async fn framework_errors_as_json(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let has_body = request.headers().contains_key(header::CONTENT_LENGTH)
        || request.headers().contains_key(header::TRANSFER_ENCODING);
    let mut response = next.run(request).await;
    let status = response.status();
    let refused_before_reading = matches!(
        status,
        StatusCode::FORBIDDEN
            | StatusCode::REQUEST_TIMEOUT
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::TOO_MANY_REQUESTS
    );
    if has_body && refused_before_reading {
        // The request's body may not have been read to its end, and then the connection
        // cannot carry another request: a client that is not told so sends its next one
        // into it and sees it fail.
        response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if !api || is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let error = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::request("the request body is too large").says("error-too-large", &[])
        }
        StatusCode::REQUEST_TIMEOUT => {
            AppError::request("the request took too long: please try again").says("error-timeout", &[])
        }
        StatusCode::NOT_FOUND => AppError::not_found("this API endpoint"),
        _ if status.is_server_error() => AppError::internal(),
        _ => AppError::request(status.canonical_reason().unwrap_or("the request could not be read").to_lowercase()),
    };
    let (mut parts, _) = response.into_parts();
    let body = serde_json::to_vec(&error).unwrap_or_default();
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

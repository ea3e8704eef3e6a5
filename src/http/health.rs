use axum::http::StatusCode;

/// Liveness: the process answers HTTP.
pub async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

use super::AppState;
use crate::http::ApiError;
use app::api::AppError;
use axum::extract::State;
use axum::http::StatusCode;

/// Liveness: the process answers HTTP.
pub async fn healthz() -> (StatusCode, &'static str) {
    (StatusCode::OK, "ok")
}

/// Readiness: the database answers and its schema is up to date. A load balancer sends no
/// traffic to an instance that says 503 here.
pub async fn readyz(State(state): State<AppState>) -> Result<(StatusCode, &'static str), ApiError> {
    match state.store.is_ready().await {
        Ok(true) => Ok((StatusCode::OK, "ready")),
        Ok(false) => {
            Err(ApiError(AppError::Unavailable { message: "database migrations are pending".into(), text: None }))
        }
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            Err(ApiError(AppError::Unavailable { message: "the database is unreachable".into(), text: None }))
        }
    }
}

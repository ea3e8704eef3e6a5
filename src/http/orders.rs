use super::ApiError;
use crate::startup::AppState;
use app::api::AppError;
use app::domain::event::MENU_URL;
use app::domain::{Menu, Order, Principal, Snapshot};
use axum::extract::{Path, State};
use axum::Extension;
use axum::routing::get;
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/orders", get(open_orders))
        .route("/api/orders/{id}", get(order))
        .route(MENU_URL, get(menu))
}

/// The menu and the seq it is current at: where every menu event points.
async fn menu(State(state): State<AppState>) -> Result<Json<Menu>, ApiError> {
    Ok(Json(state.service.menu().await?))
}

/// The open orders and the seq they are current at: a client's snapshot to resume from.
async fn open_orders(State(state): State<AppState>, Extension(who): Extension<Principal>) -> Result<Json<Snapshot>, ApiError> {
    Ok(Json(state.service.open_orders(&who).await?))
}

/// One order as it is now: the URL every event about it points to.
async fn order(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Order>, ApiError> {
    let id: i64 = id.parse().map_err(|_| ApiError::bad_request("an order id is a number"))?;
    let mut snapshot = state.service.order(&who, id).await?;
    snapshot.orders.pop().map(Json).ok_or_else(|| ApiError(AppError::not_found(format!("order {id}"))))
}

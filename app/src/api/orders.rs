use super::AppError;
use crate::domain::{Menu, Order, OrderRequest, OrderStatus, Snapshot};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
mod adapter {
    use super::super::{AppError, SharedOrderService};
    use leptos::prelude::*;

    pub fn service() -> Result<SharedOrderService, AppError> {
        use_context::<SharedOrderService>().ok_or(AppError::internal())
    }

    /// Passes a result through, setting the HTTP status of the response when it failed.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(err) = &result {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                let status = http::StatusCode::from_u16(err.status())
                    .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
                response.set_status(status);
            }
        }
        result
    }
}

#[server(prefix = "/api", endpoint = "menu", input = Json)]
pub async fn get_menu() -> Result<Menu, AppError> {
    adapter::respond(async { adapter::service()?.menu().await }.await)
}

#[server(prefix = "/api", endpoint = "place_order", input = Json)]
pub async fn place_order(request: OrderRequest) -> Result<Order, AppError> {
    adapter::respond(async { adapter::service()?.place_order(request).await }.await)
}

#[server(prefix = "/api", endpoint = "set_order_status", input = Json)]
pub async fn set_order_status(
    order_id: i64,
    status: OrderStatus,
    expected_version: Option<i64>,
) -> Result<Order, AppError> {
    adapter::respond(
        async { adapter::service()?.set_status(order_id, status, expected_version).await }.await,
    )
}

#[server(prefix = "/api", endpoint = "open_orders", input = Json)]
pub async fn list_open_orders() -> Result<Snapshot, AppError> {
    adapter::respond(async { adapter::service()?.open_orders().await }.await)
}

#[server(prefix = "/api", endpoint = "order", input = Json)]
pub async fn get_order(order_id: i64) -> Result<Snapshot, AppError> {
    adapter::respond(async { adapter::service()?.order(order_id).await }.await)
}

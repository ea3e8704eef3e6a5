use super::AppError;
use crate::domain::{Menu, Order, OrderRequest, OrderStatus, Snapshot};
use std::sync::Arc;

/// What the server functions need from the server. The server crate implements it
/// (storage, event log, broadcast) and hands it to Leptos through context.
#[async_trait::async_trait]
pub trait OrderService: Send + Sync + 'static {
    async fn menu(&self) -> Result<Menu, AppError>;
    async fn place_order(&self, request: OrderRequest) -> Result<Order, AppError>;
    /// Moves an order to `to`, if that is an allowed transition and, when `expected_version`
    /// is given, if nobody changed the order since the caller last saw it.
    async fn set_status(
        &self,
        order_id: i64,
        to: OrderStatus,
        expected_version: Option<i64>,
    ) -> Result<Order, AppError>;
    async fn open_orders(&self) -> Result<Snapshot, AppError>;
    async fn order(&self, order_id: i64) -> Result<Snapshot, AppError>;
}

pub type SharedOrderService = Arc<dyn OrderService>;
